"""The emulator's check runs, check suites and commit statuses, and the merges they gate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN
from reconciler.sandbox.github_check_shapes import GITHUB_ACTIONS_APP_ID
from tests.sandbox.github_helpers import REPO, Gh, served


@pytest.fixture
def gh() -> Iterator[Gh]:
    with served() as hub:
        hub.data.add_user("grace", token="grace-token")
        yield hub


def _run(name: str, sha: str, conclusion: str | None = "success", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "head_sha": sha, **extra}
    if conclusion is not None:
        body["conclusion"] = conclusion
    return body


def _pull(gh: Gh) -> tuple[int, str]:
    """A pull request by ada from a branch of one commit, approved by grace."""
    sha = gh.data.commit_files("change", {"company.yaml": "a: 1\n"})
    number = int(gh.data.add_pull(head="change")["number"])
    gh.data.add_review(number, "grace")
    return number, sha


def test_the_workflow_token_reports_check_runs_as_github_actions(gh: Gh) -> None:
    sha = gh.data.git.branches["main"]
    output = {"title": "4 to create", "summary": "## Plan\n\n4 to create"}
    made = gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha, output=output))
    assert made.status_code == 201
    run = made.json()
    assert (run["status"], run["conclusion"], run["head_sha"]) == ("completed", "success", sha)
    assert run["app"]["id"] == GITHUB_ACTIONS_APP_ID and run["app"]["slug"] == "github-actions"
    assert run["output"]["summary"] == "## Plan\n\n4 to create"
    assert run["url"].startswith(gh.url)
    again = gh.call("GET", f"{REPO}/check-runs/{run['id']}").json()
    assert again == run
    (suite,) = gh.call("GET", f"{REPO}/commits/main/check-suites").json()["check_suites"]
    assert suite["id"] == run["check_suite"]["id"] and suite["head_sha"] == sha
    assert (suite["status"], suite["conclusion"], suite["latest_check_runs_count"]) == (
        "completed",
        "success",
        1,
    )


def test_only_a_github_app_may_create_a_check_run(gh: Gh) -> None:
    sha = gh.data.git.branches["main"]
    refused = gh.call("POST", f"{REPO}/check-runs", "grace-token", json=_run("plan", sha))
    assert refused.status_code == 403
    assert refused.json()["message"] == "You must authenticate via a GitHub App."
    assert gh.data.check_runs == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"head_sha": "x"}, "name"),
        ({"name": "plan", "head_sha": "MAIN", "status": "completed"}, "conclusion"),
        ({"name": "plan", "head_sha": "MAIN", "conclusion": "great"}, "conclusion"),
        ({"name": "plan", "head_sha": "MAIN", "output": {"title": "t"}}, "output"),
        (
            {"name": "plan", "head_sha": "MAIN", "output": {"title": "t", "summary": "s" * 65536}},
            "output",
        ),
        ({"name": "plan", "head_sha": "0" * 40}, "head_sha"),
    ],
)
def test_a_check_run_github_would_refuse_is_422(gh: Gh, body: dict[str, Any], field: str) -> None:
    if body.get("head_sha") == "MAIN":
        body["head_sha"] = gh.data.git.branches["main"]
    answer = gh.call("POST", f"{REPO}/check-runs", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field


def test_the_list_shows_the_latest_run_of_each_name_unless_all_are_asked_for(gh: Gh) -> None:
    sha = gh.data.git.branches["main"]
    for conclusion in ("failure", "success"):
        gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha, conclusion))
    gh.call("POST", f"{REPO}/check-runs", json=_run("lint", sha, None, status="in_progress"))
    latest = gh.call("GET", f"{REPO}/commits/{sha}/check-runs").json()
    assert latest["total_count"] == 2
    assert {(r["name"], r["conclusion"]) for r in latest["check_runs"]} == {
        ("plan", "success"),
        ("lint", None),
    }
    every = gh.call("GET", f"{REPO}/commits/main/check-runs", params={"filter": "all"}).json()
    assert every["total_count"] == 3
    named = gh.call("GET", f"{REPO}/commits/main/check-runs", params={"check_name": "lint"})
    assert [r["status"] for r in named.json()["check_runs"]] == ["in_progress"]
    (suite,) = gh.call("GET", f"{REPO}/commits/main/check-suites").json()["check_suites"]
    assert (suite["status"], suite["conclusion"]) == ("in_progress", None)
    assert gh.call("GET", f"{REPO}/commits/nope/check-runs").status_code == 422


def test_statuses_by_anyone_with_push_access_and_the_combined_state(gh: Gh) -> None:
    sha = gh.data.git.branches["main"]
    combined = gh.call("GET", f"{REPO}/commits/main/status").json()
    assert (combined["state"], combined["total_count"]) == ("pending", 0)
    for state, token in (("failure", SANDBOX_TOKEN), ("success", "grace-token")):
        made = gh.call(
            "POST", f"{REPO}/statuses/{sha}", token, json={"state": state, "context": "plan"}
        )
        assert made.status_code == 201
    gh.call("POST", f"{REPO}/statuses/{sha}", json={"state": "success", "context": "lint"})
    combined = gh.call("GET", f"{REPO}/commits/main/status").json()
    assert combined["state"] == "success" and combined["sha"] == sha
    assert [(s["context"], s["creator"]["login"]) for s in combined["statuses"]] == [
        ("plan", "grace"),
        ("lint", "github-actions[bot]"),
    ]
    listed = gh.call("GET", f"{REPO}/commits/{sha}/statuses").json()
    assert [s["state"] for s in listed] == ["success", "success", "failure"]  # newest first
    gh.call("POST", f"{REPO}/statuses/{sha}", json={"state": "error", "context": "lint"})
    assert gh.call("GET", f"{REPO}/commits/main/status").json()["state"] == "failure"


def test_a_status_github_would_refuse(gh: Gh) -> None:
    sha = gh.data.git.branches["main"]
    gh.data.add_user("rita", token="rita-token", read_only=True)
    bad = [
        gh.call("POST", f"{REPO}/statuses/{sha}", json={"state": "green"}),
        gh.call(
            "POST", f"{REPO}/statuses/{sha}", json={"state": "success", "description": "d" * 141}
        ),
        gh.call("POST", f"{REPO}/statuses/{'0' * 40}", json={"state": "success"}),
    ]
    assert [a.status_code for a in bad] == [422, 422, 422]
    by_reader = gh.call("POST", f"{REPO}/statuses/{sha}", "rita-token", json={"state": "success"})
    assert by_reader.status_code == 403
    assert gh.data.statuses == {}


def _merge(gh: Gh, number: int) -> tuple[int, str]:
    answer = gh.call("PUT", f"{REPO}/pulls/{number}/merge", ADMIN_TOKEN, json={})
    return answer.status_code, answer.json()["message"]


def test_a_merge_waits_for_every_required_check_on_the_head(gh: Gh) -> None:
    gh.data.protect("main", contexts=["plan", "validate"], approvals=1)
    number, sha = _pull(gh)
    assert _merge(gh, number) == (405, 'Required status check "plan" is expected.')
    gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha, None, status="in_progress"))
    assert _merge(gh, number) == (405, 'Required status check "plan" is expected.')
    gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha, "failure"))
    assert _merge(gh, number) == (405, 'Required status check "plan" is failing.')
    gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha, "success"))
    main = gh.data.git.branches["main"]
    gh.call("POST", f"{REPO}/check-runs", json=_run("validate", main))  # another commit's
    assert _merge(gh, number) == (405, 'Required status check "validate" is expected.')
    gh.call("POST", f"{REPO}/check-runs", json=_run("validate", sha, "skipped"))  # a skipped job
    assert _merge(gh, number) == (200, "Pull Request successfully merged")


def test_a_required_check_pinned_to_an_app_counts_only_that_apps_reports(gh: Gh) -> None:
    gh.data.protect("main", contexts=["plan"], approvals=1, app_id=GITHUB_ACTIONS_APP_ID)
    number, sha = _pull(gh)
    gh.call(
        "POST",
        f"{REPO}/statuses/{sha}",
        "grace-token",
        json={"state": "success", "context": "plan"},
    )
    assert _merge(gh, number) == (405, 'Required status check "plan" is expected.')
    gh.call("POST", f"{REPO}/statuses/{sha}", json={"state": "success", "context": "plan"})
    assert _merge(gh, number)[0] == 200


def test_a_required_check_of_another_app_is_not_met_by_github_actions(gh: Gh) -> None:
    gh.data.protect("main", contexts=["plan"], approvals=1, app_id=4242)
    number, sha = _pull(gh)
    gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha))
    assert _merge(gh, number) == (405, 'Required status check "plan" is expected.')


def test_a_ruleset_requires_its_checks_too(gh: Gh) -> None:
    gh.data.add_ruleset("Checks", approvals=None, contexts=["plan"])
    gh.data.add_ruleset("Trial", approvals=None, contexts=["lint"], enforcement="evaluate")
    number, sha = _pull(gh)
    status, message = _merge(gh, number)
    assert status == 405
    assert (
        message
        == 'Repository rule violations found\n\nRequired status check "plan" is expected.\n\n'
    )
    gh.call("POST", f"{REPO}/check-runs", json=_run("plan", sha))
    assert _merge(gh, number)[0] == 200  # the ruleset in evaluate mode enforces nothing

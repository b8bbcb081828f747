"""The sync pull request end to end, over loopback: opened, updated, closed, its checks.

What a merge of it applies is in test_apply_merged.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.commands.repository import branch_of
from reconciler.main import main
from reconciler.sandbox.github import ADMIN_TOKEN
from reconciler.sandbox.github_check_shapes import GITHUB_ACTIONS_APP_ID
from reconciler.scaffold.files import PLAN_CHECKS, PLAN_COMMENT_CHECK, VALIDATE_CHECK
from tests.e2e.harness import live, member
from tests.github.harness import Actions, actions

PLAN_FILE = "company.plan.json"


@contextmanager
def _world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[dict[str, Any]]
) -> Iterator[tuple[Actions, Any, str]]:
    with actions(tmp_path, monkeypatch) as gh, live(tmp_path, monkeypatch, members, []) as run:
        gh.commit_config(run.loaded.path)  # the config as on main: the base of every PR
        gh.schedule_event()
        yield gh, run, str(run.loaded.path)


def _sync_pulls(gh: Actions) -> list[dict[str, Any]]:
    return [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]


def _files_of_branch(gh: Actions, branch: str) -> list[str]:
    git = gh.data.git
    head = git.commits[git.branches[branch]]
    return [path for path, _ in git.changed_files(head)]


def test_the_sync_pull_request_is_opened_then_updated_then_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(n) for n in range(1, 5)]
    with _world(tmp_path, monkeypatch, members) as (gh, run, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        branch = pull["head"]["ref"]
        assert branch == branch_of(config) and _files_of_branch(gh, branch) == [PLAN_FILE]
        first = json.loads(gh.data.file(PLAN_FILE, branch) or "{}")
        assert first["summary"]["create"] == 4 and pull["user"]["login"] == "github-actions[bot]"
        assert "**Merging it applies exactly this plan**" in pull["body"]
        assert first["checksum"] in pull["body"] and len(pull["body"]) < 65_536
        (issue,) = gh.data.issues  # the drift issue: the notice, linking the pull request
        assert pull["html_url"] in issue["body"]

        members.append(member(5))  # one more hire
        run.later()  # each run a minute after the last: Ledgy's 5 s window has passed
        assert main(["sync", config]) == 0
        assert _sync_pulls(gh) == [pull] and pull["state"] == "open"
        assert json.loads(gh.data.file(PLAN_FILE, branch) or "{}")["summary"]["create"] == 5
        assert _files_of_branch(gh, branch) == [PLAN_FILE] and "5 to create" in pull["title"]

        run.later()
        assert main(["apply", config, "--auto-approve"]) == 0  # Ledgy in step: nothing to sync
        run.later()
        assert main(["sync", config]) == 0
        assert pull["state"] == "closed" and branch not in gh.data.git.branches
        assert issue["state"] == "closed"
    assert "closed #" in capsys.readouterr().err


def test_a_plan_of_5000_changes_is_synced_merged_and_applied_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A saved plan of 5.5 MB: GitHub's contents API gives a file over 1 MB only raw."""
    members = [member(n) for n in range(5000)]
    limits = "safety: {max_creates: 5000}"
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, members, [], stakeholders=limits, batch_size=500) as run,
    ):
        gh.commit_config(run.loaded.path)
        gh.schedule_event()
        config = str(run.loaded.path)
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        saved = gh.data.file(PLAN_FILE, pull["head"]["ref"]) or ""
        gh.merge(pull["number"])
        assert main(["apply", config, "--from-pr"]) == 0
        assert len(run.ledgy.stakeholders) == 5000
        receipt = gh.comments(pull["number"])[-1]["body"]
    assert len(saved.encode()) > 5 * 1024 * 1024
    assert json.loads(saved)["summary"]["create"] == 5000
    assert "5000 created, 0 updated, 0 failed" in receipt
    assert "Applied: 5000 created" in capsys.readouterr().out


def test_a_sync_reads_a_saved_plan_over_1_mb_on_the_base_branch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch, [member(1), member(2)]) as (gh, _, config):
        old = json.dumps({"summary": {"create": 9999}, "changes": ["x" * 100] * 12_000})
        gh.data.commit_files("main", {PLAN_FILE: old + "\n"}, message="An old big plan")
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        now = json.loads(gh.data.file(PLAN_FILE, pull["head"]["ref"]) or "{}")
    assert len(old) > 1024 * 1024 and now["summary"]["create"] == 2


# -- the checks branch protection requires, reported by the sync job ----------


def _checks_on(gh: Actions, sha: str) -> dict[str, dict[str, Any]]:
    """The newest check run of each name on a commit, as GitHub lists them."""
    answer = httpx.get(
        f"{gh.url}/repos/{gh.data.repository}/commits/{sha}/check-runs",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    return {r["name"]: r for r in answer.json()["check_runs"]}


def _merge_by_api(gh: Actions, number: int) -> httpx.Response:
    url = f"{gh.url}/repos/{gh.data.repository}/pulls/{number}/merge"
    return httpx.put(url, json={}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})


def test_the_sync_pull_request_carries_every_required_check_and_merges_under_protection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The protection SETUP.md recommends: its checks (from GitHub Actions) and 1 approval."""
    with _world(tmp_path, monkeypatch, [member(1), member(2)]) as (gh, _, config):
        gh.data.protect("main", contexts=list(PLAN_CHECKS), app_id=GITHUB_ACTIONS_APP_ID)
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        head = gh.data.git.branches[pull["head"]["ref"]]
        checks = _checks_on(gh, head)
        assert set(checks) == set(PLAN_CHECKS)
        plan = pull["body"].split("\n\n", 1)[1].strip()  # the body, after its hidden marker
        assert "**Merging it applies exactly this plan**" in plan
        for run in checks.values():
            assert (run["status"], run["conclusion"]) == ("completed", "success")
            assert run["app"]["slug"] == "github-actions"
            assert run["output"]["summary"].rstrip().endswith(plan)  # the plan is its summary
        assert checks[PLAN_COMMENT_CHECK]["output"]["title"].startswith("Plan: 2 to create")
        assert (
            checks[VALIDATE_CHECK]["output"]["title"] == "The config is valid; 0 rule tests passed"
        )
        refused = _merge_by_api(gh, pull["number"])
        assert refused.status_code == 405 and "approving review" in refused.json()["message"]
        gh.data.add_review(pull["number"], "grace")
        assert _merge_by_api(gh, pull["number"]).json()["merged"] is True


def test_without_the_sync_jobs_checks_the_pull_request_could_never_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, _, config):
        gh.data.protect("main", contexts=list(PLAN_CHECKS))
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        gh.data.add_review(pull["number"], "grace")
        gh.data.check_runs.clear()  # as if the sync job had not reported them
        refused = _merge_by_api(gh, pull["number"])
    assert refused.status_code == 405
    assert refused.json()["message"] == f'Required status check "{VALIDATE_CHECK}" is expected.'


def test_an_unchanged_plan_keeps_its_head_and_its_checks_are_reported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, _, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        head = gh.data.git.branches[pull["head"]["ref"]]
        assert main(["sync", config]) == 0
        assert gh.data.git.branches[pull["head"]["ref"]] == head  # reviews still count
        assert [r["head_sha"] for r in gh.data.check_runs] == [head] * 4
        assert set(_checks_on(gh, head)) == set(PLAN_CHECKS)
    err = capsys.readouterr().err
    assert f"reported the checks '{VALIDATE_CHECK}' (success), '{PLAN_COMMENT_CHECK}'" in err


def test_failing_rule_tests_and_an_unsafe_plan_are_reported_as_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch, [member(n) for n in range(1, 4)]) as (gh, run, config):
        path = run.loaded.path
        path.write_text(
            path.read_text()
            + "safety: {max_creates: 1}\n"
            + "tests:\n"
            + "  - name: a leaver is out of scope\n"
            + "    employee: {work_email: a@acme.test, name: A, employment_status: active}\n"
            + "    expect: {synced: false}\n"
        )
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        checks = _checks_on(gh, gh.data.git.branches[pull["head"]["ref"]])
        gh.data.protect("main", contexts=list(PLAN_CHECKS), approvals=None)
        refused = _merge_by_api(gh, pull["number"])
    validated, planned = checks[VALIDATE_CHECK], checks[PLAN_COMMENT_CHECK]
    assert validated["conclusion"] == "failure"
    assert validated["output"]["title"] == "1 of 1 rule tests failed"
    assert "**a leaver is out of scope**" in validated["output"]["summary"]
    assert planned["conclusion"] == "failure"
    assert planned["output"]["title"].startswith("Unsafe plan: 3 to create")
    assert refused.status_code == 405 and "is failing" in refused.json()["message"]


def test_no_check_is_reported_on_commits_the_sync_job_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone pushes to the sync branch (their push runs the plan workflow): the sync
    job's verdict on the base's config must never stand for their commit."""
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, _, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        branch = pull["head"]["ref"]
        theirs = gh.data.commit_files(branch, {"company.yaml": "version: 1\n"}, by="mallory")
        assert main(["sync", config]) == 0
        assert gh.data.git.branches[branch] == theirs  # left alone, the plan file is the same
        assert _checks_on(gh, theirs) == {}
        assert "no checks reported: " in capsys.readouterr().err
        gh.data.git.branches[branch] = gh.data.git.commits[theirs].parents[0]  # theirs undone
        gh.data.commit_files("main", {"README.md": "moved on\n"})  # and the base moves on
        assert main(["sync", config]) == 0
        assert len(gh.data.check_runs) == 2  # only the first run's, on its own commit

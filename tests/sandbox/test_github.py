"""The GitHub emulator over loopback, spoken to as raw HTTP: what GitHub would answer."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from typing import Literal

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.github_git import blob_sha
from reconciler.sandbox.server import serve_in_thread
from tests.sandbox.github_helpers import REPO, Gh, served


@pytest.fixture
def gh() -> Iterator[Gh]:
    with served() as hub:
        yield hub


def test_issue_and_pull_numbers_share_one_sequence_and_the_issue_list_shows_both(gh: Gh) -> None:
    pr = gh.data.add_pull()
    gh.data.add_label("d")
    issue = gh.call("POST", f"{REPO}/issues", json={"title": "Drift", "labels": ["d"]}).json()
    assert (pr["number"], issue["number"]) == (1, 2)
    listed = gh.call("GET", f"{REPO}/issues").json()
    assert [(i["number"], "pull_request" in i) for i in listed] == [(2, False), (1, True)]
    assert listed[1]["pull_request"]["url"] == f"{gh.url}{REPO}/pulls/1"
    assert [i["number"] for i in gh.call("GET", f"{REPO}/issues?labels=d").json()] == [2]
    assert gh.call("GET", f"{REPO}/issues/1").json()["pull_request"]["merged_at"] is None


def test_another_repository_in_the_path_is_not_found(gh: Gh) -> None:
    gh.data.add_pull(1)
    assert gh.call("GET", "/repos/acme/other/issues/1/comments").status_code == 404
    assert (
        gh.call("POST", "/repos/evil/people-config/issues", json={"title": "x"}).status_code == 404
    )
    assert gh.data.issues == []


def test_each_token_is_a_user_and_only_the_author_or_an_admin_edits_a_comment(gh: Gh) -> None:
    gh.data.add_pull(1)
    gh.data.add_user("mallory", token="mallory-token")
    forged = gh.call("POST", f"{REPO}/issues/1/comments", "mallory-token", json={"body": "x"})
    mine = gh.call("POST", f"{REPO}/issues/1/comments", json={"body": "plan"}).json()
    assert forged.json()["user"]["login"] == "mallory" and forged.json()["user"]["type"] == "User"
    assert mine["user"]["login"] == "github-actions[bot]" and mine["user"]["type"] == "Bot"
    by_bot = gh.call("PATCH", f"{REPO}/issues/comments/{forged.json()['id']}", json={"body": "y"})
    assert by_bot.status_code == 403
    assert by_bot.json()["message"] == "Resource not accessible by integration"
    by_mallory = gh.call(
        "PATCH", f"{REPO}/issues/comments/{mine['id']}", "mallory-token", json={"body": "z"}
    )
    assert by_mallory.status_code == 403
    assert (
        gh.call("PATCH", mine["url"].removeprefix(gh.url), json={"body": "p2"}).status_code == 200
    )
    by_admin = gh.call(
        "PATCH", f"{REPO}/issues/comments/{forged.json()['id']}", ADMIN_TOKEN, json={"body": "-"}
    )
    assert by_admin.status_code == 200
    assert [c["body"] for c in gh.data.issue_comments(1)] == ["-", "p2"]
    assert gh.call("GET", "/user", "nobody").json()["message"] == "Bad credentials"


def test_objects_carry_urls_node_ids_timestamps_and_full_users(gh: Gh) -> None:
    gh.data.add_pull(1)
    made = gh.call("POST", f"{REPO}/issues/1/comments", json={"body": "hi"}).json()
    for key in ("url", "html_url", "node_id", "created_at", "updated_at", "issue_url"):
        assert made[key], key
    assert made["url"] == f"{gh.url}{REPO}/issues/comments/{made['id']}"
    assert made["html_url"].endswith(f"/pull/1#issuecomment-{made['id']}")
    for key in ("id", "node_id", "url", "html_url", "avatar_url", "type", "site_admin"):
        assert key in made["user"], key
    pull = gh.call("GET", f"{REPO}/pulls/1").json()
    assert pull["url"] == f"{gh.url}{REPO}/pulls/1" and pull["user"]["login"] == "ada"
    assert pull["head"]["repo"]["full_name"] == "acme/people-config"


def test_urls_follow_the_mount_point_of_sandbox_serve() -> None:
    data = GitHubData()
    data.add_pull(1)
    app = Starlette(routes=[Mount("/github", app=create_app(data))])
    with serve_in_thread(app) as url:
        answer = httpx.get(
            f"{url}/github{REPO}/pulls/1", headers={"Authorization": f"token {SANDBOX_TOKEN}"}
        )
    assert answer.json()["url"] == f"{url}/github{REPO}/pulls/1"


def test_contents_are_base64_with_gits_blob_sha_and_a_stale_sha_is_409(gh: Gh) -> None:
    text = "people:\n  - ada\n"
    gh.data.commit_files("main", {"company.yaml": text})
    got = gh.call("GET", f"{REPO}/contents/company.yaml").json()
    git = subprocess.run(
        ["git", "hash-object", "--stdin"], input=text, capture_output=True, text=True, check=True
    )
    assert got["sha"] == blob_sha(text) == git.stdout.strip()
    assert base64.b64decode(got["content"]).decode() == text and got["encoding"] == "base64"
    new = base64.b64encode(b"people: []\n").decode()
    put = {"message": "m", "content": new, "branch": "main"}
    assert gh.call("PUT", f"{REPO}/contents/company.yaml", json=put).status_code == 422
    stale = gh.call("PUT", f"{REPO}/contents/company.yaml", json=put | {"sha": "0" * 40})
    assert stale.status_code == 409
    done = gh.call("PUT", f"{REPO}/contents/company.yaml", json=put | {"sha": got["sha"]})
    assert done.status_code == 200 and done.json()["commit"]["parents"]
    assert gh.call("GET", f"{REPO}/contents/nothing.yaml").status_code == 404
    assert gh.call("GET", f"{REPO}/contents/company.yaml?ref=nope").status_code == 404


def test_refs_refuse_duplicates_unknown_objects_and_non_fast_forwards(gh: Gh) -> None:
    main = gh.data.git.branches["main"]
    new = {"ref": "refs/heads/sync", "sha": main}
    assert gh.call("POST", f"{REPO}/git/refs", json=new).status_code == 201
    again = gh.call("POST", f"{REPO}/git/refs", json=new)
    assert (again.status_code, again.json()["message"]) == (422, "Reference already exists")
    ghost = gh.call("POST", f"{REPO}/git/refs", json={"ref": "refs/heads/x", "sha": "f" * 40})
    assert ghost.status_code == 422
    ahead = gh.data.commit_files("sync", {"a": "1"})
    back = gh.call("PATCH", f"{REPO}/git/refs/heads/sync", json={"sha": main})
    assert back.json()["message"] == "Update is not a fast forward"
    assert gh.call(
        "PATCH", f"{REPO}/git/refs/heads/sync", json={"sha": main, "force": True}
    ).is_success
    assert gh.call("PATCH", f"{REPO}/git/refs/heads/sync", json={"sha": ahead}).is_success
    assert gh.call("GET", f"{REPO}/git/refs/heads/sync").json()["object"]["sha"] == ahead
    assert gh.call("DELETE", f"{REPO}/git/refs/heads/sync").status_code == 204
    assert gh.call("DELETE", f"{REPO}/git/refs/heads/sync").status_code == 422
    assert gh.call("GET", f"{REPO}/git/ref/heads/sync").status_code == 404


def test_a_pull_request_needs_commits_and_only_one_is_open_per_branch(gh: Gh) -> None:
    gh.data.git.branches["empty"] = gh.data.git.branches["main"]
    asked = {"title": "t", "head": "empty", "base": "main", "body": ""}
    none = gh.call("POST", f"{REPO}/pulls", json=asked)
    assert none.json()["errors"][0]["message"] == "No commits between main and empty"
    gh.data.commit_files("sync", {"a": "1"})
    first = gh.call("POST", f"{REPO}/pulls", json=asked | {"head": "acme:sync"})
    assert first.status_code == 201 and first.json()["head"]["ref"] == "sync"
    second = gh.call("POST", f"{REPO}/pulls", json=asked | {"head": "sync"})
    assert "already exists for acme:sync" in second.json()["errors"][0]["message"]
    newer = gh.data.commit_files("sync", {"a": "2"})
    assert gh.call("GET", f"{REPO}/pulls?head=acme:sync").json()[0]["head"]["sha"] == newer
    assert gh.call("GET", f"{REPO}/pulls?head=acme:other").json() == []


def test_merging_a_pull_request_puts_its_tree_on_main(gh: Gh) -> None:
    gh.data.commit_files("sync", {"company.plan.json": "{}\n"})
    pr = gh.data.add_pull(head="sync")
    sha = gh.data.merge_pull(pr["number"])
    assert gh.data.git.branches["main"] == sha and gh.data.file("company.plan.json") == "{}\n"
    got = gh.call("GET", f"{REPO}/commits/{sha}").json()
    assert got["files"] == [got["files"][0] | {"filename": "company.plan.json", "status": "added"}]
    assert len(got["parents"]) == 2
    with pytest.raises(ValueError, match="not open"):
        gh.data.merge_pull(pr["number"])


def test_secrets_are_names_only_and_for_admins(gh: Gh) -> None:
    gh.data.add_environment("production", ["LEDGY_API_KEY"])
    listed = gh.call("GET", f"{REPO}/environments/production/secrets", ADMIN_TOKEN).json()
    assert listed["total_count"] == 1 and set(listed["secrets"][0]) == {
        "name",
        "created_at",
        "updated_at",
    }
    assert gh.call("GET", f"{REPO}/environments/production/secrets").status_code == 403
    assert gh.call("GET", f"{REPO}/environments/staging/secrets", ADMIN_TOKEN).status_code == 404
    off = gh.call("GET", f"{REPO}/branches/main/protection", ADMIN_TOKEN)
    assert (off.status_code, off.json()["message"]) == (404, "Branch not protected")


def test_a_fault_after_the_work_answers_500_but_the_write_lands(gh: Gh) -> None:
    gh.data.add_pull(1)
    gh.data.fail_next(1, method="POST", after_work=True)
    failed = gh.call("POST", f"{REPO}/issues/1/comments", json={"body": "x"})
    assert failed.status_code == 500 and len(gh.data.issue_comments(1)) == 1
    assert gh.call("POST", f"{REPO}/issues/1/comments", json={"body": "y"}).status_code == 201


def test_reviews_and_merges_follow_githubs_rules(gh: Gh) -> None:
    gh.data.protect("main", approvals=2)
    gh.data.add_user("grace", token="grace-token")
    gh.data.add_user("alan", token="alan-token")
    gh.data.commit_files("sync", {"a": "1"})
    pr = gh.call(
        "POST", f"{REPO}/pulls", json={"title": "t", "head": "sync", "base": "main"}
    ).json()
    reviews, merge = f"{REPO}/pulls/{pr['number']}/reviews", f"{REPO}/pulls/{pr['number']}/merge"
    own = gh.call("POST", reviews, json={"event": "APPROVE"})
    assert own.json()["errors"] == ["Can not approve your own pull request"]
    assert (
        gh.call("POST", reviews, "grace-token", json={"event": "APPROVE"}).json()["state"]
        == "APPROVED"
    )
    short = gh.call("PUT", merge, json={})
    assert short.status_code == 405 and "At least 1 approving review is required" in short.text
    gh.call("POST", reviews, "alan-token", json={"event": "APPROVE"})
    assert gh.call("PUT", merge, json={"sha": "0" * 40}).status_code == 409
    gh.call("POST", reviews, "alan-token", json={"event": "REQUEST_CHANGES", "body": "no"})
    assert gh.call("PUT", merge, json={}).status_code == 405  # alan's latest review counts
    gh.call("POST", reviews, "alan-token", json={"event": "APPROVE"})
    done = gh.call("PUT", merge, json={}).json()
    assert done["merged"] and gh.data.git.branches["main"] == done["sha"]
    assert gh.call("PUT", merge, json={}).status_code == 405


def test_a_bot_may_review_and_a_merged_pull_request_may_still_be_reviewed(gh: Gh) -> None:
    clock = _Clock()
    gh.data.clock = clock
    gh.data.add_user("helper[bot]", token="app-token", bot=True)
    gh.data.add_user("grace", token="grace-token")
    gh.data.commit_files("change", {"a": "1"})
    number = gh.data.add_pull(head="change", by="ada")["number"]
    reviews = f"{REPO}/pulls/{number}/reviews"
    by_bot = gh.call("POST", reviews, "app-token", json={"event": "APPROVE"}).json()
    by_actions = gh.call("POST", reviews, json={"event": "APPROVE"}).json()  # the workflow
    assert by_bot["user"]["type"] == by_actions["user"]["type"] == "Bot"
    assert by_bot["author_association"] == "NONE"
    gh.data.merge_pull(number)
    clock.now += 90
    late = gh.call("POST", reviews, "grace-token", json={"event": "APPROVE"}).json()
    merged = gh.call("GET", f"{REPO}/pulls/{number}").json()
    assert late["user"]["type"] == "User" and late["state"] == "APPROVED"
    assert merged["merged_at"] == by_bot["submitted_at"] == "2027-01-15T08:00:00Z"
    assert late["submitted_at"] == "2027-01-15T08:01:30Z"


def test_the_repository_wide_comment_list_sorts_by_update_and_takes_since(gh: Gh) -> None:
    first = gh.data.add_comment(gh.data.add_issue("one")["number"], "a")
    second = gh.data.add_comment(gh.data.add_issue("two")["number"], "b")
    first["updated_at"], second["updated_at"] = "2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z"
    listed = f"{REPO}/issues/comments"
    by_id = [c["id"] for c in gh.call("GET", listed).json()]  # oldest first by default
    assert by_id == [first["id"], second["id"]]
    newest = gh.call("GET", listed, params={"sort": "updated", "direction": "desc"}).json()
    assert [c["body"] for c in newest] == ["a", "b"] and newest[0]["issue_url"].endswith("/1")
    since = gh.call("GET", listed, params={"since": "2030-01-01T12:00:00Z"}).json()
    assert [c["body"] for c in since] == ["a"]


# -- rate limits: each of GitHub's answers -----------------------------------


class _Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"),
    [
        ("primary", 403, None),
        ("primary", 429, None),
        ("secondary", 403, None),
        ("secondary", 429, 30),
    ],
)
def test_each_rate_limit_answers_as_github_documents(
    kind: Literal["primary", "secondary"], status: int, retry_after: int | None
) -> None:
    clock = _Clock()
    data = GitHubData(clock=clock)
    data.limit_next(kind, status, retry_after=retry_after)
    with served(data) as gh:
        limited = gh.call("GET", f"{REPO}/issues")
        after = gh.call("GET", f"{REPO}/issues")
    assert limited.status_code == status and after.status_code == 200
    headers, message = limited.headers, limited.json()["message"]
    assert headers["x-ratelimit-reset"] == str(int(clock.now) + 3600)
    assert headers.get("retry-after") == (None if retry_after is None else str(retry_after))
    if kind == "primary":
        assert headers["x-ratelimit-remaining"] == "0"
        assert message.startswith("API rate limit exceeded for user ID")
    else:
        assert headers["x-ratelimit-remaining"] != "0"
        assert "secondary rate limit" in message
    assert data.used == 1  # the limited request was not counted


def test_the_hourly_budget_runs_out_and_comes_back_with_the_next_hour() -> None:
    clock = _Clock()
    data = GitHubData(rate_limit=2, clock=clock)
    with served(data) as gh:
        statuses = [gh.call("GET", f"{REPO}/issues").status_code for _ in range(3)]
        spent = gh.call("GET", f"{REPO}/issues")
        clock.now += 3600
        back = gh.call("GET", f"{REPO}/issues")
    assert statuses == [200, 200, 403]
    assert spent.headers["x-ratelimit-remaining"] == "0"
    assert spent.headers["x-ratelimit-reset"] == str(int(clock.now))
    assert back.status_code == 200 and back.headers["x-ratelimit-remaining"] == "1"

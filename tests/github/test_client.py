"""The GitHub client against the emulator over loopback."""

from __future__ import annotations

import base64
import logging
import re
import socket
import threading
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.client import GitHubClient, _since
from reconciler.github.models import (
    BranchProtection,
    BranchRule,
    CheckRun,
    Comment,
    Commit,
    Environment,
    File,
    Issue,
    Label,
    PullRequest,
    Ref,
    Repository,
    Review,
    Ruleset,
    User,
    WorkflowPermissions,
    Written,
)
from reconciler.http.retry import RetryPolicy
from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.github_git import blob_sha
from tests.github.conftest import Scripted
from tests.github.scripted import Answer

pytestmark = pytest.mark.anyio
REPO = "acme/people-config"


async def _no_wait(seconds: float) -> None:
    """Retries without sleeping: the tests check what is retried, not how long."""


def _client(
    url: str, token: str = SANDBOX_TOKEN, transport: httpx.AsyncBaseTransport | None = None
) -> GitHubClient:
    return GitHubClient(
        url,
        Secret(token),
        REPO,
        transport=transport,
        policy=RetryPolicy(attempts=4),
        sleep=_no_wait,
    )


@dataclass
class Hub:
    """The emulator in process (``httpx.ASGITransport``): no socket, no server thread.
    The tests of what only a socket does (a refused or unanswered connection) serve it
    on loopback instead."""

    data: GitHubData
    url: str
    transport: httpx.AsyncBaseTransport

    def client(
        self, token: str = SANDBOX_TOKEN, transport: httpx.AsyncBaseTransport | None = None
    ) -> GitHubClient:
        return _client(self.url, token, transport or self.transport)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request outside the client, as any HTTP client sends it."""
        async with httpx.AsyncClient(transport=self.transport) as raw:
            return await raw.request(method, url, **kwargs)


@pytest.fixture
def hub() -> Hub:
    data = GitHubData()
    return Hub(data, "http://github.test", httpx.ASGITransport(app=create_app(data)))


async def test_comments_are_listed_across_pages_by_link_header(hub: Hub) -> None:
    hub.data.add_pull(5)
    for n in range(250):
        hub.data.add_comment(5, f"c{n}")
    async with hub.client() as client:
        comments = await client.comments(5)
    first = await hub.request(
        "GET",
        f"{hub.url}/repos/{REPO}/issues/5/comments?per_page=100",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )
    assert [c.body for c in comments] == [f"c{n}" for n in range(250)]
    assert 'rel="next"' in first.headers["link"] and first.headers["x-ratelimit-limit"] == "5000"


async def test_no_token_is_401_and_named(hub: Hub) -> None:
    assert (await hub.request("GET", f"{hub.url}/repos/{REPO}/issues")).status_code == 401
    async with hub.client("wrong") as client:
        with pytest.raises(GitHubError) as caught:
            await client.issues(label="x")
    assert "bad credentials" in caught.value.message and "GITHUB_TOKEN" in (
        caught.value.remedy or ""
    )
    assert "wrong" not in caught.value.diagnostics()


async def test_a_body_over_65536_characters_is_refused(hub: Hub) -> None:
    hub.data.add_pull(1)
    answer = await hub.request(
        "POST",
        f"{hub.url}/repos/{REPO}/issues/1/comments",
        json={"body": "x" * 65_537},
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )
    async with hub.client() as client:
        with pytest.raises(GitHubError, match="over 65,536"):
            await client.create_comment(1, "x" * 65_537)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "Body is too long (maximum is 65536 characters)"


# -- refs, contents, commits -------------------------------------------------


async def test_a_branch_is_created_written_moved_and_deleted(hub: Hub) -> None:
    async with hub.client() as client:
        main = await client.get_ref("main")
        assert main is not None and await client.get_ref("sync") is None
        start = main.sha
        made = await client.create_ref("sync", start)
        assert made.sha == start and hub.data.git.branches["sync"] == start
        assert await client.get_file("company.plan.json", "sync") is None
        put = await client.put_file(
            "company.plan.json", '{"a": 1}\n', message="Plan", branch="sync"
        )
        found = await client.get_file("company.plan.json", "sync")
        text, sha = (found.text, found.sha) if found is not None else ("", "")
        assert (text, sha) == ('{"a": 1}\n', blob_sha('{"a": 1}\n')) == (text, put.sha)
        await client.put_file("company.plan.json", "{}\n", message="Plan", branch="sync", sha=sha)
        with pytest.raises(GitHubError, match=r"409.*does not match"):
            await client.put_file("company.plan.json", "x", message="m", branch="sync", sha=sha)
        changed = await client.commit("sync")
        assert changed.files == ("company.plan.json",)
        with pytest.raises(GitHubError, match="not a fast forward"):
            await client.update_ref("sync", start, force=False)
        moved = await client.update_ref("sync", start)
        assert moved.sha == start
        assert await client.delete_ref("sync") is True
        assert await client.delete_ref("sync") is False
        assert await client.get_ref("sync") is None
    assert hub.data.file("company.plan.json", "main") is None


async def test_put_file_needs_the_current_sha_to_replace_a_file(hub: Hub) -> None:
    hub.data.commit_files("main", {"company.yaml": "a: 1\n"})
    async with hub.client() as client:
        with pytest.raises(GitHubError, match=r"(?s)422.*\"sha\" wasn.t supplied"):
            await client.put_file("company.yaml", "a: 2\n", message="m", branch="main")
        assert (await client.repo()).default_branch == "main"


# -- pull requests and reviews -----------------------------------------------


async def test_a_pull_request_is_opened_found_updated_and_closed(hub: Hub) -> None:
    hub.data.commit_files("reconciler/sync", {"company.plan.json": "{}\n"})
    async with hub.client() as client:
        opened = await client.create_pull(
            title="Sync", head="reconciler/sync", base="main", body="plan"
        )
        with pytest.raises(GitHubError, match="A pull request already exists"):
            await client.create_pull(title="Sync", head="reconciler/sync", base="main", body="")
        (found,) = await client.pulls(head="reconciler/sync", base="main")
        assert found.number == opened.number and found.user.login == "github-actions[bot]"
        assert await client.pulls(head="other") == []
        await client.update_pull(opened.number, title="Sync 2", body="new plan")
        assert (await client.pull(opened.number)).body == "new plan"
        assert hub.data.pulls[0]["title"] == "Sync 2"
        await client.update_pull(opened.number, state="closed")
        assert await client.pulls(head="reconciler/sync") == []
        (closed,) = await client.pulls(head="reconciler/sync", state="closed")
        assert closed.state == "closed" and not closed.merged
        assert hub.data.pulls[0]["closed_at"] is not None


async def test_reviews_and_a_merge_are_seen_as_github_shows_them(hub: Hub) -> None:
    head = hub.data.commit_files("change", {"company.yaml": "a: 2\n"})
    pr = hub.data.add_pull(head="change", by="ada")
    hub.data.add_review(pr["number"], "grace", "APPROVED")
    hub.data.add_review(pr["number"], "ada", "COMMENTED", commit_id="0" * 40)
    merge = hub.data.merge_pull(pr["number"])
    async with hub.client() as client:
        reviews = await client.reviews(pr["number"])
        merged = await client.pull(pr["number"])
        commit = await client.commit(merge)
        (of_commit,) = await client.pulls_of_commit(merge)
    assert [(r.user.login, r.state, r.commit_id) for r in reviews] == [
        ("grace", "APPROVED", head),
        ("ada", "COMMENTED", "0" * 40),
    ]
    assert merged.merged and merged.merged_at and merged.merge_commit_sha == merge
    assert merged.state == "closed" and merged.head_sha == head
    assert commit.files == ("company.yaml",) and commit.parents
    assert of_commit.number == pr["number"]
    assert hub.data.file("company.yaml") == "a: 2\n"


# -- settings (doctor) -------------------------------------------------------


async def test_settings_are_read_by_name_and_protection_needs_an_admin(hub: Hub) -> None:
    hub.data.add_environment("ledgy-production", ["LEDGY_API_KEY", "CHARLIEHR_CLIENT_SECRET"])
    hub.data.repo_secrets.append("RECONCILER_PLAN_KEY")
    async with hub.client(ADMIN_TOKEN) as admin:
        (env,) = await admin.environments()
        assert env.name == "ledgy-production"
        assert await admin.environment_secrets("ledgy-production") == [
            "CHARLIEHR_CLIENT_SECRET",
            "LEDGY_API_KEY",
        ]
        assert await admin.repo_secrets() == ["RECONCILER_PLAN_KEY"]
        assert await admin.branch_protection("main") is None
        hub.data.protect("main", contexts=["reconciler / plan"], approvals=2)
        rules = await admin.branch_protection("main")
    assert rules is not None
    assert rules.contexts == ("reconciler / plan",)
    assert rules.approvals == 2
    async with hub.client() as bot:
        with pytest.raises(GitHubError) as caught:
            await bot.branch_protection("main")
        with pytest.raises(GitHubError, match="403") as secrets:
            await bot.repo_secrets()
    assert "403" in caught.value.message
    assert "Administration: read" in (caught.value.remedy or "")
    assert "Secrets: read" in (secrets.value.remedy or "")
    async with hub.client() as bot:
        with pytest.raises(GitHubError, match="403") as actions:
            await bot.workflow_permissions()
    assert "Actions settings" in (actions.value.remedy or "")


# -- guards: retries and no double writes ------------------------------------


async def test_a_5xx_is_retried_until_it_succeeds_and_then_given_up(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(2, method="GET", status=502)
    async with hub.client() as client:
        assert await client.comments(3) == []
        hub.data.fail_next(4, method="GET", status=503)
        with pytest.raises(GitHubError, match="failed 4 times \\(HTTP 503\\)"):
            await client.comments(3)


async def test_a_comment_whose_post_failed_before_the_work_is_sent_again(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(1, method="POST", status=500)
    async with hub.client() as client:
        made = await client.create_comment(3, "plan")
    assert [c["id"] for c in hub.data.issue_comments(3)] == [made.id]


async def test_a_comment_that_landed_before_a_500_is_not_posted_twice(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(1, method="POST", status=500, after_work=True)
    async with hub.client() as client:
        made = await client.create_comment(3, "<!-- reconciler:plan x -->\nplan")
    (only,) = hub.data.issue_comments(3)
    assert made.id == only["id"]


class _TimeoutAfterSend(httpx.AsyncBaseTransport):
    """Forwards every request; the first POST's answer is lost (a read timeout)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and not self.lost:
            self.lost += 1
            await response.aclose()
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_comment_whose_answer_timed_out_is_not_posted_twice(hub: Hub) -> None:
    hub.data.add_pull(3)
    transport = _TimeoutAfterSend(hub.transport)
    async with hub.client(transport=transport) as client:
        made = await client.create_comment(3, "receipt")
    assert transport.lost == 1
    assert [c["id"] for c in hub.data.issue_comments(3)] == [made.id]


async def test_issues_pulls_and_branches_that_landed_before_a_500_are_not_doubled(
    hub: Hub,
) -> None:
    start = hub.data.git.branches["main"]
    async with hub.client() as client:
        hub.data.fail_next(1, method="POST", after_work=True)
        await client.create_issue("HR drift", "body", ["reconciler-drift"])
        hub.data.fail_next(1, method="POST", after_work=True)
        made = await client.create_ref("sync", start)
        hub.data.fail_next(1, method="PUT", after_work=True)
        await client.put_file("plan.json", "{}\n", message="m", branch="sync")
        hub.data.fail_next(1, method="POST", after_work=True)
        opened = await client.create_pull(title="Sync", head="sync", base="main", body="b")
    assert len(hub.data.issues) == 1 and made.sha == start
    assert [p["number"] for p in hub.data.pulls] == [opened.number]
    assert hub.data.file("plan.json", "sync") == "{}\n"


async def test_a_check_run_that_landed_before_a_500_is_not_reported_twice(hub: Hub) -> None:
    sha = hub.data.git.branches["main"]
    async with hub.client() as client:
        hub.data.fail_next(1, method="POST", after_work=True)
        made = await client.create_check_run(
            sha, "plan", conclusion="success", title="t", summary="## Plan"
        )
        (listed,) = await client.check_runs(sha, name="plan")
    (run,) = hub.data.check_runs
    assert made.id == listed.id == run["id"]
    assert run["app"]["slug"] == "github-actions"


async def test_a_check_run_refused_says_which_permission(hub: Hub) -> None:
    sha = hub.data.git.branches["main"]
    hub.data.add_user("grace", token="grace-token")
    async with hub.client("grace-token") as person:
        with pytest.raises(GitHubError) as refused:
            await person.create_check_run(sha, "plan", conclusion="success", title="t", summary="s")
    assert "403" in refused.value.message and "checks: write" in (refused.value.remedy or "")


async def test_a_refused_check_run_never_quotes_its_title_or_summary_back(
    scripted: Scripted,
) -> None:
    said = {"message": "Validation Failed", "errors": [{"message": "Ada Lovelace is too long"}]}
    scripted.script.then("POST", Answer(422, said))
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await client.create_check_run(
                "abc", "plan", conclusion="success", title="Ada Lovelace", summary="Ada Lovelace"
            )
    assert "Ada" not in caught.value.message and "is too long" in caught.value.message


class _RefusedOnce(httpx.AsyncBaseTransport):
    """The first connection is refused (nothing was sent), then all goes through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.refused:
            self.refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_refused_connection_is_retried_and_a_post_sent_once(hub: Hub) -> None:
    hub.data.add_pull(3)
    transport = _RefusedOnce(hub.transport)
    async with hub.client(transport=transport) as client:
        await client.create_comment(3, "plan")
    assert transport.refused == 1 and len(hub.data.issue_comments(3)) == 1


async def test_paths_branches_and_environments_with_url_characters_are_escaped(hub: Hub) -> None:
    odd = "plans/company #1 ü?.plan.json"
    hub.data.add_environment("Production EU", ["LEDGY_API_KEY"])
    async with hub.client() as client:
        await client.create_ref("sync/#7", hub.data.git.branches["main"])
        await client.put_file(odd, "{}\n", message="m", branch="sync/#7")
        assert await client.get_file(odd, "sync/#7") == File("{}\n", blob_sha("{}\n"))
        assert await client.get_ref("sync/#7") == Ref(hub.data.git.branches["sync/#7"])
    async with hub.client(ADMIN_TOKEN) as admin:
        assert await admin.environment_secrets("Production EU") == ["LEDGY_API_KEY"]
    assert hub.data.file(odd, "sync/#7") == "{}\n"


async def test_secrets_and_environments_are_read_across_pages(hub: Hub) -> None:
    names = [f"SECRET_{n:03}" for n in range(130)]
    hub.data.repo_secrets.extend(names)
    for n in range(105):
        hub.data.add_environment(f"env-{n:03}")
    async with hub.client(ADMIN_TOKEN) as admin:
        assert await admin.repo_secrets() == names
        assert len(await admin.environments()) == 105


async def test_an_identical_comment_from_an_earlier_run_is_not_taken_for_this_post(
    hub: Hub,
) -> None:
    hub.data.add_pull(3)
    old = hub.data.add_comment(3, "receipt")
    old["created_at"] = old["updated_at"] = "2024-01-02T09:00:00Z"
    hub.data.fail_next(1, method="POST", status=502)  # a proxy's 502: nothing landed
    async with hub.client() as client:
        made = await client.create_comment(3, "receipt")
    assert made.id != old["id"]
    assert [c["id"] for c in hub.data.issue_comments(3)] == [old["id"], made.id]


# -- what GitHub's answers say: waits, messages (a scripted server) ----------

PATH = f"/repos/{REPO}/issues/3/comments"


class _Waits:
    """An injected sleep that records how long the client asked to wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def _timed(url: str, waits: _Waits) -> GitHubClient:
    return GitHubClient(url, Secret(SANDBOX_TOKEN), REPO, policy=RetryPolicy(), sleep=waits)


async def test_a_403_with_requests_left_is_a_refusal_not_a_rate_limit(scripted: Scripted) -> None:
    scripted.script.then(
        "GET",
        Answer(
            403,
            {"message": "Resource not accessible by integration"},
            {"x-ratelimit-remaining": "4999"},
        ),
    )
    waits = _Waits()
    async with _timed(scripted.url, waits) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert caught.value.message == (
        f"GitHub GET {PATH} answered 403: not allowed: Resource not accessible by integration"
    )
    assert caught.value.remedy == (
        "grant the job the permission it needs (pull-requests: write, issues: write)"
    )
    assert waits.seconds == [] and len(scripted.script.sent) == 1


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(404, text="<html><body>Not Found</body></html>"), ""),
        (Answer(404, ["Not Found"]), ""),
        (Answer(404, {}), ""),
        (Answer(404, {"message": "Not Found"}), ": Not Found"),
        (Answer(300, {"message": "Multiple Choices"}), ": Multiple Choices"),
        (
            Answer(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [
                        {"message": "a is wrong"},
                        {"code": "missing"},
                        "x",
                        {"message": "b"},
                    ],
                },
            ),
            ": a is wrong; b",
        ),
        (Answer(422, {"message": "m" * 400}), ": " + "m" * 199 + "…"),
    ],
    ids=["html", "list", "empty", "message", "300", "errors", "long"],
)
async def test_an_error_answer_is_named_with_what_github_said(
    scripted: Scripted, answer: Answer, said: str
) -> None:
    scripted.script.then("PATCH", answer)
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await client.update_comment(77, "new body")
    assert caught.value.message == (
        f"GitHub PATCH /repos/{REPO}/issues/comments/77 answered {answer.status}{said}"
    )
    (sent,) = scripted.script.sent
    assert (sent.method, sent.path, sent.body) == (
        "PATCH",
        f"/repos/{REPO}/issues/comments/77",
        {"body": "new body"},
    )


async def test_an_environment_name_is_one_path_segment_and_its_refusal_says_what_to_grant(
    scripted: Scripted,
) -> None:
    scripted.script.then(
        "GET",
        Answer(200, {"total_count": 1, "secrets": [{"name": "LEDGY_API_KEY"}]}),
        Answer(403, {"message": "Resource not accessible by integration"}),
    )
    async with _timed(scripted.url, _Waits()) as client:
        assert await client.environment_secrets("prod/eu #1") == ["LEDGY_API_KEY"]
        with pytest.raises(GitHubError) as caught:
            await client.environment_secrets("prod")
    assert [s.path for s in scripted.script.sent] == [
        f"/repos/{REPO}/environments/prod%2Feu%20%231/secrets",
        f"/repos/{REPO}/environments/prod/secrets",
    ]
    assert caught.value.remedy == (
        "the token may not read secret names: use a token with the repository's "
        "Secrets: read permission (GITHUB_TOKEN cannot), or check them in Settings > Secrets"
    )


async def test_a_landed_comment_without_a_timestamp_counts_as_this_post(
    scripted: Scripted,
) -> None:
    scripted.script.then("POST", Answer(502, {"message": "Bad Gateway"}))
    landed = {"id": 9, "body": "plan", "created_at": None}
    scripted.script.then("GET", Answer(200, [{"id": 8, "body": "other"}, landed]))
    async with _timed(scripted.url, _Waits()) as client:
        assert await client.create_comment(3, "plan") == Comment(9, "plan", User(), "")
    assert [s.method for s in scripted.script.sent] == ["POST", "GET"]


def test_a_write_made_at_the_very_moment_of_the_call_counts_as_landed() -> None:
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert _since({"created_at": "2026-11-25T12:00:00Z"}, moment)
    assert not _since({"created_at": "2026-11-25T11:59:59Z"}, moment)
    assert _since({"created_at": "2026-11-25T11:00:00"}, moment)  # no zone: cannot tell
    assert _since({"created_at": "yesterday"}, moment) and _since({}, moment)


# -- every call sends exactly the request GitHub documents --------------------

R = f"/repos/{REPO}"
Call = Callable[[GitHubClient], Awaitable[Any]]
LISTED = {"per_page": "100"}


@dataclass(frozen=True)
class Exchange:
    """A call, the answer GitHub gives, the request it must send and what it returns."""

    call: Call
    answer: Answer
    method: str
    path: str
    query: dict[str, str]
    body: Any
    returns: Any
    accept: str = "application/vnd.github+json"


def _x(
    call: Call,
    answer: Answer,
    sent: tuple[str, str, dict[str, str], Any],
    returns: Any,
    accept: str = "application/vnd.github+json",
) -> Exchange:
    return Exchange(call, answer, *sent, returns, accept)


B64 = base64.b64encode(b"a: 1\n").decode()
RAW = "application/vnd.github.raw+json"
BIG = "x" * 1_500_000 + "é\n"
EXCHANGES = {
    "comments": _x(
        lambda c: c.comments(3),
        Answer(200, [{"id": 1}]),
        ("GET", f"{R}/issues/3/comments", LISTED, None),
        [Comment(1, "", User(), "")],
    ),
    "update_comment": _x(
        lambda c: c.update_comment(12, "b"),
        Answer(200, {"id": 12}),
        ("PATCH", f"{R}/issues/comments/12", {}, {"body": "b"}),
        Comment(12, "", User(), ""),
    ),
    "pulls_of_commit": _x(
        lambda c: c.pulls_of_commit("a#b"),
        Answer(200, [{"number": 4}]),
        ("GET", f"{R}/commits/a%23b/pulls", LISTED, None),
        [PullRequest(4, "", "", User(), "", "", "", "", None, None, 0, None)],
    ),
    "issues_not_pulls": _x(
        lambda c: c.issues(label="reconciler-drift"),
        Answer(200, [{"number": 1}, {"number": 2, "pull_request": {}}]),
        ("GET", f"{R}/issues", {"state": "open", "labels": "reconciler-drift", **LISTED}, None),
        [Issue(1, "", "", "")],
    ),
    "every_issue": _x(
        lambda c: c.issues(),
        Answer(200, [{"number": 1}]),
        ("GET", f"{R}/issues", {"state": "open", **LISTED}, None),
        [Issue(1, "", "", "")],
    ),
    "check_runs": _x(
        lambda c: c.check_runs("abc", name="reconciler plan / plan comment"),
        Answer(200, {"total_count": 1, "check_runs": [{"id": 5}]}),
        (
            "GET",
            f"{R}/commits/abc/check-runs",
            {"check_name": "reconciler plan / plan comment", **LISTED},
            None,
        ),
        [CheckRun(5, "", None, None, None)],
    ),
    "create_check_run": _x(
        lambda c: c.create_check_run(
            "abc",
            "plan",
            conclusion="success",
            title="4 to create",
            summary="## Plan",
            details_url="https://github.example/run/1",
            external_id="hmac-sha256:12",
        ),
        Answer(201, {"id": 6}),
        (
            "POST",
            f"{R}/check-runs",
            {},
            {
                "name": "plan",
                "head_sha": "abc",
                "status": "completed",
                "conclusion": "success",
                "output": {"title": "4 to create", "summary": "## Plan"},
                "details_url": "https://github.example/run/1",
                "external_id": "hmac-sha256:12",
            },
        ),
        CheckRun(6, "", None, None, None),
    ),
    "label": _x(
        lambda c: c.label("drift/hr #1"),
        Answer(200, {"name": "drift/hr #1"}),
        ("GET", f"{R}/labels/drift%2Fhr%20%231", {}, None),
        Label("drift/hr #1"),
    ),
    "label_absent": _x(
        lambda c: c.label("x"),
        Answer(404, {"message": "Not Found"}),
        ("GET", f"{R}/labels/x", {}, None),
        None,
    ),
    "create_label": _x(
        lambda c: c.create_label("d", color="d93f0b", description="HR drift"),
        Answer(201, {"name": "d"}),
        ("POST", f"{R}/labels", {}, {"name": "d", "color": "d93f0b", "description": "HR drift"}),
        Label("d"),
    ),
    "closed_issues": _x(
        lambda c: c.issues(label="x", state="closed"),
        Answer(200, []),
        ("GET", f"{R}/issues", {"state": "closed", "labels": "x", **LISTED}, None),
        [],
    ),
    "create_issue": _x(
        lambda c: c.create_issue("T", "B", ["a", "b"]),
        Answer(201, {"number": 9}),
        ("POST", f"{R}/issues", {}, {"title": "T", "body": "B", "labels": ["a", "b"]}),
        Issue(9, "", "", ""),
    ),
    "update_issue": _x(
        lambda c: c.update_issue(9, state="closed", state_reason="completed"),
        Answer(200, {"number": 9}),
        ("PATCH", f"{R}/issues/9", {}, {"state": "closed", "state_reason": "completed"}),
        Issue(9, "", "", ""),
    ),
    "repo": _x(
        lambda c: c.repo(),
        Answer(200, {"default_branch": "trunk"}),
        ("GET", R, {}, None),
        Repository("trunk"),
    ),
    "get_ref": _x(
        lambda c: c.get_ref("sync #1"),
        Answer(200, {"ref": "refs/heads/sync #1", "object": {"sha": "c1"}}),
        ("GET", f"{R}/git/ref/heads/sync%20%231", {}, None),
        Ref("c1"),
    ),
    "get_ref_absent": _x(
        lambda c: c.get_ref("gone"),
        Answer(404, {"message": "Not Found"}),
        ("GET", f"{R}/git/ref/heads/gone", {}, None),
        None,
    ),
    "create_ref": _x(
        lambda c: c.create_ref("sync/1", "abc"),
        Answer(201, {"ref": "refs/heads/sync/1", "object": {"sha": "abc"}}),
        ("POST", f"{R}/git/refs", {}, {"ref": "refs/heads/sync/1", "sha": "abc"}),
        Ref("abc"),
    ),
    "update_ref_forced": _x(
        lambda c: c.update_ref("sync/1", "abc"),
        Answer(200, {"object": {"sha": "abc"}}),
        ("PATCH", f"{R}/git/refs/heads/sync/1", {}, {"sha": "abc", "force": True}),
        Ref("abc"),
    ),
    "update_ref_fast_forward": _x(
        lambda c: c.update_ref("s", "abc", force=False),
        Answer(200, {"object": {"sha": "abc"}}),
        ("PATCH", f"{R}/git/refs/heads/s", {}, {"sha": "abc", "force": False}),
        Ref("abc"),
    ),
    "delete_ref": _x(
        lambda c: c.delete_ref("s#1"),
        Answer(204),
        ("DELETE", f"{R}/git/refs/heads/s%231", {}, None),
        True,
    ),
    "delete_ref_gone": _x(
        lambda c: c.delete_ref("s"),
        Answer(422, {"message": "Reference does not exist"}),
        ("DELETE", f"{R}/git/refs/heads/s", {}, None),
        False,
    ),
    "get_file_raw": _x(
        lambda c: c.get_file("dir/a b.yaml", "sync"),
        Answer(200, text="a: 1\n", media_type="application/vnd.github.raw"),
        ("GET", f"{R}/contents/dir/a%20b.yaml", {"ref": "sync"}, None),
        File("a: 1\n", blob_sha("a: 1\n")),
        RAW,
    ),
    "get_file_raw_over_1_mb": _x(
        lambda c: c.get_file("plan.json", "main"),
        Answer(200, text=BIG, media_type="application/vnd.github.raw; charset=utf-8"),
        ("GET", f"{R}/contents/plan.json", {"ref": "main"}, None),
        File(BIG, blob_sha(BIG)),
        RAW,
    ),
    "get_file_raw_empty": _x(
        lambda c: c.get_file("e", "main"),
        Answer(200, text="", media_type="application/vnd.github.raw"),
        ("GET", f"{R}/contents/e", {"ref": "main"}, None),
        File("", blob_sha("")),
        RAW,
    ),
    "get_file_as_json": _x(  # a proxy that drops the raw media type: base64 still reads
        lambda c: c.get_file("dir/a b.yaml", "sync"),
        Answer(200, {"type": "file", "encoding": "base64", "content": B64, "sha": "f1"}),
        ("GET", f"{R}/contents/dir/a%20b.yaml", {"ref": "sync"}, None),
        File("a: 1\n", "f1"),
        RAW,
    ),
    "get_file_as_json_empty": _x(
        lambda c: c.get_file("e", "main"),
        Answer(200, {"type": "file", "encoding": "base64", "content": None, "sha": "e0"}),
        ("GET", f"{R}/contents/e", {"ref": "main"}, None),
        File("", "e0"),
        RAW,
    ),
    "get_file_absent": _x(
        lambda c: c.get_file("e", "main"),
        Answer(404, {"message": "Not Found"}),
        ("GET", f"{R}/contents/e", {"ref": "main"}, None),
        None,
        RAW,
    ),
    "put_new_file": _x(
        lambda c: c.put_file("a b.yaml", "a: 1\n", message="Plan", branch="sync"),
        Answer(201, {"content": {"sha": "f1"}}),
        (
            "PUT",
            f"{R}/contents/a%20b.yaml",
            {},
            {"message": "Plan", "content": B64, "branch": "sync"},
        ),
        Written("", "f1", None),
    ),
    "put_replaced_file": _x(
        lambda c: c.put_file("a", "a: 1\n", message="m", branch="s", sha="f0"),
        Answer(200, {"content": {"sha": "f1"}}),
        (
            "PUT",
            f"{R}/contents/a",
            {},
            {"message": "m", "content": B64, "branch": "s", "sha": "f0"},
        ),
        Written("", "f1", None),
    ),
    "commit": _x(
        lambda c: c.commit("a#b"),
        Answer(200, {"files": []}),
        ("GET", f"{R}/commits/a%23b", {}, None),
        Commit("", (), ()),
    ),
    "open_pulls": _x(
        lambda c: c.pulls(),
        Answer(200, []),
        ("GET", f"{R}/pulls", {"state": "open", **LISTED}, None),
        [],
    ),
    "pulls_of_a_branch": _x(
        lambda c: c.pulls(head="sync", base="main", state="all"),
        Answer(200, [{"number": 2}]),
        (
            "GET",
            f"{R}/pulls",
            {"state": "all", "head": "acme:sync", "base": "main", **LISTED},
            None,
        ),
        [PullRequest(2, "", "", User(), "", "", "", "", None, None, 0, None)],
    ),
    "pulls_of_a_fork": _x(
        lambda c: c.pulls(head="ada:sync"),
        Answer(200, []),
        ("GET", f"{R}/pulls", {"state": "open", "head": "ada:sync", **LISTED}, None),
        [],
    ),
    "pull": _x(
        lambda c: c.pull(5),
        Answer(200, {"number": 5}),
        ("GET", f"{R}/pulls/5", {}, None),
        PullRequest(5, "", "", User(), "", "", "", "", None, None, 0, None),
    ),
    "create_pull": _x(
        lambda c: c.create_pull(title="T", head="sync", base="main", body="B"),
        Answer(201, {"number": 6}),
        ("POST", f"{R}/pulls", {}, {"title": "T", "head": "sync", "base": "main", "body": "B"}),
        PullRequest(6, "", "", User(), "", "", "", "", None, None, 0, None),
    ),
    "update_pull": _x(
        lambda c: c.update_pull(6, state="closed"),
        Answer(200, {"number": 6}),
        ("PATCH", f"{R}/pulls/6", {}, {"state": "closed"}),
        PullRequest(6, "", "", User(), "", "", "", "", None, None, 0, None),
    ),
    "reviews": _x(
        lambda c: c.reviews(6),
        Answer(200, [{"state": "APPROVED"}]),
        ("GET", f"{R}/pulls/6/reviews", LISTED, None),
        [Review(User(), "APPROVED", None, None)],
    ),
    "environments": _x(
        lambda c: c.environments(),
        Answer(200, {"total_count": 1, "environments": [{"name": "prod"}]}),
        ("GET", f"{R}/environments", LISTED, None),
        [Environment("prod", restricted=False)],
    ),
    "repo_secrets": _x(
        lambda c: c.repo_secrets(),
        Answer(200, {"total_count": 1, "secrets": [{"name": "K", "created_at": "x"}]}),
        ("GET", f"{R}/actions/secrets", LISTED, None),
        ["K"],
    ),
    "workflow_permissions": _x(
        lambda c: c.workflow_permissions(),
        Answer(200, {"default_workflow_permissions": "read"}),
        ("GET", f"{R}/actions/permissions/workflow", {}, None),
        WorkflowPermissions(default_write=False, may_approve=False),
    ),
    "branch_protection": _x(
        lambda c: c.branch_protection("release/1"),
        Answer(200, {"enforce_admins": {}}),
        ("GET", f"{R}/branches/release/1/protection", {}, None),
        BranchProtection((), 0, False, ()),
    ),
    "rulesets": _x(
        lambda c: c.rulesets(),
        Answer(200, [{"id": 1, "name": "main", "enforcement": "active"}]),
        ("GET", f"{R}/rulesets", LISTED, None),
        [Ruleset(1, "main", "active")],
    ),
    "branch_rules": _x(
        lambda c: c.branch_rules("release/1"),
        Answer(200, [{"type": "pull_request", "ruleset_id": 1}]),
        ("GET", f"{R}/rules/branches/release/1", LISTED, None),
        [BranchRule("pull_request", 1)],
    ),
    "branch_unprotected": _x(
        lambda c: c.branch_protection("main"),
        Answer(404, {"message": "Branch not protected"}),
        ("GET", f"{R}/branches/main/protection", {}, None),
        None,
    ),
}


@pytest.mark.parametrize("case", EXCHANGES.values(), ids=EXCHANGES.keys())
async def test_each_call_sends_exactly_the_request_github_documents(
    scripted: Scripted, case: Exchange
) -> None:
    scripted.script.then(case.method, case.answer)
    async with _timed(scripted.url, _Waits()) as client:
        assert await case.call(client) == case.returns
    (sent,) = scripted.script.sent
    assert (sent.method, sent.path, dict(urllib.parse.parse_qsl(sent.query)), sent.body) == (
        case.method,
        case.path,
        case.query,
        case.body,
    )
    assert {k: sent.headers[k] for k in ("authorization", "accept", "x-github-api-version")} == {
        "authorization": f"Bearer {SANDBOX_TOKEN}",
        "accept": case.accept,
        "x-github-api-version": "2022-11-28",
    }
    assert sent.headers["user-agent"] == "reconciler"


# -- failures: what is retried, what is said ---------------------------------


async def test_bad_credentials_are_named_with_the_variable_to_check(scripted: Scripted) -> None:
    scripted.script.then("GET", Answer(401, {"message": "Bad credentials"}))
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await client.repo()
    assert caught.value.message == f"GitHub GET {R} answered 401: bad credentials"
    assert caught.value.remedy == "check GITHUB_TOKEN" and len(scripted.script.sent) == 1


async def test_a_server_error_is_retried_after_its_retry_after_four_times_at_most(
    scripted: Scripted, caplog: pytest.LogCaptureFixture
) -> None:
    busy = Answer(500, {"message": "busy"}, {"retry-after": "2"})
    scripted.script.then("GET", busy, Answer(200, {"id": 1}))
    waits = _Waits()
    client = GitHubClient(scripted.url, Secret(SANDBOX_TOKEN), REPO, sleep=waits)
    async with client:
        with caplog.at_level(logging.INFO, logger="reconciler.http.retry"):
            assert await client.repo() == Repository("main")
        assert waits.seconds == [2.0]
        assert caplog.messages == [f"GitHub GET {R}: HTTP 500; retry 1 in 2.00s"]
        scripted.script.then("GET", *[Answer(502, {"message": "Bad Gateway"})] * 5)
        with pytest.raises(GitHubError) as caught:
            await client.repo()
    assert caught.value.message == f"GitHub GET {R} failed 4 times (HTTP 502)"
    assert len(scripted.script.sent) == 2 + 4
    assert all(0 <= wait <= 8 for wait in waits.seconds[1:]) and len(waits.seconds) == 4


async def test_a_refused_connection_is_named_after_the_last_try() -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits = _Waits()
    async with _timed(f"http://127.0.0.1:{port}", waits) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert caught.value.message == (
        f"GitHub GET {PATH} failed 6 times (connection failed: ConnectError)"
    )
    assert len(waits.seconds) == 5


@contextmanager
def _hanging_up() -> Iterator[str]:
    """A loopback server that reads each request and closes the connection unanswered."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


async def test_a_request_left_unanswered_is_named_after_the_last_try() -> None:
    waits = _Waits()
    with _hanging_up() as url:
        async with _timed(url, waits) as client:
            with pytest.raises(GitHubError) as caught:
                await client.comments(3)
    assert caught.value.message == (
        f"GitHub GET {PATH} failed 6 times (no answer: RemoteProtocolError)"
    )
    assert len(waits.seconds) == 5


async def test_an_answer_of_another_shape_is_named(scripted: Scripted) -> None:
    scripted.script.then(
        "GET",
        Answer(200, text="<html>maintenance</html>"),
        Answer(200, ["not", "an", "object"]),
        Answer(200, {"total_count": 0}),
        Answer(200, {"type": "dir", "encoding": "base64", "content": "", "sha": "d"}),
        Answer(200, {"type": "file", "encoding": "none", "content": "", "size": 2_000_000}),
        Answer(200, [{"type": "file", "name": "a.json"}]),
        Answer(200, {"type": "file", "encoding": "base64", "content": "//79"}),
        Answer(200, text="<html>maintenance</html>"),
        Answer(200, ["a list"]),
        Answer(418, {"message": "I'm a teapot"}),
    )
    async with _timed(scripted.url, _Waits()) as client:
        problems = [
            client.repo(),
            client.repo(),
            client.repo_secrets(),
            client.get_file("plans", "main"),
            client.get_file("big.json", "main"),
            client.get_file("plans", "main"),
            client.get_file("latin1.txt", "main"),
            client.get_ref("main"),
            client.branch_protection("main"),
            client.get_ref("main"),
        ]
        messages = []
        for problem in problems:
            with pytest.raises(GitHubError) as caught:
                await problem
            messages.append(caught.value.message)
    assert messages == [
        f"GitHub GET {R}: the answer is not JSON",
        f"GitHub GET {R}: expected an object",
        f"GitHub GET {R}/actions/secrets: expected a list",
        f"GitHub GET {R}/contents/plans: not a file",
        f"GitHub GET {R}/contents/big.json: GitHub answered without the file's content "
        "(encoding 'none', 2,000,000 bytes)",
        f"GitHub GET {R}/contents/plans: a directory",
        f"GitHub GET {R}/contents/latin1.txt: the file is not UTF-8 text",
        f"GitHub GET {R}/git/ref/heads/main: the answer is not JSON",
        f"GitHub GET {R}/branches/main/protection: expected an object",
        f"GitHub GET {R}/git/ref/heads/main answered 418: I'm a teapot",
    ]


async def test_the_next_page_is_the_link_github_gives_with_its_own_query(
    scripted: Scripted,
) -> None:
    second = f"{scripted.url}{R}/issues/3/comments?per_page=100&page=2"
    scripted.script.then(
        "GET",
        Answer(200, [{"id": 1}], {"link": f'<{second}>; rel="next", <{second}>; rel="last"'}),
        Answer(200, [{"id": 2}]),
    )
    async with _timed(scripted.url, _Waits()) as client:
        assert [c.id for c in await client.comments(3)] == [1, 2]
    assert [(s.path, s.query) for s in scripted.script.sent] == [
        (PATH, "per_page=100"),
        (PATH, "per_page=100&page=2"),
    ]


async def test_a_failing_next_page_is_named_by_its_path(scripted: Scripted) -> None:
    second = f"{scripted.url}{R}/issues/3/comments?per_page=100&page=2"
    scripted.script.then(
        "GET",
        Answer(200, [{"id": 1}], {"link": f'<{second}>; rel="next"'}),
        Answer(404, {"message": "Not Found"}),
    )
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert caught.value.message == f"GitHub GET {PATH} answered 404: Not Found"


async def test_a_wrapped_list_answered_bare_is_read_as_it_is(scripted: Scripted) -> None:
    scripted.script.then("GET", Answer(200, [{"name": "production"}]))
    async with _timed(scripted.url, _Waits()) as client:
        assert await client.environments() == [Environment("production", restricted=False)]


async def test_an_enterprise_api_url_keeps_its_path(scripted: Scripted) -> None:
    scripted.script.then("GET", Answer(200, {"id": 1}))
    client = GitHubClient(f"{scripted.url}/api/v3/", Secret(SANDBOX_TOKEN), REPO)
    async with client:
        await client.repo()
    assert scripted.script.sent[0].path == f"/api/v3{R}"


async def test_a_body_of_65536_characters_is_sent_and_one_more_is_refused_unsent(
    scripted: Scripted,
) -> None:
    scripted.script.then("PATCH", Answer(200, {"id": 1}))
    async with _timed(scripted.url, _Waits()) as client:
        await client.update_comment(1, "x" * 65_536)
        with pytest.raises(GitHubError) as caught:
            await client.update_issue(2, body="x" * 65_537)
    assert caught.value.message == (
        f"GitHub PATCH {R}/issues/2: the body has 65537 characters, over 65,536"
    )
    assert [s.path for s in scripted.script.sent] == [f"{R}/issues/comments/1"]


async def test_an_edit_whose_answer_was_a_5xx_is_sent_again_and_logged(
    scripted: Scripted, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.script.then("PATCH", Answer(500, {}), Answer(200, {"id": 1}))
    async with _timed(scripted.url, _Waits()) as client:
        with caplog.at_level(logging.INFO, logger="reconciler.http.retry"):
            assert (await client.update_comment(1, "b")).id == 1
    assert [s.method for s in scripted.script.sent] == ["PATCH", "PATCH"]
    (retried,) = caplog.messages
    assert re.fullmatch(
        rf"GitHub PATCH {R}/issues/comments/1: HTTP 500; retry 1 in \d\.\d\ds", retried
    )


async def test_a_write_that_keeps_failing_is_named_after_the_last_try(scripted: Scripted) -> None:
    scripted.script.then("PATCH", *[Answer(502, {"message": "Bad Gateway"})] * 6)
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await client.update_issue(4, state="closed")
    assert caught.value.message == f"GitHub PATCH {R}/issues/4 failed 6 times (HTTP 502)"
    assert len(scripted.script.sent) == 6


async def test_a_write_answered_with_no_json_object_is_named(scripted: Scripted) -> None:
    scripted.script.then("POST", Answer(201, text="<html>created</html>"), Answer(201, ["x"]))
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as not_json:
            await client.create_comment(3, "plan")
        with pytest.raises(GitHubError) as not_object:
            await client.create_comment(3, "plan")
    assert not_json.value.message == f"GitHub POST {PATH}: the answer is not JSON"
    assert not_object.value.message == f"GitHub POST {PATH}: expected an object"


LOST = Answer(502, {"message": "Bad Gateway"})


async def test_a_file_write_that_landed_is_answered_from_the_branch(
    scripted: Scripted, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.script.then("PUT", LOST)
    content = {"type": "file", "encoding": "base64", "content": B64, "sha": "f1"}
    scripted.script.then("GET", Answer(200, content), Answer(200, {"object": {"sha": "c9"}}))
    async with _timed(scripted.url, _Waits()) as client:
        with caplog.at_level(logging.INFO, logger="reconciler.github.client"):
            made = await client.put_file("a.yaml", "a: 1\n", message="m", branch="sync")
    assert made == Written("a.yaml", "f1", "c9")
    assert [(s.method, s.path, s.query) for s in scripted.script.sent] == [
        ("PUT", f"{R}/contents/a.yaml", ""),
        ("GET", f"{R}/contents/a.yaml", "ref=sync"),
        ("GET", f"{R}/git/ref/heads/sync", ""),
    ]
    assert f"GitHub PUT {R}/contents/a.yaml: the earlier attempt had landed" in caplog.messages


async def test_a_file_write_that_landed_on_a_branch_deleted_since_has_no_commit(
    scripted: Scripted,
) -> None:
    scripted.script.then("PUT", LOST)
    content = {"type": "file", "encoding": "base64", "content": B64, "sha": "f1"}
    scripted.script.then("GET", Answer(200, content), Answer(404, {"message": "Not Found"}))
    async with _timed(scripted.url, _Waits()) as client:
        made = await client.put_file("a.yaml", "a: 1\n", message="m", branch="sync")
    assert made == Written("a.yaml", "f1", None)


@pytest.mark.parametrize(
    "found",
    [
        Answer(404, {"message": "Not Found"}),
        Answer(200, {"type": "file", "encoding": "base64", "content": "eA==", "sha": "f0"}),
    ],
    ids=["absent", "other-text"],
)
async def test_a_file_write_that_left_no_trace_is_sent_again(
    scripted: Scripted, found: Answer
) -> None:
    scripted.script.then("PUT", LOST, Answer(201, {"content": {"sha": "f1"}}))
    scripted.script.then("GET", found)
    async with _timed(scripted.url, _Waits()) as client:
        made = await client.put_file("a.yaml", "a: 1\n", message="m", branch="sync")
    assert made == Written("", "f1", None)
    assert [s.method for s in scripted.script.sent] == ["PUT", "GET", "PUT"]


async def test_an_issue_that_landed_is_found_by_its_title_and_body_whatever_its_labels(
    scripted: Scripted,
) -> None:
    scripted.script.then("POST", LOST, LOST)
    mine = {"number": 7, "title": "T", "body": "B"}
    scripted.script.then(
        "GET",
        Answer(200, [{"number": 5, "title": "T", "body": "other"}, mine, {**mine, "number": 8}]),
        Answer(200, [{"number": 6, "title": "other", "body": "B"}, mine]),
    )
    async with _timed(scripted.url, _Waits()) as client:
        assert await client.create_issue("T", "B", ["drift", "hr"]) == Issue(7, "T", "B", "")
        assert await client.create_issue("T", "B", []) == Issue(7, "T", "B", "")
    queries = [s.query for s in scripted.script.sent]
    assert [s.method for s in scripted.script.sent] == ["POST", "GET", "POST", "GET"]
    # Not by label: GitHub drops the labels of a token that may not push.
    assert queries[1] == queries[3] == "state=open&per_page=100"


async def test_an_issue_that_left_no_trace_is_opened_again(scripted: Scripted) -> None:
    scripted.script.then("POST", LOST, Answer(201, {"number": 9}))
    scripted.script.then("GET", Answer(200, [{"number": 5, "title": "T", "body": "other"}]))
    async with _timed(scripted.url, _Waits()) as client:
        assert (await client.create_issue("T", "B", ["drift"])).number == 9
    assert [s.method for s in scripted.script.sent] == ["POST", "GET", "POST"]


async def test_a_branch_that_landed_at_the_same_commit_is_not_created_again(
    scripted: Scripted,
) -> None:
    made = Answer(201, {"ref": "refs/heads/s", "object": {"sha": "abc"}})
    scripted.script.then("POST", LOST, LOST, made, LOST, made)
    scripted.script.then(
        "GET",
        Answer(200, {"ref": "refs/heads/s", "object": {"sha": "abc"}}),
        Answer(200, {"ref": "refs/heads/s", "object": {"sha": "old"}}),
        Answer(200, {"ref": "refs/heads/s"}),
    )
    async with _timed(scripted.url, _Waits()) as client:
        landed = await client.create_ref("s", "abc")
        assert landed == Ref("abc")
        assert await client.create_ref("s", "abc") == Ref("abc")  # elsewhere: made again
        assert await client.create_ref("s", "abc") == Ref("abc")  # no commit: made again
    methods = [s.method for s in scripted.script.sent]
    assert methods == ["POST", "GET", "POST", "GET", "POST", "POST", "GET", "POST"]


async def test_a_pull_request_that_landed_is_found_by_head_and_base(scripted: Scripted) -> None:
    scripted.script.then("POST", LOST, LOST, Answer(201, {"number": 3}))
    scripted.script.then("GET", Answer(200, [{"number": 2}, {"number": 1}]), Answer(200, []))
    async with _timed(scripted.url, _Waits()) as client:
        made = await client.create_pull(title="T", head="s", base="main", body="B")
        assert made.number == 2
        made = await client.create_pull(title="T", head="s", base="main", body="B")
        assert made.number == 3
    lookups = [dict(urllib.parse.parse_qsl(s.query)) for s in scripted.script.sent[1::2]]
    assert lookups == [{"state": "open", "head": "acme:s", "base": "main", **LISTED}] * 2


WRITES = {
    "update_ref": (lambda c: c.update_ref("s", "abc"), "PATCH", f"{R}/git/refs/heads/s"),
    "delete_ref": (lambda c: c.delete_ref("s"), "DELETE", f"{R}/git/refs/heads/s"),
    "create_pull": (
        lambda c: c.create_pull(title="T", head="s", base="main", body="B"),
        "POST",
        f"{R}/pulls",
    ),
    "update_pull": (lambda c: c.update_pull(6, state="closed"), "PATCH", f"{R}/pulls/6"),
    "create_ref": (lambda c: c.create_ref("s", "abc"), "POST", f"{R}/git/refs"),
    "create_issue": (lambda c: c.create_issue("T", "B", []), "POST", f"{R}/issues"),
    "create_comment": (lambda c: c.create_comment(3, "B"), "POST", f"{R}/issues/3/comments"),
    "put_file": (
        lambda c: c.put_file("a", "x", message="m", branch="s"),
        "PUT",
        f"{R}/contents/a",
    ),
}


@pytest.mark.parametrize(("call", "method", "path"), WRITES.values(), ids=WRITES.keys())
async def test_a_refused_write_is_named_by_its_method_and_path(
    scripted: Scripted, call: Call, method: str, path: str
) -> None:
    scripted.script.then(method, Answer(404, {"message": "Not Found"}))
    async with _timed(scripted.url, _Waits()) as client:
        with pytest.raises(GitHubError) as caught:
            await call(client)
    assert caught.value.message == f"GitHub {method} {path} answered 404: Not Found"


def test_a_github_that_never_answers_is_given_up_on_after_30_seconds() -> None:
    # Waiting for it would cost the suite half a minute: the setting is pinned instead.
    client = GitHubClient("https://api.github.com", Secret("token"), "acme/people")
    assert client._http.timeout == httpx.Timeout(30.0, connect=10.0)

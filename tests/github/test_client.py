"""The GitHub client against the emulator over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.client import GitHubClient
from reconciler.retry import RetryPolicy
from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN, GitHubData, create_app
from reconciler.sandbox.github_git import blob_sha
from reconciler.sandbox.server import serve_in_thread

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
    data: GitHubData
    url: str


@pytest.fixture
def hub() -> Iterator[Hub]:
    data = GitHubData()
    with serve_in_thread(create_app(data)) as url:
        yield Hub(data, url)


async def test_comments_are_listed_across_pages_by_link_header(hub: Hub) -> None:
    hub.data.add_pull(5)
    for n in range(250):
        hub.data.add_comment(5, f"c{n}")
    async with _client(hub.url) as client:
        comments = await client.comments(5)
    first = httpx.get(
        f"{hub.url}/repos/{REPO}/issues/5/comments?per_page=100",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )
    assert [c["body"] for c in comments] == [f"c{n}" for n in range(250)]
    assert 'rel="next"' in first.headers["link"] and first.headers["x-ratelimit-limit"] == "5000"


async def test_no_token_is_401_and_named(hub: Hub) -> None:
    assert httpx.get(f"{hub.url}/repos/{REPO}/issues").status_code == 401
    async with _client(hub.url, "wrong") as client:
        with pytest.raises(GitHubError) as caught:
            await client.issues(label="x")
    assert "bad credentials" in caught.value.message and "GITHUB_TOKEN" in (
        caught.value.remedy or ""
    )
    assert "wrong" not in caught.value.diagnostics()


async def test_a_body_over_65536_characters_is_refused(hub: Hub) -> None:
    hub.data.add_pull(1)
    answer = httpx.post(
        f"{hub.url}/repos/{REPO}/issues/1/comments",
        json={"body": "x" * 65_537},
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )
    async with _client(hub.url) as client:
        with pytest.raises(GitHubError, match="over 65,536"):
            await client.create_comment(1, "x" * 65_537)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "Body is too long (maximum is 65536 characters)"


async def test_an_exhausted_rate_limit_is_a_clear_error() -> None:
    data = GitHubData(rate_limit=1)
    with serve_in_thread(create_app(data)) as url:
        async with _client(url) as client:
            await client.issues(label="x")
            with pytest.raises(GitHubError, match="rate limit reached; it resets in"):
                await client.issues(label="x")


# -- refs, contents, commits -------------------------------------------------


async def test_a_branch_is_created_written_moved_and_deleted(hub: Hub) -> None:
    async with _client(hub.url) as client:
        main = await client.get_ref("main")
        assert main is not None and await client.get_ref("sync") is None
        start = main["object"]["sha"]
        made = await client.create_ref("sync", start)
        assert made["ref"] == "refs/heads/sync" and made["object"]["sha"] == start
        assert await client.get_file("company.plan.json", "sync") is None
        put = await client.put_file(
            "company.plan.json", '{"a": 1}\n', message="Plan", branch="sync"
        )
        text, sha = await client.get_file("company.plan.json", "sync") or ("", "")
        assert (
            (text, sha) == ('{"a": 1}\n', blob_sha('{"a": 1}\n')) == (text, put["content"]["sha"])
        )
        await client.put_file("company.plan.json", "{}\n", message="Plan", branch="sync", sha=sha)
        with pytest.raises(GitHubError, match=r"409.*does not match"):
            await client.put_file("company.plan.json", "x", message="m", branch="sync", sha=sha)
        changed = await client.commit("sync")
        assert [(f["filename"], f["status"]) for f in changed["files"]] == [
            ("company.plan.json", "modified")
        ]
        with pytest.raises(GitHubError, match="not a fast forward"):
            await client.update_ref("sync", start, force=False)
        moved = await client.update_ref("sync", start)
        assert moved["object"]["sha"] == start
        assert await client.delete_ref("sync") is True
        assert await client.delete_ref("sync") is False
        assert await client.get_ref("sync") is None
    assert hub.data.file("company.plan.json", "main") is None


async def test_put_file_needs_the_current_sha_to_replace_a_file(hub: Hub) -> None:
    hub.data.commit_files("main", {"company.yaml": "a: 1\n"})
    async with _client(hub.url) as client:
        with pytest.raises(GitHubError, match=r"(?s)422.*\"sha\" wasn.t supplied"):
            await client.put_file("company.yaml", "a: 2\n", message="m", branch="main")
        assert (await client.repo())["default_branch"] == "main"


# -- pull requests and reviews -----------------------------------------------


async def test_a_pull_request_is_opened_found_updated_and_closed(hub: Hub) -> None:
    hub.data.commit_files("reconciler/sync", {"company.plan.json": "{}\n"})
    async with _client(hub.url) as client:
        opened = await client.create_pull(
            title="Sync", head="reconciler/sync", base="main", body="plan"
        )
        with pytest.raises(GitHubError, match="A pull request already exists"):
            await client.create_pull(title="Sync", head="reconciler/sync", base="main", body="")
        (found,) = await client.pulls(head="reconciler/sync", base="main")
        assert (
            found["number"] == opened["number"] and found["user"]["login"] == "github-actions[bot]"
        )
        assert await client.pulls(head="other") == []
        await client.update_pull(opened["number"], title="Sync 2", body="new plan")
        assert (await client.pull(opened["number"]))["title"] == "Sync 2"
        await client.update_pull(opened["number"], state="closed")
        assert await client.pulls(head="reconciler/sync") == []
        (closed,) = await client.pulls(head="reconciler/sync", state="closed")
        assert closed["closed_at"] is not None and closed["merged"] is False


async def test_reviews_and_a_merge_are_seen_as_github_shows_them(hub: Hub) -> None:
    head = hub.data.commit_files("change", {"company.yaml": "a: 2\n"})
    pr = hub.data.add_pull(head="change", by="ada")
    hub.data.add_review(pr["number"], "grace", "APPROVED")
    hub.data.add_review(pr["number"], "ada", "COMMENTED", commit_id="0" * 40)
    merge = hub.data.merge_pull(pr["number"])
    async with _client(hub.url) as client:
        reviews = await client.reviews(pr["number"])
        merged = await client.pull(pr["number"])
        commit = await client.commit(merge)
        (of_commit,) = await client.pulls_of_commit(merge)
    assert [(r["user"]["login"], r["state"], r["commit_id"]) for r in reviews] == [
        ("grace", "APPROVED", head),
        ("ada", "COMMENTED", "0" * 40),
    ]
    assert merged["merged"] and merged["merged_at"] and merged["merge_commit_sha"] == merge
    assert merged["state"] == "closed" and merged["head"]["sha"] == head
    assert [(f["filename"], f["status"]) for f in commit["files"]] == [("company.yaml", "added")]
    assert of_commit["number"] == pr["number"]
    assert hub.data.file("company.yaml") == "a: 2\n"


# -- settings (doctor) -------------------------------------------------------


async def test_settings_are_read_by_name_and_protection_needs_an_admin(hub: Hub) -> None:
    hub.data.add_environment("ledgy-production", ["LEDGY_API_KEY", "CHARLIEHR_CLIENT_SECRET"])
    hub.data.repo_secrets.append("RECONCILER_PLAN_KEY")
    async with _client(hub.url, ADMIN_TOKEN) as admin:
        (env,) = await admin.environments()
        assert env["name"] == "ledgy-production"
        assert await admin.environment_secrets("ledgy-production") == [
            "CHARLIEHR_CLIENT_SECRET",
            "LEDGY_API_KEY",
        ]
        assert await admin.repo_secrets() == ["RECONCILER_PLAN_KEY"]
        assert await admin.branch_protection("main") is None
        hub.data.protect("main", contexts=["reconciler / plan"], approvals=2)
        rules = await admin.branch_protection("main")
    assert rules is not None
    assert rules["required_status_checks"]["contexts"] == ["reconciler / plan"]
    assert rules["required_pull_request_reviews"]["required_approving_review_count"] == 2
    async with _client(hub.url) as bot:
        with pytest.raises(GitHubError) as caught:
            await bot.branch_protection("main")
        with pytest.raises(GitHubError, match="403") as secrets:
            await bot.repo_secrets()
    assert "403" in caught.value.message
    assert "Administration: read" in (caught.value.remedy or "")
    assert "Secrets: read" in (secrets.value.remedy or "")
    async with _client(hub.url) as bot:
        with pytest.raises(GitHubError, match="403") as actions:
            await bot.workflow_permissions()
    assert "Actions settings" in (actions.value.remedy or "")


# -- guards: retries and no double writes ------------------------------------


async def test_a_5xx_is_retried_until_it_succeeds_and_then_given_up(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(2, method="GET", status=502)
    async with _client(hub.url) as client:
        assert await client.comments(3) == []
        hub.data.fail_next(4, method="GET", status=503)
        with pytest.raises(GitHubError, match="failed 4 times \\(HTTP 503\\)"):
            await client.comments(3)


async def test_a_comment_whose_post_failed_before_the_work_is_sent_again(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(1, method="POST", status=500)
    async with _client(hub.url) as client:
        made = await client.create_comment(3, "plan")
    assert [c["id"] for c in hub.data.issue_comments(3)] == [made["id"]]


async def test_a_comment_that_landed_before_a_500_is_not_posted_twice(hub: Hub) -> None:
    hub.data.add_pull(3)
    hub.data.fail_next(1, method="POST", status=500, after_work=True)
    async with _client(hub.url) as client:
        made = await client.create_comment(3, "<!-- reconciler:plan x -->\nplan")
    (only,) = hub.data.issue_comments(3)
    assert made["id"] == only["id"]


class _TimeoutAfterSend(httpx.AsyncBaseTransport):
    """Forwards every request; the first POST's answer is lost (a read timeout)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
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
    transport = _TimeoutAfterSend()
    async with _client(hub.url, transport=transport) as client:
        made = await client.create_comment(3, "receipt")
    assert transport.lost == 1
    assert [c["id"] for c in hub.data.issue_comments(3)] == [made["id"]]


async def test_issues_pulls_and_branches_that_landed_before_a_500_are_not_doubled(
    hub: Hub,
) -> None:
    start = hub.data.git.branches["main"]
    async with _client(hub.url) as client:
        hub.data.fail_next(1, method="POST", after_work=True)
        await client.create_issue("HR drift", "body", ["reconciler-drift"])
        hub.data.fail_next(1, method="POST", after_work=True)
        made = await client.create_ref("sync", start)
        hub.data.fail_next(1, method="PUT", after_work=True)
        await client.put_file("plan.json", "{}\n", message="m", branch="sync")
        hub.data.fail_next(1, method="POST", after_work=True)
        opened = await client.create_pull(title="Sync", head="sync", base="main", body="b")
    assert len(hub.data.issues) == 1 and made["object"]["sha"] == start
    assert [p["number"] for p in hub.data.pulls] == [opened["number"]]
    assert hub.data.file("plan.json", "sync") == "{}\n"


class _RefusedOnce(httpx.AsyncBaseTransport):
    """The first connection is refused (nothing was sent), then all goes through."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
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
    transport = _RefusedOnce()
    async with _client(hub.url, transport=transport) as client:
        await client.create_comment(3, "plan")
    assert transport.refused == 1 and len(hub.data.issue_comments(3)) == 1


async def test_paths_branches_and_environments_with_url_characters_are_escaped(hub: Hub) -> None:
    odd = "plans/company #1 ü?.plan.json"
    hub.data.add_environment("Production EU", ["LEDGY_API_KEY"])
    async with _client(hub.url) as client:
        await client.create_ref("sync/#7", hub.data.git.branches["main"])
        await client.put_file(odd, "{}\n", message="m", branch="sync/#7")
        assert await client.get_file(odd, "sync/#7") == ("{}\n", blob_sha("{}\n"))
        assert (await client.get_ref("sync/#7") or {})["ref"] == "refs/heads/sync/#7"
    async with _client(hub.url, ADMIN_TOKEN) as admin:
        assert await admin.environment_secrets("Production EU") == ["LEDGY_API_KEY"]
    assert hub.data.file(odd, "sync/#7") == "{}\n"


async def test_secrets_and_environments_are_read_across_pages(hub: Hub) -> None:
    names = [f"SECRET_{n:03}" for n in range(130)]
    hub.data.repo_secrets.extend(names)
    for n in range(105):
        hub.data.add_environment(f"env-{n:03}")
    async with _client(hub.url, ADMIN_TOKEN) as admin:
        assert await admin.repo_secrets() == names
        assert len(await admin.environments()) == 105


async def test_an_identical_comment_from_an_earlier_run_is_not_taken_for_this_post(
    hub: Hub,
) -> None:
    hub.data.add_pull(3)
    old = hub.data.add_comment(3, "receipt")
    old["created_at"] = old["updated_at"] = "2024-01-02T09:00:00Z"
    hub.data.fail_next(1, method="POST", status=502)  # a proxy's 502: nothing landed
    async with _client(hub.url) as client:
        made = await client.create_comment(3, "receipt")
    assert made["id"] != old["id"]
    assert [c["id"] for c in hub.data.issue_comments(3)] == [old["id"], made["id"]]

"""The GitHub client against the emulator over loopback."""

from __future__ import annotations

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.client import GitHubClient
from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData, create_app
from reconciler.sandbox.server import serve_in_thread

pytestmark = pytest.mark.anyio


def _client(url: str, token: str = SANDBOX_TOKEN) -> GitHubClient:
    return GitHubClient(url, Secret(token), "acme/people-config")


async def test_comments_are_listed_across_pages_by_link_header() -> None:
    data = GitHubData()
    data.issue_comments(5).extend(
        {"id": n, "body": f"c{n}", "user": {"login": "x"}} for n in range(250)
    )
    with serve_in_thread(create_app(data)) as url:
        async with _client(url) as client:
            comments = await client.comments(5)
        first = httpx.get(
            f"{url}/repos/acme/people-config/issues/5/comments?per_page=100",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        )
    assert [c["id"] for c in comments] == list(range(250))
    assert 'rel="next"' in first.headers["link"] and first.headers["x-ratelimit-limit"] == "5000"


async def test_no_token_is_401_and_named() -> None:
    with serve_in_thread(create_app(GitHubData())) as url:
        assert httpx.get(f"{url}/repos/acme/people-config/issues").status_code == 401
        async with _client(url, "wrong") as client:
            with pytest.raises(GitHubError) as caught:
                await client.issues(label="x")
    assert "bad credentials" in caught.value.message and "GITHUB_TOKEN" in (
        caught.value.remedy or ""
    )
    assert "wrong" not in caught.value.diagnostics()


async def test_a_body_over_65536_characters_is_refused() -> None:
    data = GitHubData()
    data.add_pull(1)
    with serve_in_thread(create_app(data)) as url:
        answer = httpx.post(
            f"{url}/repos/acme/people-config/issues/1/comments",
            json={"body": "x" * 65_537},
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        )
        async with _client(url) as client:
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

"""A small async client for the GitHub REST API calls the reconciler makes.

Comments and issues as documented (https://docs.github.com/rest/issues); pages
followed by the ``Link`` header; primary and secondary rate limits waited out
when the wait is short (``Retry-After``, ``x-ratelimit-reset``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.retry import Retrier, RetryPolicy, Sleep, Transient, parse_retry_after

logger = logging.getLogger(__name__)

Json = dict[str, Any]
MAX_BODY = 65536


class GitHubClient:
    """Issue comments, issues and the pull requests of a commit, for one repository."""

    def __init__(
        self,
        api_url: str,
        token: Secret,
        repository: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=api_url.rstrip("/") + "/",
            headers={
                "Authorization": f"Bearer {token.reveal()}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "reconciler",
            },
            timeout=httpx.Timeout(30.0, connect=10.0),
            transport=transport,
        )
        self.repository = repository
        self._policy = policy or RetryPolicy(attempts=4)
        self._retrier = Retrier(self._policy, sleep)

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def comments(self, number: int) -> list[Json]:
        """Every comment of an issue or pull request."""
        return await self._all(f"repos/{self.repository}/issues/{number}/comments")

    async def create_comment(self, number: int, body: str) -> Json:
        """Post a comment."""
        return await self._send(
            "POST", f"repos/{self.repository}/issues/{number}/comments", {"body": body}
        )

    async def update_comment(self, comment_id: int, body: str) -> Json:
        """Edit a comment in place."""
        return await self._send(
            "PATCH", f"repos/{self.repository}/issues/comments/{comment_id}", {"body": body}
        )

    async def pulls_of_commit(self, sha: str) -> list[Json]:
        """The pull requests a commit belongs to (merged ones included)."""
        return await self._all(f"repos/{self.repository}/commits/{sha}/pulls")

    async def issues(self, *, label: str, state: str = "open") -> list[Json]:
        """Issues (not pull requests) with a label."""
        items = await self._all(
            f"repos/{self.repository}/issues", {"state": state, "labels": label}
        )
        return [i for i in items if "pull_request" not in i]

    async def create_issue(self, title: str, body: str, labels: list[str]) -> Json:
        """Open an issue."""
        payload = {"title": title, "body": body, "labels": labels}
        return await self._send("POST", f"repos/{self.repository}/issues", payload)

    async def update_issue(self, number: int, **fields: Any) -> Json:
        """Change an issue's title, body or state."""
        return await self._send("PATCH", f"repos/{self.repository}/issues/{number}", fields)

    async def _all(self, path: str, params: dict[str, str] | None = None) -> list[Json]:
        url: str | None = path
        query: dict[str, str] | None = {**(params or {}), "per_page": "100"}
        found: list[Json] = []
        while url:
            response = await self._request("GET", url, params=query)
            page = response.json()
            if not isinstance(page, list):
                raise GitHubError(f"GitHub GET /{path}: expected a list")
            found += page
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query
        return found

    async def _send(self, method: str, path: str, payload: Json) -> Json:
        body = payload.get("body")
        if isinstance(body, str) and len(body) > MAX_BODY:  # GitHub would answer 422
            raise GitHubError(
                f"GitHub {method} /{path}: the body has {len(body)} characters, over 65,536"
            )
        response = await self._request(method, path, json=payload)
        result = response.json()
        if not isinstance(result, dict):
            raise GitHubError(f"GitHub {method} /{path}: expected an object")
        return result

    async def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        def give_up(attempts: int, failure: Transient) -> GitHubError:
            return GitHubError(
                f"GitHub {method} /{_path(url)} failed {attempts} times ({failure.reason})"
            )

        async def once() -> httpx.Response:
            return await self._once(method, url, **options)

        return await self._retrier.run(
            once, label=f"GitHub {method} /{_path(url)}", give_up=give_up
        )

    async def _once(self, method: str, url: str, **options: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, url, **options)
        except httpx.TransportError as error:
            raise Transient(f"connection failed: {type(error).__name__}", None) from None
        status = response.status_code
        if status < 300:
            return response
        where = f"GitHub {method} /{_path(url)} answered {status}"
        if status == 401:
            raise GitHubError(f"{where}: bad credentials", remedy="check GITHUB_TOKEN")
        if status in (403, 429) and self._limited(response):
            raise Transient(f"rate limited ({status})", self._limit_wait(response, where))
        if status >= 500:
            raise Transient(
                f"HTTP {status}", parse_retry_after(response.headers.get("retry-after"))
            )
        if status == 403:
            raise GitHubError(
                f"{where}: not allowed{_message(response)}",
                remedy="grant the job the permission it needs "
                "(pull-requests: write, issues: write)",
            )
        raise GitHubError(f"{where}{_message(response)}")

    @staticmethod
    def _limited(response: httpx.Response) -> bool:
        return (
            response.headers.get("x-ratelimit-remaining") == "0"
            or "retry-after" in response.headers
        )

    def _limit_wait(self, response: httpx.Response, where: str) -> float:
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is None:
            reset = response.headers.get("x-ratelimit-reset", "")
            wait = max(0.0, float(reset) - time.time()) if reset.isdigit() else 60.0
        if wait > self._policy.max_retry_after:
            raise GitHubError(
                f"{where}: rate limit reached; it resets in {wait:.0f} s", remedy="run again later"
            )
        return wait


def _path(url: str) -> str:
    return httpx.URL(url).path.lstrip("/")


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    details = [e.get("message") for e in body.get("errors") or [] if isinstance(e, dict)]
    text = "; ".join(str(d) for d in details if d) or str(body.get("message") or "")
    return f": {text[:300]}" if text else ""

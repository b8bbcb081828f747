"""A small async client for the GitHub REST API calls the reconciler makes.

As documented at https://docs.github.com/rest: issues, labels and comments
(``/issues``, ``/labels``), pull requests and reviews (``/pulls``), Git refs
(``/git/ref``, ``/git/refs``), contents, commits, check runs, environments,
Actions secrets (names only), branch protection and repository rulesets. Pages are
followed by the ``Link`` header; 5xx answers and lost connections are retried with
backoff; primary and secondary rate limits are waited out as GitHub asks, within a
bound (:mod:`reconciler.github.rate_limits`). Files are read with the raw media type, so
files over 1 MB (up to GitHub's 100 MB) are read whole.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import httpx

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.contents import RAW, file_of
from reconciler.github.models import (
    Answer,
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
    WorkflowPermissions,
    Written,
)
from reconciler.github.rate_limits import (
    Clock,
    RateLimited,
    RateLimitPolicy,
    Waits,
    rate_limited,
)
from reconciler.http.error_text import reduced, sent_texts
from reconciler.http.retry import Retrier, RetryPolicy, Sleep, Transient, parse_retry_after

logger = logging.getLogger(__name__)

T = TypeVar("T")
Payload = Mapping[str, object]
"""The JSON body of a write."""
MAX_BODY = 65536


class GitHubClient:
    """The REST calls the reconciler makes on one repository.

    Writes that create something (a comment, an issue, a pull request, a branch, a
    file commit) are never doubled by a retry: after a failure that may have
    landed, the object is looked up before the request is sent again. ``sleep`` and
    ``clock`` are how the client waits and tells the time (a test passes its own);
    ``limits`` bounds the rate-limit waits.
    """

    def __init__(
        self,
        api_url: str,
        token: Secret,
        repository: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.time,
        limits: RateLimitPolicy | None = None,
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
        self._sleep = sleep
        self._clock = clock
        self._waits = Waits(limits or RateLimitPolicy())

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    # -- issues and comments -------------------------------------------------

    async def comments(self, number: int) -> list[Comment]:
        """Every comment of an issue or pull request, oldest first."""
        path = f"{self._repo}/issues/{number}/comments"
        return [Comment.from_api(c, _where("GET", path)) for c in await self._all(path)]

    async def create_comment(self, number: int, body: str) -> Comment:
        """Post a comment, once: after a failure that may have landed (a timeout, a
        5xx), the comment is looked up by its exact body before it is sent again.
        Only a comment made since this call began counts (an identical one from an
        earlier run is not this post)."""
        since = _recent()

        async def landed() -> Answer | None:
            comments = await self._all(path)
            same = [c for c in comments if c.get("body") == body and _since(c, since)]
            return same[-1] if same else None

        path = f"{self._repo}/issues/{number}/comments"
        made = await self._write("POST", path, {"body": body}, landed=landed)
        return Comment.from_api(made, _where("POST", path))

    async def recent_comments(self, *, most: int = 1000) -> list[Comment]:
        """The repository's issue and pull request comments, the most recently updated
        first, at most ``most`` of them (:attr:`Comment.number` names the issue or pull
        request)."""
        query = {"sort": "updated", "direction": "desc"}
        path = f"{self._repo}/issues/comments"
        found = await self._all(path, query, most=most)
        return [Comment.from_api(c, _where("GET", path)) for c in found]

    async def update_comment(self, comment_id: int, body: str) -> Comment:
        """Edit a comment in place."""
        path = f"{self._repo}/issues/comments/{comment_id}"
        changed = await self._write("PATCH", path, {"body": body})
        return Comment.from_api(changed, _where("PATCH", path))

    async def pulls_of_commit(self, sha: str) -> list[PullRequest]:
        """The pull requests a commit belongs to (merged ones included)."""
        path = f"{self._repo}/commits/{_q(sha)}/pulls"
        return [PullRequest.from_api(p, _where("GET", path)) for p in await self._all(path)]

    async def issues(self, *, label: str | None = None, state: str = "open") -> list[Issue]:
        """Issues (not pull requests), with a label or (``None``) all of them."""
        query = {"state": state, **({"labels": label} if label is not None else {})}
        path = f"{self._repo}/issues"
        items = await self._all(path, query)
        return [Issue.from_api(i, _where("GET", path)) for i in items if "pull_request" not in i]

    async def label(self, name: str) -> Label | None:
        """A label of the repository, or ``None`` when there is none of that name."""
        path = f"{self._repo}/labels/{_q(name, safe='')}"
        found = await self._get_or_none(path)
        return None if found is None else Label.from_api(found, _where("GET", path))

    async def create_label(self, name: str, *, color: str, description: str) -> Label:
        """Create a label (``color``: six hex digits, no ``#``); once, even after an
        unclear failure (the label is looked up first)."""
        path = f"{self._repo}/labels"

        async def landed() -> Answer | None:
            return await self._get_or_none(f"{path}/{_q(name, safe='')}")

        payload = {"name": name, "color": color, "description": description}
        made = await self._write("POST", path, payload, landed=landed)
        return Label.from_api(made, _where("POST", path))

    async def create_issue(self, title: str, body: str, labels: list[str]) -> Issue:
        """Open an issue, once (looked up by title and body after an unclear failure).

        The look-up does not filter by label: GitHub silently drops the labels of a
        new issue when the token may not push (or, perhaps, when the label does not
        exist), and the issue has landed all the same.
        """
        since = _recent()

        async def landed() -> Answer | None:
            found = await self._all(path, {"state": "open"})
            same = [
                i
                for i in found
                if i.get("title") == title and i.get("body") == body and _since(i, since)
            ]
            return same[0] if same else None

        path = f"{self._repo}/issues"
        payload = {"title": title, "body": body, "labels": labels}
        made = await self._write("POST", path, payload, landed=landed)
        return Issue.from_api(made, _where("POST", path))

    async def update_issue(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        state_reason: str | None = None,
    ) -> Issue:
        """Change an issue's title, body or state (what is not given stays)."""
        path = f"{self._repo}/issues/{number}"
        fields = {"title": title, "body": body, "state": state, "state_reason": state_reason}
        changed = await self._write("PATCH", path, _given(fields))
        return Issue.from_api(changed, _where("PATCH", path))

    # -- repository, refs, contents, commits ---------------------------------

    async def repo(self) -> Repository:
        """The repository (its default branch)."""
        return Repository.from_api(await self._get(self._repo), _where("GET", self._repo))

    async def get_ref(self, branch: str) -> Ref | None:
        """The reference of a branch (the commit it points at), or ``None``."""
        path = f"{self._repo}/git/ref/heads/{_q(branch)}"
        found = await self._get_or_none(path)
        return None if found is None else Ref.from_api(found, _where("GET", path))

    async def create_ref(self, branch: str, sha: str) -> Ref:
        """Create a branch at ``sha`` (once, even when a retry follows an unclear failure)."""

        async def landed() -> Answer | None:
            found = await self._get_or_none(f"{self._repo}/git/ref/heads/{_q(branch)}")
            head = found.get("object") if found else None
            return found if isinstance(head, Mapping) and head.get("sha") == sha else None

        path = f"{self._repo}/git/refs"
        payload = {"ref": f"refs/heads/{branch}", "sha": sha}
        made = await self._write("POST", path, payload, landed=landed)
        return Ref.from_api(made, _where("POST", path))

    async def update_ref(self, branch: str, sha: str, *, force: bool = True) -> Ref:
        """Point a branch at ``sha``; without ``force`` only a fast-forward is allowed."""
        path = f"{self._repo}/git/refs/heads/{_q(branch)}"
        changed = await self._write("PATCH", path, {"sha": sha, "force": force})
        return Ref.from_api(changed, _where("PATCH", path))

    async def delete_ref(self, branch: str) -> bool:
        """Delete a branch; ``False`` when it did not exist (already deleted)."""
        path = f"{self._repo}/git/refs/heads/{_q(branch)}"
        response = await self._request("DELETE", path, ok=(422,))
        return response.status_code != 422

    async def get_file(self, path: str, ref: str) -> File | None:
        """A file's text and blob sha on a branch or commit, or ``None`` if absent.

        Asked for with the raw media type: GitHub then answers the file's bytes up to
        100 MB, where its JSON form leaves out the content of a file over 1 MB
        (https://docs.github.com/en/rest/repos/contents#get-repository-content).
        """
        where = f"{self._repo}/contents/{_q(path)}"
        response = await self._request(
            "GET", where, params={"ref": ref}, ok=(404,), headers={"Accept": RAW}
        )
        if response.status_code == 404:
            return None
        return File(*file_of(response, f"GitHub GET /{self._repo}/contents/{path}"))

    async def put_file(
        self, path: str, text: str, *, message: str, branch: str, sha: str | None = None
    ) -> Written:
        """Create or replace a file on a branch in one commit.

        ``sha`` is the blob being replaced (required by GitHub for an existing file;
        a stale one is refused with 409). After an unclear failure the branch is
        read first: if the file already holds ``text``, that write had landed.
        """

        async def landed() -> Answer | None:
            now = await self.get_file(path, branch)
            if now is None or now.text != text:
                return None
            ref = await self.get_ref(branch)
            head = ref.sha if ref is not None else None
            return {"content": {"path": path, "sha": now.sha}, "commit": {"sha": head}}

        payload: dict[str, object] = {
            "message": message,
            "content": base64.b64encode(text.encode()).decode(),
            "branch": branch,
        }
        if sha is not None:
            payload["sha"] = sha
        where = f"{self._repo}/contents/{_q(path)}"
        written = await self._write("PUT", where, payload, landed=landed)
        return Written.from_api(written, _where("PUT", where))

    async def history(self, ref: str, *, most: int) -> list[str]:
        """The shas of the commits reachable from ``ref``, newest first as ``git log``
        lists them, at most ``most`` (https://docs.github.com/en/rest/commits/commits#list-commits)."""
        found = await self._all(f"{self._repo}/commits", {"sha": ref}, most=most)
        return [str(c.get("sha")) for c in found]

    async def commit(self, sha: str) -> Commit:
        """A commit with the files it changed against its first parent."""
        path = f"{self._repo}/commits/{_q(sha)}"
        return Commit.from_api(await self._get(path), _where("GET", path))

    # -- pull requests -------------------------------------------------------

    async def pulls(
        self,
        *,
        head: str | None = None,
        base: str | None = None,
        state: str = "open",
        sort: str | None = None,
        most: int | None = None,
    ) -> list[PullRequest]:
        """Pull requests, newest first (``sort="updated"``: the most recently updated
        first), at most ``most``; ``head`` is a branch (``owner:`` is added)."""
        query = {"state": state}
        if head is not None:
            query["head"] = head if ":" in head else f"{self.repository.split('/')[0]}:{head}"
        if base is not None:
            query["base"] = base
        if sort is not None:
            query |= {"sort": sort, "direction": "desc"}
        path = f"{self._repo}/pulls"
        found = await self._all(path, query, most=most)
        return [PullRequest.from_api(p, _where("GET", path)) for p in found]

    async def pull(self, number: int) -> PullRequest:
        """One pull request."""
        path = f"{self._repo}/pulls/{number}"
        return PullRequest.from_api(await self._get(path), _where("GET", path))

    async def create_pull(self, *, title: str, head: str, base: str, body: str) -> PullRequest:
        """Open a pull request from branch ``head`` into ``base`` (once)."""
        path = f"{self._repo}/pulls"
        owner = self.repository.split("/")[0]

        async def landed() -> Answer | None:
            query = {"state": "open", "head": head if ":" in head else f"{owner}:{head}"}
            found = await self._all(path, query | {"base": base})
            return found[0] if found else None

        payload = {"title": title, "head": head, "base": base, "body": body}
        made = await self._write("POST", path, payload, landed=landed)
        return PullRequest.from_api(made, _where("POST", path))

    async def update_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        base: str | None = None,
    ) -> PullRequest:
        """Change a pull request's title, body, state (``closed``) or base (what is not
        given stays)."""
        path = f"{self._repo}/pulls/{number}"
        fields = {"title": title, "body": body, "state": state, "base": base}
        changed = await self._write("PATCH", path, _given(fields))
        return PullRequest.from_api(changed, _where("PATCH", path))

    async def reviews(self, number: int) -> list[Review]:
        """Every review of a pull request, oldest first."""
        path = f"{self._repo}/pulls/{number}/reviews"
        return [Review.from_api(r, _where("GET", path)) for r in await self._all(path)]

    # -- checks --------------------------------------------------------------

    async def check_runs(self, ref: str, *, name: str | None = None) -> list[CheckRun]:
        """The newest check run of each name on a commit (``name``: of that name only)."""
        query = {"check_name": name} if name is not None else {}
        path = f"{self._repo}/commits/{_q(ref)}/check-runs"
        found = await self._all(path, query, key="check_runs")
        return [CheckRun.from_api(r, _where("GET", path)) for r in found]

    async def create_check_run(
        self,
        sha: str,
        name: str,
        *,
        conclusion: str,
        title: str,
        summary: str,
        details_url: str | None = None,
        external_id: str | None = None,
    ) -> CheckRun:
        """Report a finished check run on a commit, once (looked up by name, conclusion
        and summary after an unclear failure).

        Only a GitHub App may create check runs; the workflow's token is the GitHub
        Actions app and needs ``checks: write``
        (https://docs.github.com/en/rest/checks/runs#create-a-check-run).
        """
        since = _recent()

        async def landed() -> Answer | None:
            query = {"check_name": name}
            found = await self._all(f"{path}/{_q(sha)}/check-runs", query, key="check_runs")
            same = [
                r
                for r in found
                if r.get("conclusion") == conclusion
                and _summary(r) == summary
                and _since({"created_at": r.get("completed_at")}, since)
            ]
            return same[0] if same else None

        path = f"{self._repo}/commits"
        payload: dict[str, object] = {
            "name": name,
            "head_sha": sha,
            "status": "completed",
            "conclusion": conclusion,
            "output": {"title": title, "summary": summary},
        }
        if details_url is not None:
            payload["details_url"] = details_url
        if external_id is not None:
            payload["external_id"] = external_id
        where = f"{self._repo}/check-runs"
        made = await self._write("POST", where, payload, landed=landed, forbidden=_CHECKS)
        return CheckRun.from_api(made, _where("POST", where))

    # -- settings (what `doctor` checks) -------------------------------------

    async def environments(self) -> list[Environment]:
        """The repository's deployment environments."""
        path = f"{self._repo}/environments"
        found = await self._all(path, key="environments")
        return [Environment.from_api(e, _where("GET", path)) for e in found]

    async def environment_secrets(self, name: str) -> list[str]:
        """The names of an environment's secrets (GitHub never returns values)."""
        path = f"{self._repo}/environments/{_q(name, safe='')}/secrets"
        found = await self._all(path, key="secrets", forbidden=_SECRETS)
        return [str(s["name"]) for s in found]

    async def repo_secrets(self) -> list[str]:
        """The names of the repository's Actions secrets."""
        found = await self._all(f"{self._repo}/actions/secrets", key="secrets", forbidden=_SECRETS)
        return [str(s["name"]) for s in found]

    async def workflow_permissions(self) -> WorkflowPermissions:
        """The GITHUB_TOKEN's default permissions, and whether Actions may create and
        approve pull requests (``can_approve_pull_request_reviews``)."""
        path = f"{self._repo}/actions/permissions/workflow"
        found = await self._get(path, forbidden=_ACTIONS)
        return WorkflowPermissions.from_api(found, _where("GET", path))

    async def branch_protection(self, branch: str) -> BranchProtection | None:
        """A branch's protection rules, or ``None`` when it is not protected.

        A token that may not read them (403) is a :class:`GitHubError` saying so.
        """
        path = f"{self._repo}/branches/{_q(branch)}/protection"
        found = await self._get_or_none(path, forbidden=_PROTECTION)
        return None if found is None else BranchProtection.from_api(found, _where("GET", path))

    async def rulesets(self) -> list[Ruleset]:
        """The repository's rulesets (their own and those of the organization above),
        each with its ``name`` and ``enforcement`` (``active``, ``evaluate``, ``disabled``).

        Readable with the repository's Metadata permission (GITHUB_TOKEN can):
        https://docs.github.com/en/rest/repos/rules#get-all-repository-rulesets
        """
        path = f"{self._repo}/rulesets"
        return [Ruleset.from_api(r, _where("GET", path)) for r in await self._all(path)]

    async def branch_rules(self, branch: str) -> list[BranchRule]:
        """The rules in force on a branch, from every active ruleset: each has a
        ``type`` (``pull_request``, ``required_status_checks``...), its ``parameters``
        and the ``ruleset_id`` it comes from
        (https://docs.github.com/en/rest/repos/rules#get-rules-for-a-branch)."""
        path = f"{self._repo}/rules/branches/{_q(branch)}"
        return [BranchRule.from_api(r, _where("GET", path)) for r in await self._all(path)]

    # -- transport -----------------------------------------------------------

    @property
    def _repo(self) -> str:
        return f"repos/{self.repository}"

    async def _get(
        self, path: str, params: dict[str, str] | None = None, *, forbidden: str | None = None
    ) -> Answer:
        response = await self._request("GET", path, params=params, forbidden=forbidden)
        return _object(response, "GET", path)

    async def _get_or_none(
        self, path: str, params: dict[str, str] | None = None, *, forbidden: str | None = None
    ) -> Answer | None:
        response = await self._request("GET", path, params=params, ok=(404,), forbidden=forbidden)
        return None if response.status_code == 404 else _object(response, "GET", path)

    async def _all(
        self,
        path: str,
        params: dict[str, str] | None = None,
        *,
        key: str | None = None,
        forbidden: str | None = None,
        most: int | None = None,
    ) -> list[Answer]:
        """Every item of a paged list (the first ``most`` when given); ``key`` names the
        list in answers that wrap it in an object (``{"total_count": n, "secrets": [...]}``)."""
        url: str | None = path
        query: dict[str, str] | None = {**(params or {}), "per_page": "100"}
        found: list[Answer] = []
        while url:
            response = await self._request("GET", url, params=query, forbidden=forbidden)
            page = response.json()
            if key is not None and isinstance(page, dict):
                page = page.get(key)
            if not isinstance(page, list):
                raise GitHubError(f"GitHub GET /{path}: expected a list")
            if not all(isinstance(item, dict) for item in page):
                raise GitHubError(f"GitHub GET /{path}: expected a list of objects")
            found += page
            if most is not None and len(found) >= most:
                return found[:most]
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query
        return found

    async def _write(
        self,
        method: str,
        path: str,
        payload: Payload,
        *,
        landed: Callable[[], Awaitable[Answer | None]] | None = None,
        forbidden: str | None = None,
    ) -> Answer:
        """Send a write; retry it only when it surely did not land, or when
        ``landed`` (a look-up) says the earlier attempt left no trace. ``forbidden``
        is the remedy of a 403 (the permission the write needs)."""
        body = payload.get("body")
        if isinstance(body, str) and len(body) > MAX_BODY:  # GitHub would answer 422
            raise GitHubError(
                f"GitHub {method} /{path}: the body has {len(body)} characters, over 65,536"
            )
        unclear = False

        async def once() -> Answer:
            nonlocal unclear
            if unclear and landed is not None and (found := await landed()) is not None:
                logger.info("GitHub %s /%s: the earlier attempt had landed", method, path)
                return found
            try:
                response = await self._once(method, path, json=payload, forbidden=forbidden)
            except Transient as failure:
                unclear = unclear or failure.maybe_applied
                raise
            return _object(response, method, path)

        return await self._limited(once, method, path)

    async def _request(
        self,
        method: str,
        url: str,
        *,
        ok: tuple[int, ...] = (),
        forbidden: str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        async def once() -> httpx.Response:
            return await self._once(
                method, url, ok=ok, forbidden=forbidden, params=params, headers=headers
            )

        return await self._limited(once, method, _path(url))

    async def _limited(self, once: Callable[[], Awaitable[T]], method: str, path: str) -> T:
        """Run ``once`` with retries; a rate limit is waited out, then it runs again."""
        backoffs = 0
        while True:
            try:
                return await self._retrier.run(
                    once, label=f"GitHub {method} /{path}", give_up=_give_up(method, path)
                )
            except RateLimited as limit:
                wait = self._waits.next_wait(limit, backoffs)
                if limit.wait is None:
                    backoffs += 1
                await self._sleep(wait)

    async def _once(
        self,
        method: str,
        url: str,
        *,
        ok: tuple[int, ...] = (),
        forbidden: str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Payload | None = None,
    ) -> httpx.Response:
        try:
            response = await self._http.request(
                method, url, params=params, headers=headers, json=json
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise Transient(f"connection failed: {type(error).__name__}", None) from None
        except httpx.TransportError as error:
            # Sent, but no answer: the request may have been carried out.
            raise Transient(
                f"no answer: {type(error).__name__}", None, maybe_applied=True
            ) from None
        status = response.status_code
        if status < 300 or status in ok:
            return response
        where = f"GitHub {method} /{_path(url)} answered {status}"
        sent = _free_text(json)
        if status == 401:
            raise GitHubError(f"{where}: bad credentials", remedy="check GITHUB_TOKEN")
        if (limit := rate_limited(response, where, self._clock())) is not None:
            raise limit
        if status >= 500:
            raise Transient(
                f"HTTP {status}",
                parse_retry_after(response.headers.get("retry-after")),
                maybe_applied=True,
            )
        if status == 403 and _too_large(response):
            raise GitHubError(
                f"{where}: the file is over 100 MB, more than GitHub's contents API serves",
                remedy="keep the file under 100 MB (a saved plan that large: sync fewer "
                "changes at a time)",
            )
        if status == 403:
            raise GitHubError(
                f"{where}: not allowed{_message(response, sent)}",
                remedy=forbidden
                or "grant the job the permission it needs (pull-requests: write, issues: write)",
            )
        raise GitHubError(f"{where}{_message(response, sent)}")


_SECRETS = (
    "the token may not read secret names: use a token with the repository's "
    "Secrets: read permission (GITHUB_TOKEN cannot), or check them in Settings > Secrets"
)
_CHECKS = (
    "give the job `checks: write` (a GitHub App's token, such as the workflow's "
    "GITHUB_TOKEN, may report check runs; a person's token may not)"
)
_PROTECTION = (
    "the token may not read branch protection: use a token with the repository's "
    "Administration: read permission (GITHUB_TOKEN cannot), or check Settings > Branches"
)


CLOCK_SKEW = timedelta(minutes=2)
"""How far GitHub's clock may be behind ours when a write's timestamp is compared."""


def _recent() -> datetime:
    """The moment from which an object found by a look-up may be the one just sent."""
    return datetime.now(UTC) - CLOCK_SKEW


def _since(item: Answer, moment: datetime) -> bool:
    """Whether ``item`` was created at or after ``moment`` (unknown counts as yes)."""
    text = str(item.get("created_at") or "")
    try:
        made = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return True
    return made.tzinfo is None or made >= moment


def _q(part: str, safe: str = "/") -> str:
    """A path segment as a URL may carry it: ``#``, ``?``, spaces, non-ASCII escaped."""
    return urllib.parse.quote(part, safe=safe)


_ACTIONS = (
    "the token may not read the Actions settings: use a token with the repository's "
    "Administration: read permission (GITHUB_TOKEN cannot), or check Settings > Actions"
)


def _where(method: str, path: str) -> str:
    """How an error names the endpoint whose answer had the wrong shape."""
    return f"GitHub {method} /{path}"


def _given(fields: Mapping[str, str | None]) -> dict[str, str]:
    """The fields of an update that were given (``None``: left as it is)."""
    return {key: value for key, value in fields.items() if value is not None}


def _summary(run: Answer) -> object:
    """A check run's ``output.summary`` as answered."""
    output = run.get("output")
    return output.get("summary") if isinstance(output, Mapping) else None


def _give_up(method: str, path: str) -> Callable[[int, Transient], GitHubError]:
    def give_up(attempts: int, failure: Transient) -> GitHubError:
        return GitHubError(f"GitHub {method} /{path} failed {attempts} times ({failure.reason})")

    return give_up


def _object(response: httpx.Response, method: str, path: str) -> Answer:
    try:
        result = response.json()
    except ValueError:
        raise GitHubError(f"GitHub {method} /{path}: the answer is not JSON") from None
    if not isinstance(result, dict):
        raise GitHubError(f"GitHub {method} /{path}: expected an object")
    return result


def _too_large(response: httpx.Response) -> bool:
    """GitHub's 403 for a blob over 100 MB (``errors[].code`` ``too_large``)."""
    try:
        body = response.json()
    except ValueError:
        return False
    errors = body.get("errors") if isinstance(body, dict) else None
    return any(isinstance(e, dict) and e.get("code") == "too_large" for e in errors or [])


def _path(url: str) -> str:
    return httpx.URL(url).path.lstrip("/")


FREE_TEXT = ("body", "title", "message", "content")
"""Payload keys whose text GitHub may quote back; an error shows none of it. Branch
names and shas stay visible: they say which write failed and are no one's data."""


def _free_text(payload: object) -> frozenset[str]:
    if not isinstance(payload, dict):
        return frozenset()
    output = payload.get("output")  # a check run's title and summary (the plan)
    inner = [output.get(key) for key in ("title", "summary")] if isinstance(output, dict) else []
    return sent_texts([*(payload.get(key) for key in FREE_TEXT), *inner])


def _message(response: httpx.Response, sent: frozenset[str]) -> str:
    """GitHub's messages for a refused request, masked (:mod:`reconciler.http.error_text`):
    never the rest of the body (``errors[].value`` quotes what was sent)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    details = [e.get("message") for e in body.get("errors") or [] if isinstance(e, dict)]
    found = [m for m in (reduced(d, sent) for d in details) if m]
    text = "; ".join(dict.fromkeys(found)) or reduced(body.get("message"), sent)
    return f": {text}" if text else ""

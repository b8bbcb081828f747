"""The GitHub emulator as an ASGI app: authentication, the repository check, rate
limits, faults, the answer's form, and the routes of :mod:`reconciler.sandbox.github`'s
repository (what it emulates is described there).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.domain.json import Json
from reconciler.sandbox import github_checks as checks
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.sandbox.github import BOT_LOGIN, SANDBOX_TOKEN, GitHubData, RateLimit
from reconciler.sandbox.github_api import Caller, Handler, Reply, invalid, not_found
from reconciler.sandbox.github_issues import Issues
from reconciler.sandbox.github_pulls import Pulls
from reconciler.sandbox.github_repo import Repo
from reconciler.sandbox.github_rules import Rules

DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
PRIMARY_MESSAGE = "API rate limit exceeded for user ID {id}."
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID "
    "0000:1111:2222:3333."
)


class _Api:
    """Authentication, the repository check, rate limits, faults, and the answer's form."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    def headers(self) -> dict[str, str]:
        data = self.data
        reset = data.reset_at()
        remaining = max(0, data.rate_limit - data.used)
        return {
            "x-ratelimit-limit": str(data.rate_limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-used": str(data.used),
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-resource": "core",
            "x-github-api-version-selected": "2022-11-28",
        }

    def respond(self, request: Request, reply: Reply) -> Response:
        headers = {**self.headers(), **reply.headers}
        if reply.status == 204:
            return Response(status_code=204, headers=headers)
        if reply.raw is not None:
            return Response(
                reply.raw, reply.status, headers, media_type="application/vnd.github.raw"
            )
        # The mount point (``sandbox serve`` puts the emulator under /github) is
        # in ``root_path``; ``base_url`` would leave it out.
        origin = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"
        body = shapes.resolve_urls(reply.body, origin)
        return JSONResponse(body, status_code=reply.status, headers=headers)

    def caller(self, request: Request) -> Caller | Reply:
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if not token:
            return invalid("Requires authentication", 401)
        login = self.data.tokens.get(token) if scheme.lower() in ("bearer", "token") else None
        if login is None:
            return invalid("Bad credentials", 401)
        user = self.data.user(login)
        limited = self.data.take_limit()
        if limited is not None:
            return self._limited(limited, user)
        self.data.reset_at()  # a new hour starts the count afresh
        if self.data.used >= self.data.rate_limit:
            return self._limited(RateLimit("primary"), user)
        self.data.used += 1
        return Caller(user, login in self.data.admins, login not in self.data.readers)

    def _limited(self, limit: RateLimit, user: Json) -> Reply:
        """GitHub's answer to a rate-limited request (the body names no one's data)."""
        extra = {"retry-after": str(limit.retry_after)} if limit.retry_after is not None else {}
        if limit.kind == "primary":
            message = PRIMARY_MESSAGE.format(id=user["id"])
            headers = {"x-ratelimit-remaining": "0", **extra}
            url = f"{DOCS}#about-the-primary-rate-limit"
        else:
            message, headers, url = SECONDARY_MESSAGE, extra, f"{DOCS}#about-secondary-rate-limits"
        return Reply({"message": message, "documentation_url": url}, limit.status, headers)

    def guard(
        self, handler: Handler, *, repo: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            who = self.caller(request)
            if isinstance(who, Reply):
                return self.respond(request, who)
            if repo and not self._ours(request):
                return self.respond(request, not_found())
            fault = self.data.take_fault(request.method)
            if fault is not None and fault.echo:
                return self.respond(request, await _echoed(request, fault.status))
            if fault is not None and not fault.after_work:
                return self.respond(request, invalid("Injected fault", fault.status))
            reply = await handler(who, request)
            if fault is not None:
                return self.respond(request, invalid("Injected fault after the work", fault.status))
            return self.respond(request, reply)

        return endpoint

    def _ours(self, request: Request) -> bool:
        asked = f"{request.path_params['owner']}/{request.path_params['repo']}"
        return asked.lower() == self.data.repository.lower()


async def _echoed(request: Request, status: int) -> Reply:
    """A "Validation Failed" quoting every field of the request body back."""
    try:
        sent = await request.json()
    except ValueError:
        sent = {}
    fields = sent if isinstance(sent, dict) else {}
    reply = invalid("Validation Failed", status)
    reply.body["errors"] = [
        {
            "resource": "Request",
            "code": "invalid",
            "field": name,
            "value": value,
            "message": f"{name} {json.dumps(value, ensure_ascii=False)} is invalid "
            f"in {json.dumps(fields, ensure_ascii=False)}",
        }
        for name, value in fields.items()
    ]
    return reply


async def _me(who: Caller, request: Request) -> Reply:
    return Reply(shapes.profile(who.user))


def _routes(data: GitHubData) -> list[Route]:
    api = _Api(data)
    issues, pulls, repo, rules = Issues(data), Pulls(data), Repo(data), Rules(data)
    runs = checks.Checks(data)
    table: list[tuple[str, Handler, list[str]]] = [
        ("", repo.repository, ["GET"]),
        ("/issues", issues.list_or_create, ["GET", "POST"]),
        ("/issues/{number:int}", issues.one, ["GET", "PATCH"]),
        ("/issues/{number:int}/comments", issues.comments, ["GET", "POST"]),
        ("/issues/comments", issues.all_comments, ["GET"]),
        ("/issues/comments/{id:int}", issues.comment, ["GET", "PATCH"]),
        ("/labels", issues.labels, ["GET", "POST"]),
        ("/labels/{name}", issues.label, ["GET"]),
        ("/pulls", pulls.list_or_create, ["GET", "POST"]),
        ("/pulls/{number:int}", pulls.one, ["GET", "PATCH"]),
        ("/pulls/{number:int}/reviews", pulls.reviews, ["GET", "POST"]),
        ("/pulls/{number:int}/merge", pulls.merge, ["PUT"]),
        ("/commits", repo.commits, ["GET"]),
        ("/commits/{sha}/pulls", pulls.of_commit, ["GET"]),
        ("/commits/{ref}", repo.commit, ["GET"]),
        ("/git/ref/{ref:path}", repo.get_ref, ["GET"]),
        ("/git/refs", repo.all_refs, ["GET", "POST"]),
        ("/git/refs/{ref:path}", repo.refs, ["GET", "PATCH", "DELETE"]),
        ("/contents/{path:path}", repo.contents, ["GET", "PUT"]),
        ("/environments", repo.environments, ["GET"]),
        ("/environments/{name}/secrets", repo.environment_secrets, ["GET"]),
        ("/actions/secrets", repo.repo_secrets, ["GET"]),
        ("/actions/permissions/workflow", repo.workflow_permissions, ["GET"]),
        ("/branches/{branch}/protection", repo.protection, ["GET"]),
        ("/rulesets", rules.rulesets, ["GET"]),
        ("/rulesets/{id:int}", rules.one, ["GET"]),
        ("/rules/branches/{branch:path}", rules.of_branch, ["GET"]),
        ("/check-runs", runs.create_run, ["POST"]),
        ("/check-runs/{id:int}", runs.run, ["GET"]),
        ("/commits/{ref}/check-runs", runs.runs_of, ["GET"]),
        ("/commits/{ref}/check-suites", runs.suites_of, ["GET"]),
        ("/commits/{ref}/statuses", runs.statuses_of, ["GET"]),
        ("/commits/{ref}/status", runs.combined, ["GET"]),
        ("/statuses/{sha}", runs.create_status, ["POST"]),
    ]
    routes = [
        Route("/repos/{owner}/{repo}" + path, api.guard(handler), methods=methods)
        for path, handler, methods in table
    ]
    routes.append(Route("/user", api.guard(_me, repo=False), methods=["GET"]))
    return routes


def create_app(
    data: GitHubData,
    *,
    token: str = SANDBOX_TOKEN,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; it changes ``data`` as requests arrive.

    ``token`` is the workflow's token (it acts as ``github-actions[bot]``).
    """
    data.tokens.setdefault(token, BOT_LOGIN)
    return MisbehaviourMiddleware(Starlette(routes=_routes(data)), knobs or Knobs(), traffic)

"""An emulator of the parts of GitHub's REST API the reconciler uses.

Issue comments (list with ``Link`` pagination, create, update), pull requests of a
commit, issues (list, create, update, close). Like GitHub: 401 without a token,
422 "Body is too long (maximum is 65536 characters)" for longer bodies, and the
``x-ratelimit-*`` headers on every answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic

SANDBOX_TOKEN = "sandbox-github-token"
MAX_BODY = 65536
BOT = {"login": "github-actions[bot]", "type": "Bot"}
Json = dict[str, Any]


@dataclass
class GitHubData:
    """One repository's comments, issues and pull requests."""

    repository: str = "acme/people-config"
    comments: dict[int, list[Json]] = field(default_factory=dict)
    issues: list[Json] = field(default_factory=list)
    pulls: list[Json] = field(default_factory=list)
    rate_limit: int = 5000
    used: int = 0
    next_id: int = 1000

    def new_id(self) -> int:
        """A fresh comment or issue id."""
        self.next_id += 1
        return self.next_id

    def add_pull(
        self, number: int, *, merge_commit_sha: str | None = None, head_sha: str = "head"
    ) -> Json:
        """A pull request (merged when it has a merge commit)."""
        pull = {
            "number": number,
            "state": "closed" if merge_commit_sha else "open",
            "title": f"Change the people config ({number})",
            "merged_at": _now() if merge_commit_sha else None,
            "merge_commit_sha": merge_commit_sha,
            "head": {"sha": head_sha, "ref": f"change-{number}"},
            "base": {"ref": "main"},
            "html_url": f"https://github.example/{self.repository}/pull/{number}",
        }
        self.pulls.append(pull)
        self.comments.setdefault(number, [])
        return pull

    def issue_comments(self, number: int) -> list[Json]:
        """The comments of an issue or pull request, oldest first."""
        return self.comments.setdefault(number, [])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Api:
    def __init__(self, data: GitHubData, token: str) -> None:
        self.data = data
        self.token = token

    def headers(self) -> dict[str, str]:
        data = self.data
        remaining = max(0, data.rate_limit - data.used)
        return {
            "x-ratelimit-limit": str(data.rate_limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-used": str(data.used),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
            "x-github-api-version-selected": "2022-11-28",
        }

    def answer(
        self, body: Any, status: int = 200, extra: dict[str, str] | None = None
    ) -> JSONResponse:
        return JSONResponse(body, status_code=status, headers={**self.headers(), **(extra or {})})

    def refused(self, request: Request) -> JSONResponse | None:
        auth = request.headers.get("authorization", "")
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return self.answer(
                {
                    "message": "Requires authentication",
                    "documentation_url": "https://docs.github.com/rest",
                },
                401,
            )
        if self.data.used >= self.data.rate_limit:
            return self.answer(
                {
                    "message": "API rate limit exceeded",
                    "documentation_url": "https://docs.github.com/rest/rate-limit",
                },
                403,
            )
        self.data.used += 1
        return None

    def too_long(self, body: str, resource: str) -> JSONResponse | None:
        if len(body) <= MAX_BODY:
            return None
        error = {
            "resource": resource,
            "code": "unprocessable",
            "field": "data",
            "message": "Body is too long (maximum is 65536 characters)",
        }
        return self.answer(
            {
                "message": "Validation Failed",
                "errors": [error],
                "documentation_url": "https://docs.github.com/rest/issues/comments",
            },
            422,
        )

    def page(self, request: Request, items: list[Json]) -> JSONResponse:
        size = max(1, min(100, int(request.query_params.get("per_page", "30"))))
        number = max(1, int(request.query_params.get("page", "1")))
        last = max(1, -(-len(items) // size))
        links = []
        base = str(request.url.remove_query_params(["page"]))
        joiner = "&" if "?" in base else "?"
        if number < last:
            links.append(f'<{base}{joiner}page={number + 1}>; rel="next"')
            links.append(f'<{base}{joiner}page={last}>; rel="last"')
        extra = {"link": ", ".join(links)} if links else {}
        return self.answer(items[(number - 1) * size : number * size], extra=extra)


class _Handlers:
    """The endpoints, each a coroutine taking the request."""

    def __init__(self, api: _Api) -> None:
        self.api = api
        self.data = api.data

    async def comments(self, request: Request) -> JSONResponse:
        number = int(request.path_params["number"])
        if request.method == "GET":
            return self.api.page(request, self.data.issue_comments(number))
        body = (await request.json()).get("body", "")
        if (refusal := self.api.too_long(body, "IssueComment")) is not None:
            return refusal
        comment = {
            "id": self.data.new_id(),
            "body": body,
            "user": BOT,
            "created_at": _now(),
            "updated_at": _now(),
            "html_url": f"https://github.example/{self.data.repository}/issues/{number}#comment",
        }
        self.data.issue_comments(number).append(comment)
        return self.api.answer(comment, 201)

    async def comment(self, request: Request) -> JSONResponse:
        wanted = int(request.path_params["id"])
        every = (c for comments in self.data.comments.values() for c in comments)
        found = next((c for c in every if c["id"] == wanted), None)
        if found is None:
            return self.api.answer({"message": "Not Found"}, 404)
        body = (await request.json()).get("body", "")
        if (refusal := self.api.too_long(body, "IssueComment")) is not None:
            return refusal
        found |= {"body": body, "updated_at": _now()}
        return self.api.answer(found)

    async def pulls_of_commit(self, request: Request) -> JSONResponse:
        sha = request.path_params["sha"]
        found = [p for p in self.data.pulls if sha in (p.get("merge_commit_sha"), p["head"]["sha"])]
        return self.api.answer(found)

    async def issues(self, request: Request) -> JSONResponse:
        if request.method == "GET":
            state = request.query_params.get("state", "open")
            labels = {x for x in request.query_params.get("labels", "").split(",") if x}
            found = [i for i in self.data.issues if _wanted(i, state, labels)]
            return self.api.page(request, found)
        body = await request.json()
        if (refusal := self.api.too_long(body.get("body", ""), "Issue")) is not None:
            return refusal
        issue = {
            "id": self.data.new_id(),
            "number": len(self.data.issues) + 1,
            "title": body["title"],
            "body": body.get("body", ""),
            "state": "open",
            "state_reason": None,
            "labels": [{"name": n} for n in body.get("labels", [])],
            "user": BOT,
        }
        self.data.issues.append(issue)
        return self.api.answer(issue, 201)

    async def issue(self, request: Request) -> JSONResponse:
        number = int(request.path_params["number"])
        found = next((i for i in self.data.issues if i["number"] == number), None)
        if found is None:
            return self.api.answer({"message": "Not Found"}, 404)
        body = await request.json()
        if (refusal := self.api.too_long(body.get("body", ""), "Issue")) is not None:
            return refusal
        found |= {k: v for k, v in body.items() if k in ("title", "body", "state", "state_reason")}
        return self.api.answer(found)


def _wanted(issue: Json, state: str, labels: set[str]) -> bool:
    names = {label["name"] for label in issue["labels"]}
    return state in ("all", issue["state"]) and labels <= names


def _routes(api: _Api) -> list[Route]:
    handlers = _Handlers(api)
    prefix = "/repos/{owner}/{repo}"

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            return api.refused(request) or await handler(request)

        return endpoint

    table = [
        ("/issues/{number:int}/comments", handlers.comments, ["GET", "POST"]),
        ("/issues/comments/{id:int}", handlers.comment, ["PATCH"]),
        ("/commits/{sha}/pulls", handlers.pulls_of_commit, ["GET"]),
        ("/issues", handlers.issues, ["GET", "POST"]),
        ("/issues/{number:int}", handlers.issue, ["PATCH"]),
    ]
    return [
        Route(prefix + path, guarded(handler), methods=methods) for path, handler, methods in table
    ]


def create_app(
    data: GitHubData,
    *,
    token: str = SANDBOX_TOKEN,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; it changes ``data`` as requests arrive."""
    return MisbehaviourMiddleware(
        Starlette(routes=_routes(_Api(data, token))), knobs or Knobs(), traffic
    )

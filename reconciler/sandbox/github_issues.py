"""The GitHub emulator's issue endpoints: issues (pull requests included), comments, labels.

Labels as GitHub documents them (https://docs.github.com/en/rest/issues/issues#create-an-issue):
only callers with push access may set labels on a new issue, and for anyone else they
are silently dropped. A label the repository does not have is dropped too: GitHub
does not document creating it, so the emulator does not (a client must create it
with ``POST /labels``, which needs push access).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.requests import Request

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_api import (
    Caller,
    Reply,
    failed,
    invalid,
    newest_first,
    not_found,
    page,
    too_long,
)
from reconciler.sandbox.github_git import now

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData


class Issues:
    """Issues, pull requests as issues, and issue comments."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    def _everything(self) -> list[Json]:
        pulls = [shapes.issue_of_pull(self.data.refresh(p)) for p in self.data.pulls]
        return [*self.data.issues, *pulls]

    def _count(self, found: Json) -> Json:
        return found | {"comments": len(self.data.issue_comments(found["number"]))}

    async def list_or_create(self, who: Caller, request: Request) -> Reply:
        if request.method == "GET":
            state = request.query_params.get("state", "open")
            labels = {x for x in request.query_params.get("labels", "").split(",") if x}
            found = [self._count(i) for i in self._everything() if _wanted(i, state, labels)]
            return page(request, newest_first(request, found))
        body = await request.json()
        if not body.get("title"):
            return failed("Issue", "missing_field", field="title")
        if (refusal := too_long(body.get("body"), "Issue")) is not None:
            return refusal
        made = self.data.add_issue(
            body["title"],
            body.get("body") or "",
            labels=self._kept_labels(who, body.get("labels")),
            by=who.user["login"],
        )
        return Reply(made, 201)

    def _kept_labels(self, who: Caller, asked: object) -> list[str]:
        """The labels a new issue gets: none without push access, only existing ones."""
        if not who.push or not isinstance(asked, list):
            return []
        names = [self.data.find_label(str(n)) for n in asked]
        return [found["name"] for found in names if found is not None]

    # -- labels --------------------------------------------------------------

    async def labels(self, who: Caller, request: Request) -> Reply:
        """``/labels``: list the repository's labels, or create one (push access)."""
        if request.method == "GET":
            return page(request, sorted(self.data.labels.values(), key=lambda x: x["name"]))
        if not who.push:
            return who.no_push()
        body = await request.json()
        name = str(body.get("name") or "").strip()
        if not name:
            return failed("Label", "missing_field", field="name")
        if self.data.find_label(name) is not None:
            return failed("Label", "already_exists", field="name")
        color = str(body.get("color") or "ededed").removeprefix("#")
        if not _COLOR.fullmatch(color):
            return invalid("Validation Failed")
        return Reply(self.data.add_label(name, color, body.get("description")), 201)

    async def label(self, who: Caller, request: Request) -> Reply:
        """``GET /labels/{name}``: one label (names are matched case-insensitively)."""
        found = self.data.find_label(request.path_params["name"])
        return Reply(found) if found is not None else not_found()

    def _find(self, number: int) -> Json | None:
        return next((i for i in self._everything() if i["number"] == number), None)

    async def one(self, who: Caller, request: Request) -> Reply:
        number = int(request.path_params["number"])
        found = self._find(number)
        if found is None:
            return not_found()
        if request.method == "GET":
            return Reply(self._count(found))
        body = await request.json()
        if (refusal := too_long(body.get("body"), "Issue")) is not None:
            return refusal
        target = self.data.issue(number) or self.data.pull(number)
        assert target is not None
        allowed = ("title", "body", "state", "state_reason")
        target |= {k: v for k, v in body.items() if k in allowed}
        target["updated_at"] = now()
        if body.get("state") == "closed":
            target["closed_at"] = target["updated_at"]
            if "closed_by" in target:
                target["closed_by"] = who.user
        return Reply(self._count(self._find(number) or target))

    def _known(self, number: int) -> bool:
        seeded = bool(self.data.comments.get(number))
        return seeded or self._find(number) is not None

    async def comments(self, who: Caller, request: Request) -> Reply:
        number = int(request.path_params["number"])
        if not self._known(number):
            return not_found()
        if request.method == "GET":
            return page(request, self.data.issue_comments(number))
        body = (await request.json()).get("body")
        if not isinstance(body, str) or not body:
            return failed(
                "IssueComment",
                "missing_field",
            )
        if (refusal := too_long(body, "IssueComment")) is not None:
            return refusal
        return Reply(self.data.add_comment(number, body, by=who.user["login"]), 201)

    async def all_comments(self, who: Caller, request: Request) -> Reply:
        """``GET /issues/comments``: every comment of the repository, issues and pull
        requests alike; ``sort`` (created, updated), ``direction`` (ignored without
        ``sort``; oldest first by default) and ``since`` (updated at or after)."""
        query = request.query_params
        sort = query.get("sort")
        key = "updated_at" if sort == "updated" else "created_at"
        since = query.get("since")
        found = [
            c
            for comments in self.data.comments.values()
            for c in comments
            if since is None or c["updated_at"] >= since
        ]
        descending = sort is not None and query.get("direction", "desc") == "desc"
        found.sort(key=lambda c: (c[key], c["id"]), reverse=descending)
        return page(request, found)

    async def comment(self, who: Caller, request: Request) -> Reply:
        wanted = int(request.path_params["id"])
        every = (c for comments in self.data.comments.values() for c in comments)
        found = next((c for c in every if c["id"] == wanted), None)
        if found is None:
            return not_found()
        if request.method == "GET":
            return Reply(found)
        author = (found.get("user") or {}).get("login")
        if author != who.user["login"] and not who.admin:
            return who.forbidden()
        body = (await request.json()).get("body", "")
        if (refusal := too_long(body, "IssueComment")) is not None:
            return refusal
        found |= {"body": body, "updated_at": now()}
        return Reply(found)


_COLOR = re.compile(r"[0-9a-fA-F]{6}")


def _wanted(issue: Json, state: str, labels: set[str]) -> bool:
    names = {label["name"] for label in issue["labels"]}
    return state in ("all", issue["state"]) and labels <= names

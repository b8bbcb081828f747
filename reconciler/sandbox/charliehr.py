"""An emulator of CharlieHR's REST API, in the shapes the live API answers with.

Serves ``/company``, ``/offices``, ``/teams``, ``/team_members`` (list and detail),
``/team_members/{id}/salaries`` and ``/salaries`` under ``/api/v1``, with the
``{success, data, meta}`` envelope, pages of at most 25 with a relative
``meta.next_url`` and totals, token auth, and trailing slashes tolerated. The data
keeps the sensitive keys the real API carries, so the client's filtering is tested.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.errors import SandboxError
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic

PREFIX = "/api/v1"
MAX_PER_PAGE = 25
SANDBOX_ID, SANDBOX_SECRET = "sandbox-client-id", "sandbox-client-secret"
Json = dict[str, Any]


@dataclass
class CharlieHRData:
    """A company as CharlieHR holds it: the contents of a sandbox ``charliehr.json``."""

    company: Json
    team_members: list[Json] = field(default_factory=list)
    salaries: list[Json] = field(default_factory=list)
    teams: list[Json] = field(default_factory=list)
    offices: list[Json] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> CharlieHRData:
        """Read a sandbox ``charliehr.json``."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                company=dict(raw["company"]),
                team_members=list(raw.get("team_members", [])),
                salaries=list(raw.get("salaries", [])),
                teams=list(raw.get("teams", [])),
                offices=list(raw.get("offices", [])),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SandboxError(
                f"{path}: not a CharlieHR sandbox file ({type(error).__name__}: {error})",
                remedy="it needs company, team_members, salaries, teams and offices "
                "(docs/cli.md, Sandbox directories)",
            ) from None

    def dump(self, path: Path) -> None:
        """Write a sandbox ``charliehr.json``."""
        body = {
            "company": self.company,
            "team_members": self.team_members,
            "salaries": self.salaries,
            "teams": self.teams,
            "offices": self.offices,
        }
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Behaviour:
    """How faithfully (or not) the emulator answers."""

    credentials: tuple[str, str] = (SANDBOX_ID, SANDBOX_SECRET)
    meta_totals: bool = True
    """Give totals in ``meta``; without them a client must find the end itself."""
    next_url_style: Literal["query", "path"] = "query"
    """``?page=2&per_page=25`` or ``team_members?page=2&per_page=25``."""
    list_omits: tuple[str, ...] = ()
    """Keys missing from list items (only the detail view has them)."""
    auth_failure_status: int = 401


class _StripSlash:
    """Treat ``/team_members/`` as ``/team_members``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope["path"]) > 1:
            scope = {**scope, "path": scope["path"].rstrip("/")}
        await self.app(scope, receive, send)


class _Api:
    def __init__(self, data: CharlieHRData, behaviour: Behaviour) -> None:
        self.data = data
        self.behaviour = behaviour
        self.header = "Token token={}:{}".format(*behaviour.credentials)

    def refused(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") == self.header:
            return None
        return JSONResponse(
            {"success": False, "error": "Invalid API credentials"},
            status_code=self.behaviour.auth_failure_status,
        )

    def page(
        self, request: Request, resource: str, items: list[Json], shape: Any = None
    ) -> JSONResponse:
        try:
            number = int(request.query_params.get("page", "1"))
            size = int(request.query_params.get("per_page", str(MAX_PER_PAGE)))
        except ValueError:
            return _error(400, "page and per_page must be whole numbers")
        if number < 1:
            return _error(400, "page starts at 1")
        size = max(1, min(size, MAX_PER_PAGE))
        pages = math.ceil(len(items) / size)
        chunk = items[(number - 1) * size : number * size]
        if shape is not None:
            chunk = [shape(item) for item in chunk]
        meta: Json = {
            "next_url": self._link(resource, number + 1, size) if number < pages else None
        }
        meta["previous_url"] = self._link(resource, number - 1, size) if number > 1 else None
        if self.behaviour.meta_totals:
            meta |= {
                "total_results": len(items),
                "results_per_page": size,
                "current_page": number,
                "total_pages": pages,
            }
        return JSONResponse({"success": True, "data": chunk, "meta": meta})

    def _link(self, resource: str, number: int, size: int) -> str:
        query = f"?page={number}&per_page={size}"
        return query if self.behaviour.next_url_style == "query" else f"{resource}{query}"

    def listed(self, member: Json) -> Json:
        return {k: v for k, v in member.items() if k not in self.behaviour.list_omits}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": message}, status_code=status)


def _one(item: Json | None) -> JSONResponse:
    if item is None:
        return _error(404, "Not found")
    return JSONResponse({"success": True, "data": item})


def _find(items: list[Json], item_id: str) -> Json | None:
    return next((i for i in items if str(i.get("id")) == item_id), None)


def _routes(api: _Api) -> list[Route]:
    data = api.data

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            return api.refused(request) or handler(request)

        return endpoint

    def members(request: Request) -> JSONResponse:
        return api.page(request, "team_members", data.team_members, api.listed)

    def member_salaries(request: Request) -> JSONResponse:
        member = request.path_params["id"]
        if _find(data.team_members, member) is None:
            return _error(404, "Not found")
        mine = [s for s in data.salaries if str(s.get("team_member")) == member]
        return api.page(request, f"team_members/{member}/salaries", mine)

    table: list[tuple[str, Any]] = [
        ("/company", lambda r: _one(data.company)),
        ("/offices", lambda r: api.page(r, "offices", data.offices)),
        ("/offices/{id}", lambda r: _one(_find(data.offices, r.path_params["id"]))),
        ("/teams", lambda r: api.page(r, "teams", data.teams)),
        ("/teams/{id}", lambda r: _one(_find(data.teams, r.path_params["id"]))),
        ("/team_members", members),
        ("/team_members/{id}", lambda r: _one(_find(data.team_members, r.path_params["id"]))),
        ("/team_members/{id}/salaries", member_salaries),
        ("/salaries", lambda r: api.page(r, "salaries", data.salaries)),
    ]
    return [Route(PREFIX + path, guarded(handler), methods=["GET"]) for path, handler in table]


def create_app(
    data: CharlieHRData,
    *,
    behaviour: Behaviour | None = None,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; ``traffic`` counts what it was asked."""
    api = _Api(data, behaviour or Behaviour())
    app = Starlette(routes=_routes(api))
    return MisbehaviourMiddleware(_StripSlash(app), knobs or Knobs(), traffic)

"""An emulator of CharlieHR's REST API, in the shapes the live API answers with.

Serves ``/company``, ``/offices``, ``/teams``, ``/team_members`` (list and detail),
``/team_members/{id}/salaries`` and ``/salaries`` under ``/api/v1``, with the
``{success, data, meta}`` envelope, pages of at most 25 with a relative
``meta.next_url`` and totals, token auth, and trailing slashes tolerated. Repeated
slashes count as one, as Rails' router squeezes them (a third-party client sends
``/api/v1//team_members/``), and an unknown route is answered in the same JSON
envelope. The data keeps the sensitive keys the real API carries, so the client's
filtering is tested.

Knobs exist for tests of the client, all off by default: API keys limited to some
resources (answered 403, as a key without salary access would be, or as
``Behaviour.salary_refusal`` says), a list that changes between page reads
(``Behaviour.churn``), errors that quote a record back (``Behaviour.echo_errors``),
team members whose keys are named otherwise (``Behaviour.member_shape``), and the
paging of servers that differ from the default: other ``meta`` keys
(``Behaviour.meta_style``), a page past the end answered 404 or with the last page
again (``Behaviour.past_end``), and pages bigger than 25 (``Behaviour.max_page_size``).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.domain.json import Json
from reconciler.errors import SandboxError
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic

PREFIX = "/api/v1"
MAX_PER_PAGE = 25
Handler = Callable[[Request], JSONResponse]
SANDBOX_ID, SANDBOX_SECRET = "sandbox-client-id", "sandbox-client-secret"
NO_SALARY_ID = "sandbox-no-salary-id"
"""A sandbox key without salary access: ``/salaries`` answers it 403."""
CHURN_KINDS = ("reorder", "insert", "delete")
MetaStyle = Literal[
    "full", "next_url_only", "page_per_page_total", "total_count", "count", "total_pages", "bare"
]
META_STYLES: dict[str, tuple[str, ...]] = {
    "full": (
        "next_url",
        "previous_url",
        "total_results",
        "results_per_page",
        "current_page",
        "total_pages",
    ),
    "next_url_only": ("next_url", "previous_url"),
    "page_per_page_total": ("page", "per_page", "total"),
    "total_count": ("next_url", "total_count"),
    "count": ("next_url", "count"),
    "total_pages": ("current_page", "total_pages"),
    "bare": (),
}
"""The ``meta`` keys of each style. ``full`` is what the sandbox has always served;
``page_per_page_total`` is the third-party generated OpenAPI description of CharlieHR
(github.com/api-evangelist/charliehr), without ``next_url``; ``bare`` pages by number
and says nothing."""
PastEnd = Literal["empty", "not_found", "repeat_last"]


@dataclass(frozen=True)
class ApiKey:
    """A key pair, and the resources (first path segment, e.g. ``salaries``) it may not read."""

    client_id: str
    client_secret: str
    denied: frozenset[str] = frozenset()


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
class MemberShape:
    """How team-member records name their keys, for tests of a CharlieHR that differs from
    our guesses (reference: the third-party OpenAPI at github.com/api-evangelist/charliehr)."""

    renamed: tuple[tuple[str, str], ...] = ()
    """(our key, the key served instead)."""
    joined_address: bool = False
    """The address lines, city, county, postcode and country as one ``address`` string."""
    dropped: tuple[str, ...] = ()
    """Keys no record carries."""
    legal_entities: tuple[tuple[str, str], ...] = ()
    """(office id, legal entity name): every record carries ``legal_entity``, the name of
    its office's entity (``None`` for another office). Empty: no record has the key, as
    in an account without legal entities (:data:`GROUP_ENTITIES` for a group)."""

    def apply(self, member: Json) -> Json:
        """One record in this shape."""
        names = dict(self.renamed)
        if self.legal_entities:
            member = {
                **member,
                "legal_entity": dict(self.legal_entities).get(str(member.get("office"))),
            }
        shaped = {names.get(k, k): v for k, v in member.items() if k not in self.dropped}
        if self.joined_address:
            parts = [shaped.pop(k, None) for k in ADDRESS_KEYS]
            shaped["address"] = ", ".join(str(p) for p in parts if p) or None
        return shaped


GROUP_ENTITIES = (
    ("of_london", "Acme Ltd"),
    ("of_remote", "Acme Ltd"),
    ("of_berlin", "Acme GmbH"),
    ("of_paris", "Acme SAS"),
)
"""The demo company as a group: one legal entity per country's office."""
ADDRESS_KEYS = ("address_line_1", "address_line_2", "city", "county", "postcode", "country")
INDEPENDENT = MemberShape(
    renamed=(("line_manager", "manager"),), joined_address=True, dropped=("personal_email",)
)
"""Team members as an independent description of CharlieHR gives them: the manager in
``manager``, the address as one string, and (as some accounts) no personal email."""
SALARY_REFUSALS = ("403", "401", "404", "success_false", "empty")
"""How ``/salaries`` may answer a key without salary access: CharlieHR does not say."""


@dataclass(frozen=True)
class Behaviour:
    """How faithfully (or not) the emulator answers."""

    credentials: tuple[str, str] = (SANDBOX_ID, SANDBOX_SECRET)
    meta_totals: bool = True
    """Give totals in ``meta``; without them a client must find the end itself.
    ``False`` serves the ``next_url_only`` style, whatever ``meta_style`` says."""
    next_url_style: Literal["query", "path"] = "query"
    """``?page=2&per_page=25`` or ``team_members?page=2&per_page=25``."""
    list_omits: tuple[str, ...] = ()
    """Keys missing from list items (only the detail view has them)."""
    auth_failure_status: int = 401
    limited_keys: tuple[ApiKey, ...] = (
        ApiKey(NO_SALARY_ID, SANDBOX_SECRET, frozenset({"salaries"})),
    )
    """Further keys, each refused (403) on the resources it names."""
    churn: float = 0.0
    """Chance (0..1) that a list changes just before one of its pages is read."""
    churn_limit: int | None = None
    """Most changes made in all; ``None``: no limit."""
    churn_kinds: tuple[str, ...] = CHURN_KINDS
    churn_seed: int = 0
    churn_after: int = 0
    """Page reads served before the first change (so a change lands mid-read)."""
    member_shape: MemberShape = MemberShape()
    """How team-member records name their keys (``INDEPENDENT``: as a third party does)."""
    salary_refusal: str = "403"
    """How a key without salary access is refused: one of :data:`SALARY_REFUSALS`."""
    echo_errors: tuple[str, ...] = ()
    """Resources (``team_members``, ``salaries``, ``company``, …) refused with an error
    whose text quotes the request and a record back, as some servers do."""
    echo_status: int = 422
    """The status of those refusals; 200 answers ``success: false`` instead."""

    # Paging: how list pages describe the list, what lies past its end, how big a page.
    meta_style: MetaStyle = "full"
    """The keys of a list page's ``meta`` (:data:`META_STYLES`); ``meta_totals=False``
    turns ``full`` into ``next_url_only``."""
    past_end: PastEnd = "empty"
    """The answer to a page past the end: an empty page, ``not_found`` (404), or
    ``repeat_last`` (the last page again, as some servers clamp the page number)."""
    max_page_size: int = MAX_PER_PAGE
    """The largest page served; a larger ``per_page`` is cut to it."""
    echo_page_size: bool = True
    """Say the page size served: in ``meta`` (styles with a size key) and in
    ``next_url``'s ``per_page``. Without, a cut page is told by nothing."""


_SLASHES = re.compile(r"/{2,}")


class _NormalisePath:
    """Squeeze repeated slashes (``/api/v1//team_members``) and drop a trailing one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = _SLASHES.sub("/", scope["path"])
            scope = {**scope, "path": path.rstrip("/") if len(path) > 1 else path}
        await self.app(scope, receive, send)


class _Churn:
    """Changes a list between page reads: moves, adds or removes one item."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.rng = random.Random(behaviour.churn_seed)
        self.made = 0
        self.reads = 0

    def maybe_change(self, items: list[Json]) -> None:
        limit = self.behaviour.churn_limit
        self.reads += 1
        if self.reads <= self.behaviour.churn_after:
            return
        if not items or (limit is not None and self.made >= limit):
            return
        if self.rng.random() >= self.behaviour.churn:
            return
        self.made += 1
        kind = self.rng.choice(self.behaviour.churn_kinds)
        if kind == "reorder":
            items.insert(self.rng.randrange(len(items)), items.pop(self.rng.randrange(len(items))))
        elif kind == "insert":
            items.insert(
                self.rng.randrange(len(items) + 1), _copy(self.rng.choice(items), self.made)
            )
        else:
            items.pop(self.rng.randrange(len(items)))


def _copy(item: Json, serial: int) -> Json:
    """A new item like ``item``, with its own id (and work email, for a team member)."""
    new = {**item, "id": f"{item.get('id')}_new{serial}"}
    if isinstance(item.get("email"), str):
        new["email"] = f"new{serial}.{item['email']}"
    return new


class _Api:
    def __init__(self, data: CharlieHRData, behaviour: Behaviour) -> None:
        self.data = data
        self.behaviour = behaviour
        keys = (ApiKey(*behaviour.credentials), *behaviour.limited_keys)
        self.keys = {f"Token token={k.client_id}:{k.client_secret}": k for k in keys}
        self.churn = _Churn(behaviour)

    def refused(self, request: Request, resource: str) -> JSONResponse | None:
        key = self.keys.get(request.headers.get("authorization", ""))
        if key is None:
            return JSONResponse(
                {"success": False, "error": "Invalid API credentials"},
                status_code=self.behaviour.auth_failure_status,
            )
        if resource in key.denied:
            return self._denied(request, resource)
        return None

    def _denied(self, request: Request, resource: str) -> JSONResponse:
        how = self.behaviour.salary_refusal if resource == "salaries" else "403"
        if how == "empty":
            return self.page(request, resource, [])
        if how == "success_false":
            return _error(200, f"This API key has no access to {resource}")
        if how == "404":
            return _error(404, "Not found")
        return _error(int(how), f"This API key has no access to {resource}")

    def echoed(self, request: Request, resource: str) -> JSONResponse | None:
        """The refusal that quotes a record back, for a resource named in ``echo_errors``."""
        if resource not in self.behaviour.echo_errors:
            return None
        records = {
            "company": [self.data.company],
            "team_members": self.data.team_members,
            "salaries": self.data.salaries,
            "teams": self.data.teams,
            "offices": self.data.offices,
        }.get(resource) or [{}]
        record = json.dumps(records[0], ensure_ascii=False)
        message = f"Unprocessable request {request.url.path}?{request.url.query}: {record}"
        body = {"success": False, "error": message, "data": records[0]}
        return JSONResponse(body, status_code=self.behaviour.echo_status)

    def page(
        self,
        request: Request,
        resource: str,
        items: list[Json],
        shape: Callable[[Json], Json] | None = None,
    ) -> JSONResponse:
        try:
            number = int(request.query_params.get("page", "1"))
            size = int(request.query_params.get("per_page", str(MAX_PER_PAGE)))
        except ValueError:
            return _error(400, "page and per_page must be whole numbers")
        if number < 1:
            return _error(400, "page starts at 1")
        size = max(1, min(size, self.behaviour.max_page_size))
        if self.behaviour.churn:
            self.churn.maybe_change(items)
        pages = math.ceil(len(items) / size)
        if number > max(1, pages):
            if self.behaviour.past_end == "not_found":
                return _error(404, "Not found")
            if self.behaviour.past_end == "repeat_last":
                number = max(1, pages)
        chunk = items[(number - 1) * size : number * size]
        if shape is not None:
            chunk = [shape(item) for item in chunk]
        meta = self._meta(resource, number, size, len(items))
        return JSONResponse({"success": True, "data": chunk, "meta": meta})

    def _meta(self, resource: str, number: int, size: int, total: int) -> Json:
        """The ``meta`` of page ``number`` in the behaviour's style."""
        pages = math.ceil(total / size)
        echo = self.behaviour.echo_page_size
        values: Json = {
            "next_url": self._link(resource, number + 1, size) if number < pages else None,
            "previous_url": self._link(resource, number - 1, size) if number > 1 else None,
            "total_results": total,
            "total_count": total,
            "total": total,
            "count": total,
            "results_per_page": size,
            "per_page": size,
            "current_page": number,
            "page": number,
            "total_pages": pages,
        }
        style = self.behaviour.meta_style if self.behaviour.meta_totals else "next_url_only"
        hidden = () if echo else ("results_per_page", "per_page")
        return {k: values[k] for k in META_STYLES[style] if k not in hidden}

    def _link(self, resource: str, number: int, size: int) -> str:
        query = f"?page={number}"
        if self.behaviour.echo_page_size:
            query += f"&per_page={size}"
        return query if self.behaviour.next_url_style == "query" else f"{resource}{query}"

    def listed(self, member: Json) -> Json:
        shown = {k: v for k, v in member.items() if k not in self.behaviour.list_omits}
        return self.behaviour.member_shape.apply(shown)

    def detail(self, member: Json | None) -> JSONResponse:
        return _one(None if member is None else self.behaviour.member_shape.apply(member))


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

    def guarded(path: str, handler: Handler) -> Callable[[Request], Awaitable[JSONResponse]]:
        resource = "salaries" if path.endswith("/salaries") else path.split("/")[1]

        async def endpoint(request: Request) -> JSONResponse:
            return (
                api.refused(request, resource) or api.echoed(request, resource) or handler(request)
            )

        return endpoint

    def members(request: Request) -> JSONResponse:
        return api.page(request, "team_members", data.team_members, api.listed)

    def member_salaries(request: Request) -> JSONResponse:
        member = request.path_params["id"]
        if _find(data.team_members, member) is None:
            return _error(404, "Not found")
        mine = [s for s in data.salaries if str(s.get("team_member")) == member]
        return api.page(request, f"team_members/{member}/salaries", mine)

    table: list[tuple[str, Handler]] = [
        ("/company", lambda r: _one(data.company)),
        ("/offices", lambda r: api.page(r, "offices", data.offices)),
        ("/offices/{id}", lambda r: _one(_find(data.offices, r.path_params["id"]))),
        ("/teams", lambda r: api.page(r, "teams", data.teams)),
        ("/teams/{id}", lambda r: _one(_find(data.teams, r.path_params["id"]))),
        ("/team_members", members),
        ("/team_members/{id}", lambda r: api.detail(_find(data.team_members, r.path_params["id"]))),
        ("/team_members/{id}/salaries", member_salaries),
        ("/salaries", lambda r: api.page(r, "salaries", data.salaries)),
    ]
    return [
        Route(PREFIX + path, guarded(path, handler), methods=["GET"]) for path, handler in table
    ]


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    """Unknown routes and methods, in CharlieHR's envelope rather than Starlette's text."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = "Not found" if status == 404 else "Method not allowed" if status == 405 else "Error"
    return _error(status, message)


def create_app(
    data: CharlieHRData,
    *,
    behaviour: Behaviour | None = None,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; ``traffic`` counts what it was asked."""
    api = _Api(data, behaviour or Behaviour())
    app = Starlette(routes=_routes(api), exception_handlers={HTTPException: _not_found})
    return MisbehaviourMiddleware(_NormalisePath(app), knobs or Knobs(), traffic)

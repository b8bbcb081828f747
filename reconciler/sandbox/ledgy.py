"""An emulator of Ledgy's GraphQL API: graphql-core executes schemas/ledgy.graphql.

The schema is built from the SDL file alone (``ledgy_schema``), never from the
client's helpers, so the two can disagree in a test. The published part
(``auth``, ``companyCaptable`` honouring ``groupBy`` and ``date``,
``companyTransactions`` with grants) answers as the reference describes; the
stakeholder operations (not published by Ledgy) keep an in-memory store seeded
from a sandbox ``ledgy.json`` (docs/cli.md) and refuse a second stakeholder with the same
identifier. ``published_only`` serves what Ledgy documents and nothing more: the
account every real key opens today. ``Behaviour`` holds what a real account may
do otherwise: refuse introspection (as GraphQL servers can), or spell its export's
columns differently. In front sits ``ledgy_gate``: the key, then 20 requests per 5
seconds per key, then the fault knobs. The workbook routes (``/export.xlsx``,
``/upload``) play the admin's side of the bulk Excel loop. ``Refusals`` makes it
stricter than our schema, refusing writes with errors that quote the input back, as
GraphQL servers do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema, graphql_sync, specified_rules
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from reconciler.domain.json import Json
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.sandbox.ledgy_data import ExportHeaders, LedgyData, stakeholder_record
from reconciler.sandbox.ledgy_gate import Clock, KeyedWindow, LedgyGate
from reconciler.sandbox.ledgy_schema import emulator_schema
from reconciler.sandbox.ledgy_workbook import workbook_routes

SANDBOX_KEY = "sandbox-ledgy-key"
PATH = "/graphql"
RATE_LIMIT = (20, 5.0)
"""Ledgy's documented limit: 20 requests per 5 seconds, per key."""
Info = GraphQLResolveInfo  # the resolvers do not read it
Introspection = Literal["allowed", "disabled", "apollo"]
APOLLO_REFUSAL = (
    "GraphQL introspection is not allowed by Apollo Server, but the query contained __schema "
    "or __type. To enable introspection, pass introspection: true to ApolloServer in production"
)
"""Apollo Server's answer (HTTP 400, code GRAPHQL_VALIDATION_FAILED) when introspection is off."""


@dataclass(frozen=True)
class Behaviour:
    """What a real Ledgy account may do otherwise than the emulator's default."""

    introspection: Introspection = "allowed"
    """``disabled``: graphql-core's NoSchemaIntrospectionCustomRule (200, ``data: null``,
    "GraphQL introspection has been disabled…"); ``apollo``: Apollo Server's refusal
    (400, "GraphQL introspection is not allowed…")."""
    export_headers: ExportHeaders = "ours"
    """How the export spells its columns (``ledgy_workbook.SPELLINGS``): ours (our header
    table), aliased (``Stakeholder id``, ``Full name``, ``E-mail``…), no-hr (no ``HR: …``
    columns), no-key (no Stakeholder ID column)."""


@dataclass(frozen=True)
class Refusals:
    """Writes a stricter Ledgy would refuse, quoting them back in its error (both off by
    default): for tests that no echoed value reaches any output."""

    required: tuple[str, ...] = ()
    """``StakeholderInput`` fields made non-null: graphql-core refuses a batch holding a
    write without one before anything is written, and its message quotes the whole
    input of that write (``found: {'name': …, 'birthdate': …}``)."""
    refused: tuple[str, ...] = ()
    """``StakeholderInput`` fields whose writes the resolvers refuse, one write at a time,
    with a message that quotes the value and the whole input back."""


class _Store:
    """The resolvers: graphql-core calls these as methods of the root value."""

    def __init__(
        self, data: LedgyData, today: date | None = None, refusals: Refusals | None = None
    ) -> None:
        self.data = data
        self.today = today
        self.refusals = refusals or Refusals()
        self._next = 1 + max((_number(s["id"]) for s in data.stakeholders), default=0)

    def auth(self, info: Info) -> Json:
        return {"companyId": self.data.company["id"], "companyName": self.data.company["name"]}

    def companyCaptable(
        self, info: Info, groupBy: list[str] | None = None, date: date | None = None
    ) -> Json:
        return {"rows": captable(self.data, groupBy or [], self._before(date))}

    def companyTransactions(
        self, info: Info, types: list[str] | None = None, date: date | None = None
    ) -> Json:
        if types is not None and "grant" not in types:
            return {"rows": []}
        cutoff = self._before(date)
        people = {s["id"]: s for s in self.data.stakeholders}
        return {
            "rows": [
                _grant(t, people.get(t["stakeholder_id"]) or {})
                for t in self.data.transactions
                if _day(t["date"]) < cutoff
            ]
        }

    def _before(self, day: date | None) -> date:
        return day or self.today or date.today()

    def stakeholders(self, info: Info, type: str = "naturalPerson") -> list[Json]:
        kept = [s for s in self.data.stakeholders if s.get("type", "naturalPerson") == type]
        return [shown(s) for s in kept]

    def customFields(self, info: Info) -> list[Json]:
        return [{"name": name} for name in self.data.custom_fields]

    def createStakeholder(self, info: Info, input: Json) -> Json:
        self._refuse(input)
        if not (input.get("name") or "").strip():
            raise GraphQLError("A stakeholder needs a name")
        self._unique(input.get("identifier"), None)
        record = stakeholder_record({"id": f"sh_{self._next:06d}"})
        _set(record, input, self.data.custom_fields)
        self._next += 1
        self.data.stakeholders.append(record)
        return {"stakeholder": shown(record)}

    def updateStakeholder(self, info: Info, id: str, input: Json) -> Json:
        record = next((s for s in self.data.stakeholders if s["id"] == id), None)
        if record is None:
            raise GraphQLError(f"No stakeholder with id {id}")
        self._refuse(input)
        if "identifier" in input:
            self._unique(input["identifier"], id)
        _set(record, input, self.data.custom_fields)
        return {"stakeholder": shown(record)}

    def _refuse(self, input: Json) -> None:
        for name in self.refusals.refused:
            if input.get(name) is not None:
                value = input[name]
                raise GraphQLError(
                    f"Invalid {name} {_quoted(value)} for stakeholder {_quoted(input)}"
                )

    def _unique(self, identifier: str | None, own_id: str | None) -> None:
        if not identifier:
            return
        wanted = identifier.strip().lower()
        for other in self.data.stakeholders:
            if other["id"] != own_id and (other.get("identifier") or "").strip().lower() == wanted:
                raise GraphQLError(f"A stakeholder with identifier {identifier} already exists")


GROUPS = {
    "stakeholderName": ("stakeholderId", "stakeholderName", "stakeholderEmail", "stakeholderType"),
    "shareClassName": ("shareClassName",),
    "captableGroup": ("captableGroup",),
    "grantName": ("grantName",),
}


def captable(data: LedgyData, group_by: list[str], before: date) -> list[Json]:
    """Grants before a day, summed per group (one total row without ``groupBy``)."""
    people = {s["id"]: s for s in data.stakeholders}
    rows: dict[tuple[object, ...], Json] = {}
    for grant in data.transactions:
        if _day(grant["date"]) >= before:
            continue
        facts = _facts(grant, people.get(grant["stakeholder_id"]) or {})
        columns = [c for g in dict.fromkeys(group_by) for c in GROUPS[g]]
        key = tuple(facts[c] for c in columns)
        row = rows.setdefault(key, {c: facts[c] for c in columns} | _zero())
        row["diluted"] += float(grant.get("granted") or 0)
        row["vested"] += float(grant.get("vested") or 0)
    return list(rows.values())


def _zero() -> Json:
    return {"currency": "GBP", "issued": 0.0, "diluted": 0.0, "vested": 0.0}


def _facts(grant: Json, person: Json) -> Json:
    return {
        "stakeholderId": grant["stakeholder_id"],
        "stakeholderName": person.get("name"),
        "stakeholderEmail": person.get("email"),
        "stakeholderType": person.get("type", "naturalPerson"),
        "shareClassName": grant.get("share_class", "Common"),
        "captableGroup": person.get("group"),
        "grantName": grant.get("name"),
    }


def _grant(grant: Json, person: Json) -> Json:
    facts = _facts(grant, person)
    return {
        "__typename": "Grant",
        "transactionId": grant["id"],
        "transactionType": "grant",
        "date": _day(grant["date"]),
        "stakeholderId": facts["stakeholderId"],
        "stakeholderName": facts["stakeholderName"],
        "stakeholderEmail": facts["stakeholderEmail"],
        "stakeholderType": facts["stakeholderType"],
        "stakeholderHrisIdentifier": person.get("identifier"),
        "currency": "GBP",
        "grantType": "option",
        "granted": float(grant.get("granted") or 0),
        "grantVested": float(grant.get("vested") or 0),
        "equityPlanName": grant.get("plan"),
    }


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _set(record: Json, values: Json, known_fields: list[str]) -> None:
    """Apply a StakeholderInput: given keys change, null clears, others stay."""
    unknown = [c["name"] for c in values.get("customFields") or [] if c["name"] not in known_fields]
    if unknown:
        raise GraphQLError(
            f"Unknown custom field {unknown[0]}; create it on the Data Management page"
        )
    for key in ("name", "email", "identifier", "birthdate", "nationality", "group"):
        if key in values:
            value = values[key]
            record[key] = value.isoformat() if isinstance(value, date) else value
    if values.get("address") is not None:
        record["address"] = {**(record.get("address") or {}), **values["address"]}
    for item in values.get("customFields") or []:
        _put(record.setdefault("custom_fields", {}), item["name"], item.get("value"))
    for item in values.get("hris") or []:
        _put(record.setdefault("hris", {}), item["field"], item.get("value"))


def _put(mapping: Json, key: str, value: object) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def shown(record: Json) -> Json:
    """A stored stakeholder in the GraphQL shape."""
    address = record.get("address") or {}
    return {
        **{
            k: record.get(k)
            for k in ("id", "name", "email", "identifier", "birthdate", "nationality", "group")
        },
        "type": record.get("type", "naturalPerson"),
        "address": {k: address.get(k) for k in ("line1", "line2", "postcode", "city", "country")},
        "customFields": [
            {"name": k, "value": v} for k, v in sorted((record.get("custom_fields") or {}).items())
        ],
        "hris": [
            {"field": k, "value": _text(v)} for k, v in sorted((record.get("hris") or {}).items())
        ],
    }


def _quoted(value: object) -> str:
    """A value as a Ruby or Python server quotes it back: dates as text, the rest as JSON."""
    return json.dumps(value, default=str, ensure_ascii=False)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(stakeholder_id: object) -> int:
    digits = "".join(ch for ch in str(stakeholder_id) if ch.isdigit())
    return int(digits) if digits else 0


def _endpoint(
    store: _Store, schema: GraphQLSchema, behaviour: Behaviour
) -> Callable[[Request], Awaitable[JSONResponse]]:
    rules = None
    if behaviour.introspection != "allowed":
        rules = (*specified_rules, NoSchemaIntrospectionCustomRule)

    async def graphql_endpoint(request: Request) -> JSONResponse:
        try:
            body = await request.json()
            query = body["query"]
        except (ValueError, KeyError, TypeError):
            return JSONResponse(
                {"errors": [{"message": "Expected a JSON body with a query"}]}, status_code=400
            )
        result = graphql_sync(
            schema,
            query,
            root_value=store,
            variable_values=body.get("variables") or {},
            operation_name=body.get("operationName"),
            rules=rules,
        )
        if behaviour.introspection == "apollo" and _refused(result.errors):
            refusal = {
                "message": APOLLO_REFUSAL,
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
            return JSONResponse({"errors": [refusal]}, status_code=400)
        answer: Json = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        return JSONResponse(answer)

    return graphql_endpoint


def _refused(errors: Sequence[GraphQLError] | None) -> bool:
    return any("introspection" in error.message for error in errors or ())


def create_app(
    data: LedgyData,
    *,
    api_key: str = SANDBOX_KEY,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
    published_only: bool = False,
    rate_limit: tuple[int, float] | None = RATE_LIMIT,
    today: date | None = None,
    refusals: Refusals | None = None,
    behaviour: Behaviour | None = None,
    clock: Clock = time.monotonic,
) -> LedgyGate:
    """The emulator as an ASGI app; it changes ``data`` in place as writes arrive.

    The per-key limit is ``knobs.rate_limit`` when set, else ``rate_limit`` (Ledgy's
    20 per 5 s; ``None`` turns it off for benchmarks). Other knobs never drop it.
    ``clock`` times that limit (a test's fake clock).
    """
    refusals = refusals or Refusals()
    behaviour = behaviour or Behaviour()
    store = _Store(data, today, refusals)
    schema = emulator_schema(published_only=published_only, required=refusals.required)
    routes = [
        Route(PATH, _endpoint(store, schema, behaviour), methods=["POST"]),
        *workbook_routes(data, behaviour.export_headers),
    ]
    knobs = knobs or Knobs()
    traffic = traffic or Traffic()
    if knobs.rate_limit is not None:
        rate_limit = (knobs.rate_limit, knobs.rate_window)
    faulty = MisbehaviourMiddleware(
        Starlette(routes=routes), replace(knobs, rate_limit=None), traffic
    )
    window = KeyedWindow(*rate_limit, clock=clock) if rate_limit else None

    def limited() -> None:
        traffic.requests += 1
        traffic.limited += 1

    return LedgyGate(faulty, frozenset({api_key}), window, on_limited=limited)

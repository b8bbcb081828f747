"""An emulator of Ledgy's GraphQL API: graphql-core executes schemas/ledgy.graphql.

The published part (``auth``, ``companyCaptable``, ``companyTransactions``) answers
as the reference describes; the stakeholder operations (not published by Ledgy)
keep an in-memory store seeded from a sandbox ``ledgy.json`` (docs/cli.md) and
refuse a second stakeholder with the same identifier. The bearer key and the
documented 20 requests per 5 seconds are enforced.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graphql import GraphQLError, graphql_sync
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from reconciler.errors import SandboxError
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.targets.ledgy.codec import typed
from reconciler.targets.ledgy.operations import ledgy_schema

SANDBOX_KEY = "sandbox-ledgy-key"
PATH = "/graphql"
RATE_LIMIT = Knobs(rate_limit=20, rate_window=5.0)
Json = dict[str, Any]
Info = Any  # graphql-core's resolve info; the resolvers do not read it


@dataclass
class LedgyData:
    """A Ledgy company as a sandbox ``ledgy.json`` holds it."""

    company: Json
    custom_fields: list[str] = field(default_factory=list)
    stakeholders: list[Json] = field(default_factory=list)

    @classmethod
    def empty(cls, name: str) -> LedgyData:
        """A company with no stakeholders (a missing ``ledgy.json``)."""
        return cls({"id": "co_sandbox", "name": name})

    @classmethod
    def load(cls, path: Path) -> LedgyData:
        """Read a sandbox ``ledgy.json``."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                dict(raw["company"]),
                list(raw.get("custom_fields", [])),
                list(raw.get("stakeholders", [])),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SandboxError(
                f"{path}: not a Ledgy sandbox file ({type(error).__name__})",
                remedy="it needs company {id, name}, custom_fields and stakeholders "
                "(docs/cli.md, Sandbox directories)",
            ) from None

    def dump(self, path: Path) -> None:
        """Write a sandbox ``ledgy.json``."""
        body = {
            "company": self.company,
            "custom_fields": self.custom_fields,
            "stakeholders": self.stakeholders,
        }
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


class _Store:
    """The resolvers: graphql-core calls these as methods of the root value."""

    def __init__(self, data: LedgyData) -> None:
        self.data = data
        self._next = 1 + max((_number(s["id"]) for s in data.stakeholders), default=0)

    def auth(self, info: Info) -> Json:
        return {"companyId": self.data.company["id"], "companyName": self.data.company["name"]}

    def companyCaptable(self, info: Info, **_: Any) -> Json:
        return {"rows": [_captable_row(s) for s in self.data.stakeholders]}

    def companyTransactions(self, info: Info, **_: Any) -> Json:
        return {"rows": []}

    def stakeholders(self, info: Info, type: str = "naturalPerson") -> list[Json]:
        kept = [s for s in self.data.stakeholders if s.get("type", "naturalPerson") == type]
        return [shown(s) for s in kept]

    def customFields(self, info: Info) -> list[Json]:
        return [{"name": name} for name in self.data.custom_fields]

    def createStakeholder(self, info: Info, input: Json) -> Json:
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
        if "identifier" in input:
            self._unique(input["identifier"], id)
        _set(record, input, self.data.custom_fields)
        return {"stakeholder": shown(record)}

    def _unique(self, identifier: str | None, own_id: str | None) -> None:
        if not identifier:
            return
        wanted = identifier.strip().lower()
        for other in self.data.stakeholders:
            if other["id"] != own_id and (other.get("identifier") or "").strip().lower() == wanted:
                raise GraphQLError(f"A stakeholder with identifier {identifier} already exists")


def _captable_row(record: Json) -> Json:
    return {
        "stakeholderId": record["id"],
        "stakeholderName": record["name"],
        "stakeholderEmail": record.get("email"),
        "stakeholderType": "naturalPerson",
        "issued": 0,
        "diluted": 0,
        "vested": 0,
    }


def _set(record: Json, values: Json, known_fields: list[str]) -> None:
    """Apply a StakeholderInput: given keys change, null clears, others stay."""
    unknown = [c["name"] for c in values.get("customFields") or [] if c["name"] not in known_fields]
    if unknown:
        raise GraphQLError(
            f"Unknown custom field {unknown[0]}; create it on the Data Management page"
        )
    for key in ("name", "email", "identifier", "birthdate", "nationality", "group"):
        if key in values:
            record[key] = values[key]
    if values.get("address") is not None:
        record["address"] = {**(record.get("address") or {}), **values["address"]}
    for item in values.get("customFields") or []:
        _put(record.setdefault("custom_fields", {}), item["name"], item.get("value"))
    for item in values.get("hris") or []:
        value = typed(item["field"], item.get("value"))
        _put(
            record.setdefault("hris", {}),
            item["field"],
            value.isoformat() if isinstance(value, date) else value,
        )


def _put(mapping: Json, key: str, value: Any) -> None:
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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(stakeholder_id: Any) -> int:
    digits = "".join(ch for ch in str(stakeholder_id) if ch.isdigit())
    return int(digits) if digits else 0


def _endpoint(store: _Store, api_key: str) -> Any:
    async def graphql_endpoint(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {api_key}":
            return JSONResponse({"errors": [{"message": "Invalid key format"}]}, status_code=401)
        try:
            body = await request.json()
            query = body["query"]
        except (ValueError, KeyError, TypeError):
            return JSONResponse(
                {"errors": [{"message": "Expected a JSON body with a query"}]}, status_code=400
            )
        result = graphql_sync(
            ledgy_schema(),
            query,
            root_value=store,
            variable_values=body.get("variables") or {},
            operation_name=body.get("operationName"),
        )
        answer: Json = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        return JSONResponse(answer)

    return graphql_endpoint


def create_app(
    data: LedgyData,
    *,
    api_key: str = SANDBOX_KEY,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; it changes ``data`` in place as writes arrive."""
    store = _Store(data)
    app = Starlette(routes=[Route(PATH, _endpoint(store, api_key), methods=["POST"])])
    return MisbehaviourMiddleware(app, RATE_LIMIT if knobs is None else knobs, traffic)


def stakeholder_record(values: Mapping[str, Any]) -> Json:
    """A ``ledgy.json`` stakeholder with every key present (for generators and tests)."""
    empty = dict.fromkeys(("id", "email", "identifier", "birthdate", "nationality", "group"))
    base: Json = {**empty, "type": "naturalPerson", "name": "", "address": {}}
    return base | {"custom_fields": {}, "hris": {}} | dict(values)

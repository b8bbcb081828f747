"""Stakeholders to and from the GraphQL shapes of schemas/ledgy.graphql. Pure.

Custom field and HR field values travel as text; HR values are typed again on the
way in by the kind the field catalogue gives them (dates, numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reconciler.domain.fields import CATALOGUE
from reconciler.domain.json import Json
from reconciler.domain.stakeholder import (
    ADDRESS,
    CUSTOM,
    HRIS,
    SCALARS,
    Address,
    Stakeholder,
    Value,
    as_text,
)


def typed(field: str, text: str | None) -> Value:
    """An HR field's value from its text form, typed by the field catalogue."""
    if text is None:
        return None
    kind = CATALOGUE[field].kind if field in CATALOGUE else "text"
    try:
        if kind == "date":
            return date.fromisoformat(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    return text


def stakeholder_from_json(item: Mapping[str, Any]) -> Stakeholder:
    """A stakeholder from the answer to the Stakeholders query.

    A value in a form that cannot be read (a birthdate that is not ISO, an object
    where text belongs) becomes empty and is recorded in ``problems`` by field name,
    so the plan warns about that person and goes on; the value is never quoted.
    """
    problems: list[str] = []
    address = item.get("address") or {}
    if not isinstance(address, Mapping):
        problems.append("unreadable:address")
        address = {}

    def text(key: str, source: Mapping[str, object] = item, name: str | None = None) -> str | None:
        value = source.get(key)
        if value is None or isinstance(value, str):
            return value
        problems.append(f"unreadable:{name or key}")
        return None

    return Stakeholder(
        id=str(item["id"]),
        name=text("name") or "",
        email=text("email"),
        identifier=text("identifier"),
        birthdate=_birthdate(item.get("birthdate"), problems),
        nationality=text("nationality"),
        address=Address(
            **{
                k: text(k, address, f"address.{k}")
                for k in ("line1", "line2", "postcode", "city", "country")
            }
        ),
        group=text("group"),
        custom_fields={c["name"]: c.get("value") for c in item.get("customFields") or []},
        hris={h["field"]: typed(h["field"], h.get("value")) for h in item.get("hris") or []},
        problems=tuple(problems),
    )


def _birthdate(value: object, problems: list[str]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append("unreadable:birthdate")
    return None


def stakeholder_input(values: Mapping[str, Value]) -> Json:
    """The StakeholderInput that sets exactly these plan fields (``None`` clears)."""
    body: Json = {}
    address: Json = {}
    custom: list[Json] = []
    hris: list[Json] = []
    for key, value in sorted(values.items()):
        if key in SCALARS:
            body[key] = as_text(value)
        elif key.startswith(ADDRESS):
            address[key[len(ADDRESS) :]] = as_text(value)
        elif key.startswith(CUSTOM):
            custom.append({"name": key[len(CUSTOM) :], "value": as_text(value)})
        elif key.startswith(HRIS):
            hris.append({"field": key[len(HRIS) :], "value": as_text(value)})
        else:
            raise ValueError(f"not a stakeholder field: {key}")
    if address:
        body["address"] = address
    if custom:
        body["customFields"] = custom
    if hris:
        body["hris"] = hris
    return body

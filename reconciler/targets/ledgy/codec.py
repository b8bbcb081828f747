"""Stakeholders to and from the GraphQL shapes of schemas/ledgy.graphql. Pure.

Custom field and HR field values travel as text; HR values are typed again on the
way in by the kind the field catalogue gives them (dates, numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reconciler.fields import CATALOGUE
from reconciler.stakeholder import (
    ADDRESS,
    CUSTOM,
    HRIS,
    SCALARS,
    Address,
    Stakeholder,
    Value,
    as_text,
)

Json = dict[str, Any]


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
    """A stakeholder from the answer to the Stakeholders query."""
    address = item.get("address") or {}
    birthdate = item.get("birthdate")
    return Stakeholder(
        id=str(item["id"]),
        name=item.get("name") or "",
        email=item.get("email"),
        identifier=item.get("identifier"),
        birthdate=date.fromisoformat(birthdate) if birthdate else None,
        nationality=item.get("nationality"),
        address=Address(
            **{k: address.get(k) for k in ("line1", "line2", "postcode", "city", "country")}
        ),
        group=item.get("group"),
        custom_fields={c["name"]: c.get("value") for c in item.get("customFields") or []},
        hris={h["field"]: typed(h["field"], h.get("value")) for h in item.get("hris") or []},
    )


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

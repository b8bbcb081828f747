"""JSON Schema additions the models cannot derive: rules between sibling keys.

They let an editor (yaml-language-server) flag what ``reconciler validate`` flags,
as far as JSON Schema can say it.
"""

from __future__ import annotations

from reconciler.domain.fields import EMPLOYMENT_STATUSES, FIELD_NAMES
from reconciler.domain.json import Json

Schema = Json


def field_ref_schema() -> Schema:
    """Schema of a field reference: a canonical field or raw.<key>."""
    return {
        "type": "string",
        "anyOf": [{"enum": list(FIELD_NAMES)}, {"pattern": r"^raw\.[A-Za-z0-9_]+$"}],
    }


def _when(key: str, value: str, then: Schema, otherwise: Schema | None = None) -> Schema:
    rule: Schema = {
        "if": {"properties": {key: {"const": value}}, "required": [key]},
        "then": then,
    }
    if otherwise is not None:
        rule["else"] = otherwise
    return rule


def _add(schema: Schema, *rules: Schema) -> None:
    schema.setdefault("allOf", []).extend(rules)


def ledgy_rules(schema: Schema) -> None:
    """The api driver needs api_key; the workbook driver needs workbook."""
    _add(schema, _when("driver", "workbook", {"required": ["workbook"]}, {"required": ["api_key"]}))


def rule_rules(schema: Schema) -> None:
    """Employment statuses and country codes are closed sets."""
    import pycountry  # only when the schema is made: every run imports this module

    codes = sorted(c.alpha_2 for c in pycountry.countries)
    _add(
        schema,
        _when("field", "employment_status", _items({"enum": list(EMPLOYMENT_STATUSES)})),
        _when("field", "country", _items({"enum": codes})),
    )


def _items(item: Schema) -> Schema:
    return {"properties": {"in": {"items": item}}}


def terminated_rules(schema: Schema) -> None:
    """A group is given exactly when the action is group."""
    _add(
        schema, _when("action", "group", {"required": ["group"]}, {"not": {"required": ["group"]}})
    )

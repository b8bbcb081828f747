"""The schema's additions: rules between sibling keys that an editor checks as
``reconciler validate`` does, each tried on small documents with a real validator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from jsonschema import Draft202012Validator

from reconciler.config.schema_extra import (
    Schema,
    field_ref_schema,
    ledgy_rules,
    rule_rules,
    terminated_rules,
)
from reconciler.domain.fields import EMPLOYMENT_STATUSES


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("job_title", True),
        ("raw.Cost_Centre_2", True),
        ("Job_title", False),
        ("raw.cost-centre", False),
        ("raw.", False),
        ("RAW.x", False),
        (12, False),
    ],
)
def test_a_field_reference_is_a_canonical_field_or_a_raw_key(value: object, valid: bool) -> None:
    schema = field_ref_schema()
    Draft202012Validator.check_schema(schema)
    assert Draft202012Validator(schema).is_valid(value) is valid


def _valid(add: Callable[[Schema], None], document: object) -> bool:
    schema: Schema = {}
    add(schema)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema).is_valid(document)


def test_the_api_driver_needs_an_api_key_and_the_workbook_driver_a_workbook() -> None:
    assert _valid(ledgy_rules, {"driver": "api", "api_key": {"env": "LEDGY_API_KEY"}})
    assert _valid(ledgy_rules, {"api_key": {"env": "LEDGY_API_KEY"}})  # api is the default
    assert not _valid(ledgy_rules, {"driver": "api"})
    assert not _valid(ledgy_rules, {})
    assert _valid(ledgy_rules, {"driver": "workbook", "workbook": {}})
    # an api_key does not stand in for the workbook
    assert not _valid(ledgy_rules, {"driver": "workbook", "api_key": {"env": "K"}})


@pytest.mark.parametrize(
    ("rule", "valid"),
    [
        ({"field": "employment_status", "in": list(EMPLOYMENT_STATUSES)}, True),
        ({"field": "employment_status", "in": ["active", "retired"]}, False),
        ({"field": "country", "in": ["GB", "DE"]}, True),
        ({"field": "country", "in": ["GB", "UK"]}, False),
        ({"field": "country", "in": ["gb"]}, False),
        ({"field": "job_title", "in": ["anything", "UK"]}, True),  # other fields are open
    ],
)
def test_statuses_and_country_codes_are_closed_sets(rule: object, valid: bool) -> None:
    assert _valid(rule_rules, rule) is valid


def test_a_group_is_given_exactly_when_the_action_is_group() -> None:
    assert _valid(terminated_rules, {"action": "group", "group": "Alumni"})
    assert not _valid(terminated_rules, {"action": "group"})
    assert _valid(terminated_rules, {"action": "keep"})
    assert not _valid(terminated_rules, {"action": "keep", "group": "Alumni"})


def test_the_rules_add_to_those_a_schema_has() -> None:
    schema: Schema = {"allOf": [{"required": ["company"]}]}
    ledgy_rules(schema)
    terminated_rules(schema)
    assert len(schema["allOf"]) == 3 and schema["allOf"][0] == {"required": ["company"]}

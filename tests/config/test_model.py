"""Validators of the config model: each refusal with its exact wording and remedy."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from reconciler.config.issues import KEY
from reconciler.config.model import (
    Config,
    Expectation,
    Ledgy,
    RuleTest,
    SensitiveException,
    Stakeholders,
    Workbook,
)

REASONS = (
    "sync_if, terminated, missing_identifier, duplicate_identifier, ambiguous_name_match, "
    "duplicate_in_ledgy, invalid_identifier, suspect_match, name_match_outside_groups, "
    "name_match_not_adopted, pinned_elsewhere"
)


def _finding(model: type[Expectation | SensitiveException], data: dict[str, object]) -> object:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    (error,) = raised.value.errors()
    return error.get("ctx")


@pytest.mark.parametrize(
    ("reason", "suggestion"),
    [("Sync-If", "; did you mean 'sync_if'?"), ("gone", "")],
)
def test_a_skip_reason_is_one_the_plan_gives(reason: str, suggestion: str) -> None:
    assert _finding(Expectation, {"synced": False, "reason": reason}) == {
        "message": f"must be one of {REASONS}, not '{reason}'{suggestion}",
        "hint": "these are the reasons a plan gives for a skipped employee",
    }


def test_a_sensitive_exception_gives_its_reason_in_words() -> None:
    assert _finding(SensitiveException, {"field": "raw.religion", "reason": "1234567890"}) == {
        "message": "the reason must be written in words (at least two words, 8 letters)",
        "hint": "say in words why this data may be copied (legal basis, who asked)",
    }


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[object, object]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [(e["loc"], e.get("ctx")) for e in raised.value.errors()]


MINIMAL: dict[str, Any] = {
    "hris": {"provider": "charliehr", "client_id": "env/A", "client_secret": "env/B"},
    "ledgy": {"company": "Acme Ltd", "api_key": "env/K"},
}


@pytest.mark.parametrize(
    ("version", "message", "hint"),
    [
        (True, "must be 1, not true", "write version: 1"),
        (False, "must be 1, not false", "write version: 1"),
        (1.0, "must be 1, not 1.0", "write version: 1"),
        ("1", "must be the number 1, not the text '1'", "write version: 1, without quotes"),
        (" 1 ", "must be the number 1, not the text '1'", "write version: 1, without quotes"),
    ],
)
def test_version_is_the_number_one(version: object, message: str, hint: str) -> None:
    assert _errors(Config, {"version": version, **MINIMAL}) == [
        (("version",), {"message": message, "hint": hint})
    ]


def test_the_workbook_needs_somewhere_to_keep_its_state() -> None:
    assert _errors(Workbook, {}) == [
        (
            (),
            {
                "message": "the workbook driver needs recipients (an encrypted export) or export",
                "hint": "add recipients: [age1…] and run `reconciler ledgy-state update`",
            },
        )
    ]
    assert Workbook.model_validate({"recipients": ["age1" + "q" * 58]}).out_dir == "ledgy-upload"


def test_workbook_columns_are_read_under_either_name_but_not_both() -> None:
    base = {"export": "export.xlsx"}
    columns = Workbook.model_validate({**base, "columns": {"stakeholder_id": "Key"}})
    older = Workbook.model_validate({**base, "headers": {"stakeholder_id": "Key"}})
    assert columns.column_names == older.column_names == {"stakeholder_id": "Key"}
    assert (columns.columns_key, older.columns_key) == ("columns", "headers")
    both = {**base, "columns": {"name": "Full name"}, "headers": {"stakeholder_id": "Key"}}
    assert _errors(Workbook, both) == [
        (
            (),
            {
                "message": "set columns or headers (its older name), not both",
                "hint": "move the entries of headers under columns",
            },
        )
    ]


def test_a_name_and_a_path_are_refused_with_their_remedy() -> None:
    data = {"company": "Acme\u200b", "api_key": "env/K", "operations": "../ops.graphql"}
    assert _errors(Ledgy, data) == [
        (
            ("company",),
            {
                "message": "a name cannot hold a control or invisible character (U+200B at position 5)",
                "hint": "names are shown in Ledgy and in the plan; retype it without the character",
            },
        ),
        (
            ("operations",),
            {
                "message": "must stay inside the config's directory; '..' is not allowed",
                "hint": "write the path relative to the directory of this file",
            },
        ),
    ]


def test_each_repeat_of_an_optional_field_is_named() -> None:
    data = {"optional_fields": ["manager", "manager", "pay_rate", "pay_rate", "manager"]}
    assert _errors(Stakeholders, data) == [
        (("optional_fields", 1), {"message": "'manager' is listed twice", "hint": None}),
        (("optional_fields", 3), {"message": "'pay_rate' is listed twice", "hint": None}),
        (("optional_fields", 4), {"message": "'manager' is listed twice", "hint": None}),
    ]


def test_a_fixture_employee_key_is_a_field_reference() -> None:
    data = {
        "name": "t",
        "employee": {"job_title": "x", "raw.bad-key": 1, "Job_title": "x"},
        "expect": {"synced": True},
    }
    assert _errors(RuleTest, data) == [
        (
            ("employee", "raw.bad-key", KEY),
            {
                "message": "'raw.bad-key' is not a raw CharlieHR key",
                "hint": "a raw key is letters, digits and underscores: raw.<key>",
            },
        ),
        (
            ("employee", "Job_title", KEY),
            {
                "message": "unknown HR field 'Job_title'; did you mean 'job_title'?",
                "hint": "use a canonical HR field (README: 'Fields') or raw.<key> for any raw "
                "CharlieHR key",
            },
        ),
    ]


def test_the_page_size_is_25_unless_set() -> None:
    hris = {**MINIMAL["hris"], "page_size": 100}
    assert Config.model_validate({**MINIMAL, "version": 1, "hris": hris}).hris.page_size == 100
    assert Config.model_validate({**MINIMAL, "version": 1}).hris.page_size == 25


def test_adoption_groups_are_managed_any_or_a_list() -> None:
    assert Stakeholders().adoption.groups == "managed"
    assert Stakeholders.model_validate({"adoption": {"groups": ["Advisors"]}}).adoption.groups == (
        "Advisors",
    )
    assert _errors(Stakeholders, {"adoption": {"groups": "Advisors"}}) == [
        (
            ("adoption", "groups"),
            {
                "message": "must be managed, any or a list of group names, not 'Advisors'",
                "hint": "write [Advisors] to allow that one group",
            },
        )
    ]


def test_the_groups_a_config_manages_are_its_group_and_the_leavers_group() -> None:
    assert Stakeholders().managed_groups == {"Employees"}
    alumni = {"terminated": {"action": "group", "group": "Alumni"}}
    assert Stakeholders.model_validate(alumni).managed_groups == {"Employees", "Alumni"}


def test_an_employee_or_stakeholder_pinned_twice_is_named_at_the_second_pin() -> None:
    data = {
        "matches": [
            {"employee": "ada@acme.test", "stakeholder": "sh_1"},
            {"employee": "ADA@acme.test ", "stakeholder": "new"},
            {"employee": "max@acme.test", "stakeholder": "new"},
            {"employee": "tm_3", "stakeholder": "sh_1"},
        ]
    }
    assert _errors(Stakeholders, data) == [
        (
            ("matches", 1, "employee"),
            {
                "message": "employee 'ADA@acme.test' is pinned twice (also in matches[0])",
                "hint": "keep one pin per employee and per stakeholder",
            },
        ),
        (
            ("matches", 3, "stakeholder"),
            {
                "message": "stakeholder 'sh_1' is pinned twice (also in matches[0])",
                "hint": "keep one pin per employee and per stakeholder",
            },
        ),
    ]


def test_a_conflict_policy_names_a_custom_field_the_config_writes() -> None:
    from tests.engine.helpers import config

    with pytest.raises(ValidationError) as caught:
        config(
            custom_fields=[{"from": "job_title", "to": "Job title"}],
            conflicts={"fields": {"custom_fields.Job titel": "review"}},
        )
    (error,) = caught.value.errors()
    assert error["loc"] == (
        "stakeholders",
        "conflicts",
        "fields",
        "custom_fields.Job titel",
        "[key]",
    )
    assert error["msg"] == (
        "'custom_fields.Job titel' is not a custom field this config writes; "
        "did you mean 'custom_fields.Job title'?"
    )
    made = config(
        custom_fields=[{"from": "job_title", "to": "Job title"}],
        conflicts={"default": "review", "fields": {"custom_fields.Job title": "hr_wins"}},
    )
    assert made.stakeholders.conflicts.fields == {"custom_fields.Job title": "hr_wins"}
    assert (made.stakeholders.conflicts.default, made.stakeholders.on_removed_field) == (
        "review",
        "keep",
    )


def test_every_plan_field_a_config_can_manage_can_have_a_policy() -> None:
    from reconciler.config.checks import PLAN_FIELDS
    from reconciler.engine.desired import field_sources
    from tests.engine.helpers import config

    everything = config(optional_fields=["manager", "mobile_phone", "pay_rate"])
    managed = set(field_sources(everything.stakeholders)) - {"identifier"}
    assert managed == set(PLAN_FIELDS)

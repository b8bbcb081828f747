"""Typo guards: a raw key nobody has, a rare one, a group Ledgy has never seen."""

from __future__ import annotations

from types import MappingProxyType

from reconciler.domain.gaps import Gap
from reconciler.engine.guards import (
    missing_raw_keys,
    named_reads,
    new_groups,
    rare_raw_keys,
    unread_findings,
)
from reconciler.engine.values import Change, FieldChange, PlanWarning
from tests.engine.helpers import config, employee, stakeholder, state

CUSTOM = [{"from": "raw.cost_centr", "to": "Cost centre"}]


def _with_raw(n: int, **raw: object):  # type: ignore[no-untyped-def]
    keys = frozenset({"id", "email", "cost_centre", "shoe_size", *raw})
    return employee(n, raw=MappingProxyType(dict(raw)), raw_keys=keys)


def test_a_raw_key_no_employee_has_is_an_error_with_a_suggestion() -> None:
    conf = config(custom_fields=CUSTOM, sync_if=[{"field": "raw.shoe_size", "in": [42]}])
    employees = [_with_raw(n, cost_centre="CC1", shoe_size=42) for n in range(3)]
    assert missing_raw_keys(conf, employees) == [
        (
            ("stakeholders", "custom_fields", 0, "from"),
            "no CharlieHR employee has the raw key 'cost_centr'; did you mean 'cost_centre'?",
            "raw keys are case-sensitive; check the spelling against a CharlieHR record "
            "(the CharlieHR API's team member record lists every key)",
        )
    ]


def test_no_employees_means_no_raw_key_verdict() -> None:
    assert missing_raw_keys(config(custom_fields=CUSTOM), []) == []


def test_a_raw_key_on_under_a_tenth_of_employees_is_a_warning() -> None:
    conf = config(custom_fields=[{"from": "raw.cost_centre", "to": "Cost centre"}])
    employees = [_with_raw(0, cost_centre="CC1")] + [
        _with_raw(n, cost_centre=None) for n in range(1, 11)
    ]
    (warning,) = rare_raw_keys(conf, employees)
    assert (warning.code, warning.message) == (
        "rare_raw_key",
        "raw.cost_centre has a value on 1 of 11 employees (under 10%); is it the key you meant?",
    )
    common = [_with_raw(n, cost_centre="CC1") for n in range(5)]
    assert rare_raw_keys(conf, common) == []


def test_a_new_group_is_named_with_the_closest_existing_one() -> None:
    ledgy = state(stakeholder(1, group="Employees"), stakeholder(2, group="Alumni"))
    changes = [
        Change(
            "update",
            f"p{n}@acme.test",
            "P",
            (FieldChange("group", "Employees", "Employes"),),
            f"sh_{n}",
        )
        for n in range(2)
    ]
    (warning,) = new_groups(changes, ledgy)
    assert warning.message.endswith("2 stakeholder(s) would go into it; did you mean 'Employees'?")
    assert new_groups(changes[:0], ledgy) == []


def test_a_raw_key_is_rare_only_under_a_tenth_of_employees() -> None:
    conf = config(custom_fields=[{"from": "raw.cost_centre", "to": "Cost centre"}])
    ten = [_with_raw(0, cost_centre="CC1")] + [_with_raw(n, cost_centre=" ") for n in range(1, 10)]
    assert rare_raw_keys(conf, ten) == []  # 1 of 10 is not under 10%
    eleven = [*ten, _with_raw(10, cost_centre=None)]
    assert [w.message for w in rare_raw_keys(conf, eleven)] == [
        "raw.cost_centre has a value on 1 of 11 employees (under 10%); is it the key you meant?"
    ]


def test_blank_text_is_no_value_but_zero_is() -> None:
    conf = config(custom_fields=[{"from": "raw.level", "to": "Level"}])
    blanks = [_with_raw(n, level="  ") for n in range(11)]
    (warning,) = rare_raw_keys(conf, blanks)
    assert warning.message.startswith("raw.level has a value on 0 of 11 employees")
    assert warning.identifier is None
    zeros = [_with_raw(n, level=0) for n in range(11)]
    assert rare_raw_keys(conf, zeros) == []


def test_a_raw_key_read_twice_warns_once_and_one_no_record_has_warns_not() -> None:
    conf = config(
        custom_fields=[{"from": "raw.level", "to": "Level"}, {"from": "raw.level", "to": "Grade"}],
        sync_if=[{"field": "raw.nowhere", "in": ["x"]}],
    )
    people = [employee(n, raw_keys=frozenset({"level"})) for n in range(11)]
    assert [w.message for w in rare_raw_keys(conf, people)] == [
        "raw.level has a value on 0 of 11 employees (under 10%); is it the key you meant?"
    ]
    assert rare_raw_keys(conf, []) == []


def test_every_missing_raw_key_is_named_at_its_place() -> None:
    conf = config(
        custom_fields=[{"from": "raw.Cost_Centre", "to": "Cost centre"}],
        sync_if=[{"field": "raw.zzz", "in": ["x"]}, {"field": "raw.shoe_size", "in": [1]}],
    )
    found = missing_raw_keys(conf, [_with_raw(1), _with_raw(2, extra=1)])
    assert [(where, message) for where, message, _ in found] == [
        (
            ("stakeholders", "custom_fields", 0, "from"),
            "no CharlieHR employee has the raw key 'Cost_Centre'; did you mean 'cost_centre'?",
        ),
        (("stakeholders", "sync_if", 0, "field"), "no CharlieHR employee has the raw key 'zzz'"),
    ]


def test_new_groups_are_warned_each_with_its_count_sorted_by_name() -> None:
    ledgy = state(stakeholder(1, group="Employees"), stakeholder(2, group=None))

    def moving(n: int, group: str | None) -> Change:
        return Change("update", f"p{n}@acme.test", "P", (FieldChange("group", "x", group),), "s")

    changes = [
        moving(1, "Zebra"),
        moving(2, "Employes"),
        moving(3, "Employees"),
        moving(4, None),
        moving(5, "Employes"),
        Change("create", "p6@acme.test", "P", (FieldChange("name", None, "Employes"),)),
    ]
    assert new_groups(changes, ledgy) == [
        PlanWarning(
            None,
            "new_group",
            "group 'Employes' does not exist in Ledgy yet (no stakeholder is in it); "
            "2 stakeholder(s) would go into it; did you mean 'Employees'?",
        ),
        PlanWarning(
            None,
            "new_group",
            "group 'Zebra' does not exist in Ledgy yet (no stakeholder is in it); "
            "1 stakeholder(s) would go into it",
        ),
    ]
    assert new_groups(changes, state(stakeholder(1, group=None))) == []


ABSENT_MANAGER = Gap(("manager",), "key_absent", "GET /team_members", "manager not read", "add")
ABSENT_GENDER = Gap(("gender",), "key_absent", "GET /team_members", "gender not read", "add")
ABSENT_CITY = Gap(("city",), "key_absent", "GET /team_members", "city not read", "add")


def test_named_reads_are_every_field_the_config_asks_for_by_name() -> None:
    conf = config(
        email="personal_email",
        optional_fields=["manager", "pay_rate"],
        custom_fields=[{"from": "office", "to": "Office"}],
        sync_if=[{"field": "country", "in": ["GB"]}],
    )
    assert named_reads(conf) == [
        (("stakeholders", "custom_fields", 0, "from"), "office"),
        (("stakeholders", "sync_if", 0, "field"), "country"),
        (("stakeholders", "optional_fields", 0), "manager"),
        (("stakeholders", "optional_fields", 1), "pay_rate"),
        (("stakeholders", "optional_fields", 1), "pay_period"),
        (("stakeholders", "optional_fields", 1), "pay_currency"),
        (("stakeholders", "email"), "personal_email"),
        (("stakeholders", "identifier"), "work_email"),
    ]


def test_an_unread_field_is_an_error_where_named_a_warning_where_default_and_else_nothing() -> None:
    gaps = [ABSENT_MANAGER, ABSENT_GENDER, ABSENT_CITY]
    errors, kept = unread_findings(config(optional_fields=["manager"]), gaps)
    assert errors == [(("stakeholders", "optional_fields", 0), "manager not read", "add")]
    assert kept == [ABSENT_MANAGER, ABSENT_CITY]  # gender is not synced by default
    errors, kept = unread_findings(config(), gaps)
    assert (errors, kept) == ([], [ABSENT_CITY])


def test_an_unread_work_email_is_always_an_error() -> None:
    gap = Gap(("work_email",), "key_absent", "GET /team_members", "work_email not read", "add")
    errors, _ = unread_findings(config(), [gap])
    assert errors == [(("stakeholders", "identifier"), "work_email not read", "add")]

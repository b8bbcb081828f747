"""Typo guards: a raw key nobody has, a rare one, a group Ledgy has never seen."""

from __future__ import annotations

from types import MappingProxyType

from reconciler.engine.guards import missing_raw_keys, new_groups, rare_raw_keys
from reconciler.engine.values import Change, FieldChange
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

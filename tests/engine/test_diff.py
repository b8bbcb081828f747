from __future__ import annotations

from datetime import date

from reconciler.domain.stakeholder import Value
from reconciler.engine.diff import field_changes
from reconciler.engine.values import FieldChange


def test_only_managed_fields_are_compared() -> None:
    current = {"name": "Ada", "nationality": "GB", "custom_fields.Notes": "set by hand"}
    assert field_changes(current, {"name": "Ada"}, frozenset()) == ()


def test_changes_become_our_own_values_sorted_by_field() -> None:
    current: dict[str, Value] = {
        "group": "Employees",
        "hris.pay_rate": 50000,
        "address.city": "Leeds",
    }
    desired: dict[str, Value] = {
        "group": "Alumni",
        "hris.pay_rate": 52000.0,
        "address.city": "Leeds",
        "birthdate": date(1990, 1, 1),
    }
    changes = field_changes(current, desired, frozenset({"hris.pay_rate", "birthdate"}))
    assert changes == (
        FieldChange("birthdate", None, date(1990, 1, 1), personal=True),
        FieldChange("group", "Employees", "Alumni"),
        FieldChange("hris.pay_rate", 50000, 52000.0, personal=True),
    )


def test_blank_text_spacing_and_number_types_are_not_changes() -> None:
    current: dict[str, Value] = {
        "name": "Ada  Lovelace",
        "hris.pay_rate": 52000,
        "address.line2": "",
    }
    desired: dict[str, Value] = {
        "name": "Ada Lovelace",
        "hris.pay_rate": 52000.0,
        "address.line2": None,
    }
    assert field_changes(current, desired, frozenset()) == ()


def test_a_value_hr_no_longer_has_is_cleared() -> None:
    (change,) = field_changes({"hris.team": "Design"}, {"hris.team": None}, frozenset())
    assert (change.old, change.new) == ("Design", None)


def test_zero_is_a_value_and_dates_compare_as_dates() -> None:
    current: dict[str, Value] = {"hris.pay_rate": None, "birthdate": date(1990, 1, 1), "name": " "}
    desired: dict[str, Value] = {
        "hris.pay_rate": 0,
        "birthdate": date(1990, 1, 2),
        "name": "Ada",
    }
    assert field_changes(current, desired, frozenset({"birthdate"})) == (
        FieldChange("birthdate", date(1990, 1, 1), date(1990, 1, 2), personal=True),
        FieldChange("hris.pay_rate", None, 0),
        FieldChange("name", " ", "Ada"),
    )
    same: dict[str, Value] = {"birthdate": date(1990, 1, 1), "hris.pay_rate": 0.0}
    assert field_changes({**same, "hris.pay_rate": 0}, same, frozenset()) == ()


def test_a_flag_is_compared_as_a_flag() -> None:
    (change,) = field_changes(
        {"custom_fields.Remote": False}, {"custom_fields.Remote": True}, frozenset()
    )
    assert change == FieldChange("custom_fields.Remote", False, True)
    assert (
        field_changes({"custom_fields.Remote": True}, {"custom_fields.Remote": True}, frozenset())
        == ()
    )

from __future__ import annotations

from datetime import date

import pytest

from reconciler.engine.desired import desired_state, field_sources
from reconciler.engine.phones import to_e164
from tests.engine.helpers import config, employee


def _one(conf, person):  # type: ignore[no-untyped-def]
    (item,) = desired_state([person], conf.stakeholders)
    return item


def test_the_default_set_without_options() -> None:
    fields = set(field_sources(config().stakeholders))
    assert fields == {
        "name",
        "email",
        "identifier",
        "birthdate",
        "group",
        "address.line1",
        "address.line2",
        "address.postcode",
        "address.city",
        "address.country",
        "hris.personal_email",
        "hris.start_date",
        "hris.termination_date",
        "hris.employment_status",
        "hris.employment_type",
        "hris.team",
    }


def test_optional_fields_add_manager_mobile_and_pay() -> None:
    fields = set(
        field_sources(config(optional_fields=["manager", "mobile_phone", "pay_rate"]).stakeholders)
    )
    assert {
        "hris.manager",
        "hris.mobile_phone",
        "hris.pay_rate",
        "hris.pay_period",
        "hris.pay_currency",
    } <= fields


def test_values_of_a_synced_employee() -> None:
    conf = config(
        group="Staff",
        custom_fields=[{"from": "job_title", "to": "Role"}, {"from": "start_date", "to": "Joined"}],
    )
    item = _one(conf, employee(1, job_title="Engineer", city="London", birthdate=date(1990, 1, 2)))
    assert item.synced and item.identifier == "person1@acme.test"
    values = dict(item.values or {})
    assert values["group"] == "Staff" and values["email"] == "person1@acme.test"
    assert values["address.city"] == "London" and values["birthdate"] == date(1990, 1, 2)
    assert values["custom_fields.Role"] == "Engineer"
    assert values["custom_fields.Joined"] == "2020-01-01"  # custom fields are text
    assert values["hris.start_date"] == date(2020, 1, 1)


def test_the_primary_email_can_be_the_personal_one() -> None:
    item = _one(config(email="personal_email"), employee(1, personal_email="p@mail.example"))
    assert item.values is not None and item.values["email"] == "p@mail.example"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("07700 900123", None),
        ("+49 151 23456789", "+4915123456789"),
        ("call me", None),
        (None, None),
    ],
)
def test_mobiles_become_e164_only_with_a_country_code(raw: str | None, e164: str | None) -> None:
    assert to_e164(raw) == e164


def test_a_mobile_without_country_code_is_left_unsynced_with_a_warning() -> None:
    item = _one(
        config(optional_fields=["mobile_phone"]),
        employee(1, mobile_phone="07700 900123", city="Leeds"),
    )
    assert item.values is not None
    assert "hris.mobile_phone" not in item.values and item.values["address.city"] == "Leeds"
    assert [w.code for w in item.warnings] == ["invalid_mobile"]
    assert "07700" not in item.warnings[0].message


def test_a_valid_mobile_is_synced_in_e164() -> None:
    item = _one(
        config(optional_fields=["mobile_phone"]), employee(1, mobile_phone="+44 7700 900123")
    )
    assert item.values is not None and item.values["hris.mobile_phone"] == "+447700900123"


@pytest.mark.parametrize(
    ("terminated", "synced", "group", "reason"),
    [
        ({"action": "skip"}, False, None, "terminated"),
        ({"action": "sync"}, True, "Employees", None),
        ({"action": "group", "group": "Alumni"}, True, "Alumni", None),
    ],
)
def test_leavers_follow_the_terminated_action(
    terminated: dict[str, str], synced: bool, group: str | None, reason: str | None
) -> None:
    item = _one(config(terminated=terminated), employee(1, employment_status="inactive"))
    assert item.synced is synced
    assert (item.values or {}).get("group") == group
    assert (item.skip.reason if item.skip else None) == reason


def test_a_skipped_employee_carries_the_first_failed_rule() -> None:
    conf = config(
        sync_if=[
            {"field": "employment_status", "in": ["active"]},
            {"field": "country", "in": ["DE"]},
        ]
    )
    item = _one(conf, employee(1, country="GB"))
    assert item.skip is not None and (item.skip.reason, item.skip.rule) == ("sync_if", 1)
    assert item.skip.detail == "sync_if[1]: country is not one of DE"


def test_no_work_email_is_missing_identifier() -> None:
    item = _one(config(), employee(1, work_email=None))
    assert item.skip is not None and item.skip.reason == "missing_identifier"


def test_a_shared_work_email_skips_both() -> None:
    items = desired_state(
        [employee(1), employee(2, work_email="PERSON1@acme.test")], config().stakeholders
    )
    assert [i.skip.reason if i.skip else None for i in items] == ["duplicate_identifier"] * 2


def test_unreadable_values_are_left_unsynced() -> None:
    person = employee(1, country=None, problems=("unknown_country", "invalid_date:birthdate"))
    item = _one(config(), person)
    assert item.values is not None
    assert "address.country" not in item.values and "birthdate" not in item.values
    assert {w.code for w in item.warnings} == {"unknown_country", "invalid_date"}

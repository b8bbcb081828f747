"""Pinned matches: whom each names, and what is wrong with one once both sides are read."""

from __future__ import annotations

from typing import Any

from reconciler.engine.pins import Pin, pin_findings, resolve_pins
from tests.engine.helpers import config, employee, stakeholder

EMPLOYEES = [employee(1), employee(2), employee(3, work_email="Person2@acme.test")]
LEDGY = [stakeholder(1), stakeholder(9, identifier=None)]


def _pins(*pins: dict[str, str]) -> Any:
    return config(matches=list(pins)).stakeholders.matches


def test_a_pin_names_its_employee_by_work_email_or_charliehr_id() -> None:
    pins = _pins(
        {"employee": " PERSON1@acme.test ", "stakeholder": "sh_0009"},
        {"employee": "tm_0003", "stakeholder": "new"},
    )
    assert resolve_pins(pins, EMPLOYEES, LEDGY) == {
        "tm_0001": Pin(0, "tm_0001", LEDGY[1]),
        "tm_0003": Pin(1, "tm_0003", None),
    }
    assert pin_findings(pins, EMPLOYEES, LEDGY) == []


def test_every_pin_that_names_nobody_is_an_error_at_its_place() -> None:
    pins = _pins(
        {"employee": "gone@acme.test", "stakeholder": "sh_0009"},
        {"employee": "tm_0001", "stakeholder": "sh_gone"},
        {"employee": "person2@acme.test", "stakeholder": "new"},
    )
    assert pin_findings(pins, EMPLOYEES, LEDGY) == [
        (
            ("stakeholders", "matches", 0, "employee"),
            "no CharlieHR employee has the work email or id 'gone@acme.test'",
            "write the employee's work email or CharlieHR id, or remove this pin",
        ),
        (
            ("stakeholders", "matches", 1, "stakeholder"),
            "no Ledgy stakeholder has the Stakeholder ID 'sh_gone'",
            "copy the Stakeholder ID from Ledgy (the stakeholder's page, or `reconciler "
            "identifiers export`), write new to create a new stakeholder, or remove this pin",
        ),
        (
            ("stakeholders", "matches", 2, "employee"),
            "2 CharlieHR employees have the work email 'person2@acme.test' (tm_0002, tm_0003)",
            "pin by CharlieHR id instead",
        ),
    ]
    assert resolve_pins(pins, EMPLOYEES, LEDGY) == {}


def test_one_employee_pinned_under_two_spellings_is_an_error() -> None:
    pins = _pins(
        {"employee": "person1@acme.test", "stakeholder": "sh_0009"},
        {"employee": "tm_0001", "stakeholder": "sh_0001"},
    )
    assert pin_findings(pins, EMPLOYEES, LEDGY) == [
        (
            ("stakeholders", "matches", 1, "employee"),
            "employee tm_0001 is pinned twice (also in matches[0])",
            "keep one pin per employee",
        )
    ]


def test_new_for_an_employee_whose_identifier_ledgy_holds_is_an_error() -> None:
    pins = _pins({"employee": "person1@acme.test", "stakeholder": "new"})
    assert pin_findings(pins, EMPLOYEES, LEDGY) == [
        (
            ("stakeholders", "matches", 0, "stakeholder"),
            "new creates a stakeholder, but sh_0001 already has this employee's work email "
            "as its identifier",
            "pin stakeholder: sh_0001, or remove this pin",
        )
    ]

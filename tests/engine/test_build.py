"""One person, one stakeholder: identifiers are compared in one normal form on both sides."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.engine.build import build_plan
from tests.engine.helpers import config, employee, stakeholder, state

SPELLINGS = {
    "zero-width space": "ada\u200b@acme.test",
    "full-width letter": "\uff41da@acme.test",
    "trailing dot": "ada@acme.test.",
    "surrounding spaces": "  ada@acme.test ",
    "Cyrillic look-alike": "\u0430da@acme.test",
    "capitals": "ADA@Acme.Test",
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_no_spelling_of_a_known_address_creates_a_second_stakeholder(spelling: str) -> None:
    ledgy = state(stakeholder(1, name="Ada Lovelace", identifier="ada@acme.test"))
    plan = build_plan([employee(1, name="Ada Lovelace", work_email=spelling)], ledgy, config())
    assert plan.creates == ()


@pytest.mark.parametrize(
    ("spelling", "problem"),
    [
        (SPELLINGS["zero-width space"], "invisible character (U+200B"),
        (SPELLINGS["Cyrillic look-alike"], "mixes scripts"),
        ("ada at acme.test", "holds a space"),
        ("ada.acme.test", "not a valid address"),
    ],
)
def test_an_untrustworthy_identifier_is_skipped_naming_what_is_wrong(
    spelling: str, problem: str
) -> None:
    plan = build_plan([employee(1, work_email=spelling)], state(), config())
    (skip,) = plan.skipped
    assert (skip.reason, plan.creates) == ("invalid_identifier", ())
    assert problem in skip.detail


def test_a_normalised_spelling_matches_and_changes_nothing() -> None:
    ledgy = state(stakeholder(1, identifier="Ada@Acme.test", email="ada@acme.test"))
    person = employee(1, name="Person 1", work_email="\uff41da@acme.test.")
    plan = build_plan([person], ledgy, config())
    assert (plan.creates, plan.skipped, plan.orphaned) == ((), (), ())


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_whitespace_only_work_email_is_a_missing_identifier(blank: str) -> None:
    plan = build_plan([employee(1, work_email=blank)], state(), config())
    assert [s.reason for s in plan.skipped] == ["missing_identifier"]


def test_a_rehire_syncs_the_current_record_only() -> None:
    old = employee(
        1,
        employment_status="inactive",
        termination_date=date(2022, 3, 31),
        work_email="ada@acme.test",
    )
    new = employee(2, work_email="Ada@acme.test")
    ledgy = state(stakeholder(1, identifier="ada@acme.test"))
    plan = build_plan([old, new], ledgy, config())
    assert [(s.employee_id, s.reason) for s in plan.skipped] == [
        ("tm_0001", "duplicate_identifier")
    ]
    assert "rehired" in plan.skipped[0].detail
    assert plan.creates == () and plan.orphaned == ()
    assert [c.stakeholder_id for c in plan.updates] in ([], ["sh_0001"])


def test_a_rehire_whose_old_record_is_out_of_scope_syncs_the_new_one() -> None:
    old = employee(1, employment_status="inactive", work_email="ada@acme.test", office="Paris")
    new = employee(2, work_email="ada@acme.test", office="London")
    conf = config(sync_if=[{"field": "office", "in": ["London"]}])
    plan = build_plan([old, new], state(), conf)
    assert [c.identifier for c in plan.creates] == ["ada@acme.test"]
    assert [s.reason for s in plan.skipped] == ["sync_if"]


def test_two_current_employees_sharing_an_address_are_both_skipped() -> None:
    plan = build_plan(
        [employee(1, work_email="ada@acme.test"), employee(2, work_email="ADA@acme.test ")],
        state(),
        config(),
    )
    assert [s.reason for s in plan.skipped] == ["duplicate_identifier"] * 2

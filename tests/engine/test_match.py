from __future__ import annotations

from reconciler.engine.desired import desired_state
from reconciler.engine.match import match, normal_name
from tests.engine.helpers import config, employee, stakeholder


def _match(employees, stakeholders, **conf):  # type: ignore[no-untyped-def]
    return match(desired_state(employees, config(**conf).stakeholders), stakeholders)


def test_identifiers_match_case_insensitively() -> None:
    result = _match([employee(1, work_email="Person1@ACME.test")], [stakeholder(1)])
    (pair,) = result.pairs
    assert pair.current is not None and pair.current.id == "sh_0001" and not pair.adopted


def test_a_stakeholder_without_identifier_and_the_same_name_is_adopted() -> None:
    result = _match(
        [employee(1, name="Ada  Lovelace")], [stakeholder(9, identifier=None, name="ada lovelace")]
    )
    (pair,) = result.pairs
    assert pair.adopted and pair.current is not None and pair.current.id == "sh_0009"
    assert [w.code for w in result.warnings] == ["adopted_by_name"]


def test_two_namesakes_in_ledgy_are_ambiguous_and_nothing_is_created() -> None:
    people = [
        stakeholder(8, identifier=None, name="Ada Lovelace"),
        stakeholder(9, identifier=None, name="Ada Lovelace"),
    ]
    result = _match([employee(1, name="Ada Lovelace")], people)
    assert result.pairs == ()
    assert [s.reason for s in result.skips] == ["ambiguous_name_match"]


def test_two_employees_with_one_namesake_are_ambiguous_too() -> None:
    employees = [employee(1, name="Max Born"), employee(2, name="Max Born")]
    result = _match(employees, [stakeholder(9, identifier=None, name="Max Born")])
    assert result.pairs == () and [s.reason for s in result.skips] == ["ambiguous_name_match"] * 2


def test_no_match_means_create() -> None:
    (pair,) = _match([employee(1)], []).pairs
    assert pair.current is None


def test_stakeholders_without_a_synced_employee_are_orphans_never_touched() -> None:
    employees = [employee(1), employee(2, country="US")]
    stakeholders = [stakeholder(1), stakeholder(2), stakeholder(3, identifier="gone@acme.test")]
    result = _match(employees, stakeholders, sync_if=[{"field": "country", "in": ["GB"]}])
    assert [(o.identifier, o.reason) for o in result.orphans] == [
        ("gone@acme.test", "no CharlieHR employee has this work email"),
        ("person2@acme.test", "the employee is skipped (sync_if)"),
    ]


def test_two_stakeholders_with_one_identifier_are_not_guessed_between() -> None:
    result = _match([employee(1)], [stakeholder(1), stakeholder(2, identifier="PERSON1@acme.test")])
    assert result.pairs == () and [s.reason for s in result.skips] == ["duplicate_in_ledgy"]


def test_names_are_normalised_for_comparison() -> None:
    assert normal_name("  Zoë   Müller ") == normal_name("zoë müller") == "zoë müller"

"""explain: every rule's result, how the employee matched, the change, the skip, the orphan."""

from __future__ import annotations

from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.desired import desired_state
from reconciler.engine.explain import Explanation, explain, find_employee
from reconciler.engine.rules import RuleResult
from reconciler.engine.values import Orphan, Skip
from tests.engine.helpers import config, employee, stakeholder, state

CONF = config(
    sync_if=[{"field": "country", "in": ["GB"]}],
    terminated={"action": "group", "group": "Alumni"},
)
EMPLOYEES = [
    employee(1),  # matched by identifier
    employee(2),  # no stakeholder: a new one
    employee(3),  # a stakeholder with its name and no identifier: adopted
    employee(4, country="FR"),  # fails sync_if, and its stakeholder is an orphan
    employee(5),  # two stakeholders hold its identifier
    employee(6, work_email=None),  # no work email
]
STATE = state(
    stakeholder(1),
    stakeholder(3, identifier=None),
    stakeholder(4),
    stakeholder(5),
    stakeholder(55, identifier="person5@acme.test"),
    stakeholder(99, identifier="gone@acme.test"),
)
PERSONAL = frozenset(
    {
        "birthdate",
        "address.line1",
        "address.line2",
        "address.postcode",
        "address.city",
        "address.country",
        "hris.personal_email",
    }
)


def _explain(identifier: str) -> Explanation:
    return explain(identifier, EMPLOYEES, STATE, CONF, key=SANDBOX_KEY)


def _change(identifier: str):  # type: ignore[no-untyped-def]
    plan = build_plan(EMPLOYEES, STATE, CONF, key=SANDBOX_KEY)
    return next(c for c in plan.changes if c.identifier == identifier)


def _outcome(n: int):  # type: ignore[no-untyped-def]
    return desired_state(EMPLOYEES, CONF.stakeholders)[n - 1]


def test_a_match_by_identifier_shows_rules_policy_outcome_and_the_update() -> None:
    found = _explain("person1@acme.test")
    assert found.identifier == "person1@acme.test"
    assert found.employee is EMPLOYEES[0]
    assert found.rules == (RuleResult(0, "country", "GB", ("GB",), True),)
    assert found.terminated_action == "group"
    assert found.outcome is not None and found.outcome.employee is EMPLOYEES[0]
    assert found.outcome == _outcome(1)
    assert found.matched == "by identifier: stakeholder sh_0001"
    assert found.change is not None and found.change.action == "update"
    assert found.change == _change("person1@acme.test")
    assert (found.skip, found.orphan) == (None, None)
    assert found.personal == PERSONAL


def test_the_charliehr_id_finds_the_same_employee_and_change() -> None:
    by_id = _explain("tm_0001")
    assert by_id.identifier == "person1@acme.test"  # the work email, not the id typed
    assert by_id.employee is EMPLOYEES[0]
    assert by_id.change == _change("person1@acme.test")


def test_an_employee_without_stakeholder_becomes_a_new_one() -> None:
    found = _explain("  PERSON2@Acme.Test ")
    assert found.identifier == "person2@acme.test"
    assert found.matched == "no stakeholder has this identifier or name: a new stakeholder"
    assert found.change is not None and found.change.action == "create"
    assert found.change == _change("person2@acme.test")


def test_a_stakeholder_with_the_name_and_no_identifier_is_adopted() -> None:
    found = _explain("person3@acme.test")
    assert found.matched == (
        "adopted by name: stakeholder sh_0003 had no identifier and the same name"
    )
    assert found.change is not None and found.change.adopted


def test_a_skipped_employee_shows_the_failed_rule_the_skip_and_its_orphan() -> None:
    found = _explain("tm_0004")
    assert found.identifier == "person4@acme.test"
    assert found.rules == (RuleResult(0, "country", "FR", ("GB",), False),)
    assert found.outcome is not None and not found.outcome.synced
    assert found.outcome == _outcome(4)
    assert found.skip == Skip(
        "tm_0004", "person4@acme.test", "sync_if", "sync_if[0]: country is not one of GB", 0
    )
    assert found.matched == "not matched: sync_if"
    assert found.change is None
    assert found.orphan == Orphan(
        "person4@acme.test", "sh_0004", "the employee is skipped (sync_if)"
    )


def test_a_skip_made_by_matching_is_shown_too() -> None:
    found = _explain("person5@acme.test")
    assert found.outcome is not None and found.outcome.skip is None
    assert found.skip == Skip(
        "tm_0005",
        "person5@acme.test",
        "duplicate_in_ledgy",
        "2 Ledgy stakeholders have this identifier",
    )
    assert found.matched == "not matched: duplicate_in_ledgy"
    assert found.change is None


def test_an_employee_without_work_email_keeps_the_id_typed() -> None:
    found = _explain("tm_0006")
    assert found.employee is EMPLOYEES[5]
    assert found.identifier == "tm_0006"
    assert found.matched == "not matched: missing_identifier"
    assert found.skip is not None and found.skip.reason == "missing_identifier"


def test_an_orphaned_stakeholder_without_employee_is_explained_as_such() -> None:
    assert _explain("GONE@acme.test") == Explanation(
        "GONE@acme.test",
        None,
        orphan=Orphan("gone@acme.test", "sh_0099", "no CharlieHR employee has this work email"),
    )


def test_an_unknown_identifier_explains_nothing() -> None:
    assert _explain("nobody@acme.test") == Explanation("nobody@acme.test", None)


def test_find_employee_by_email_any_case_or_by_id() -> None:
    assert find_employee(EMPLOYEES, " Person3@ACME.test ") is EMPLOYEES[2]
    assert find_employee(EMPLOYEES, "tm_0003") is EMPLOYEES[2]
    assert find_employee(EMPLOYEES, "TM_0003") is None  # ids are exact
    assert find_employee(EMPLOYEES, "person7@acme.test") is None


def test_an_employee_without_work_email_is_found_only_by_its_id() -> None:
    nobody = [employee(6, work_email=None)]
    assert find_employee(nobody, "tm_0006") is nobody[0]
    assert find_employee(nobody, "XXXX") is None
    assert find_employee(nobody, "person6@acme.test") is None

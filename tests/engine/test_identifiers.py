"""The identifier round trip: proposals by name, the checks on reviewed rows, the plan."""

from __future__ import annotations

import pytest

from reconciler.engine.canonical import SANDBOX_KEY, PlanKey, canonical_json, fingerprint
from reconciler.engine.identifiers import (
    Assignment,
    Proposal,
    assignment_plan,
    check_assignments,
    proposals,
)
from reconciler.engine.plan import Counts
from reconciler.engine.values import Change, FieldChange
from tests.engine.helpers import config, employee, stakeholder, state

KEY = PlanKey(b"a company's own plan key", "test")


def test_each_stakeholder_without_identifier_gets_a_proposal_by_exact_name() -> None:
    employees = [
        employee(1, name="Ada Lovelace", work_email=" ada@acme.test "),
        employee(2, name="Sam Smith", work_email="sam1@acme.test"),
        employee(3, name="sam  SMITH", work_email="sam2@acme.test"),
        employee(4, name="Bo Chen", work_email="bo@acme.test"),
        employee(5, name="Kim Lee", work_email=None),  # no email: proposes nothing
        employee(6, name="", work_email="noname@acme.test"),  # no name: matches nothing
    ]
    current = state(
        stakeholder(10, name="ADA  lovelace", identifier=None),
        stakeholder(11, name="Sam Smith", identifier=None),
        stakeholder(12, name="Bo Chen", identifier=None),
        stakeholder(13, name="Bo Chen", identifier=None),
        stakeholder(14, name="Kim Lee", identifier=None),
        stakeholder(15, name="Has One", identifier="has@acme.test"),  # not proposed
        stakeholder(16, name="", identifier=None),
    )
    found = proposals(current, employees)
    assert [(p.stakeholder.id, p.kind, p.candidates) for p in found] == [
        ("sh_0016", "none", ()),
        ("sh_0010", "unique", ("ada@acme.test",)),
        ("sh_0012", "ambiguous", ("bo@acme.test",)),  # two stakeholders share the name
        ("sh_0013", "ambiguous", ("bo@acme.test",)),
        ("sh_0014", "none", ()),
        ("sh_0011", "ambiguous", ("sam1@acme.test", "sam2@acme.test")),
    ]
    assert [p.proposed for p in found] == [None, "ada@acme.test", None, None, None, None]


def test_one_employee_listed_twice_is_still_one_candidate() -> None:
    twice = [employee(1, name="Ada"), employee(1, name="Ada")]
    (found,) = proposals(state(stakeholder(9, name="Ada", identifier=None)), twice)
    assert found == Proposal(found.stakeholder, "unique", ("person1@acme.test",))
    assert found.proposed == "person1@acme.test"


CURRENT = state(
    stakeholder(1, identifier=None),
    stakeholder(2, identifier=None),
    stakeholder(3, identifier="Taken@Acme.test"),
)
EMPLOYEES = [employee(1), employee(2), employee(3, work_email="taken@acme.test"), employee(4)]


def test_reviewed_rows_that_are_sound_raise_nothing() -> None:
    rows = [
        Assignment(2, "sh_0001", "person1@acme.test"),
        Assignment(3, "sh_0002", "PERSON2@acme.test "),
    ]
    assert check_assignments(rows, CURRENT, EMPLOYEES) == []


def test_every_problem_of_a_row_is_named_with_its_row() -> None:
    rows = [
        Assignment(2, "sh_0404", "person1@acme.test"),
        Assignment(3, "sh_0003", "person2@acme.test"),
        Assignment(4, "sh_0001", "invented@acme.test"),
        Assignment(5, "sh_0002", "TAKEN@acme.test"),
        Assignment(6, "sh_0002", "Person1@acme.test"),
        Assignment(7, "sh_0001", "person1@acme.test"),
    ]
    assert check_assignments(rows, CURRENT, EMPLOYEES) == [
        "row 2: no Ledgy stakeholder has the id sh_0404",
        "row 3: sh_0003 already has an identifier",
        "row 4: no CharlieHR employee has the work email invented@acme.test",
        "row 5: TAKEN@acme.test is already the identifier of sh_0003",
        "row 6: Person1@acme.test is also assigned in row 2",
        "row 7: person1@acme.test is also assigned in row 2",
    ]


def test_a_blank_identifier_is_no_employee_s_email() -> None:
    rows = [Assignment(2, "sh_0001", "  ")]
    assert check_assignments(rows, CURRENT, EMPLOYEES) == [
        "row 2: no CharlieHR employee has the work email   "
    ]


ROWS = [
    Assignment(3, "sh_0002", "person2@acme.test"),
    Assignment(2, "sh_0001", "person1@acme.test"),
]


def test_the_assignment_plan_only_sets_the_reviewed_identifiers() -> None:
    conf = config()
    plan = assignment_plan(ROWS, CURRENT, EMPLOYEES, conf, key=KEY)
    assert plan.changes == (
        Change(
            "update",
            "person1@acme.test",
            "Person 1",
            (FieldChange("identifier", None, "person1@acme.test"),),
            "sh_0001",
        ),
        Change(
            "update",
            "person2@acme.test",
            "Person 2",
            (FieldChange("identifier", None, "person2@acme.test"),),
            "sh_0002",
        ),
    )
    assert (plan.unchanged, plan.skipped, plan.warnings, plan.orphaned) == (0, (), (), ())
    assert plan.counts == Counts(4, 3, 1)
    assert plan.key is KEY


def test_the_assignment_plan_fingerprints_rows_ledgy_and_config_under_the_key() -> None:
    conf = config(
        sync_if=[{"field": "start_date", "in": ["2020-01-01"]}],
        custom_fields=[{"from": "team", "to": "Team"}],
    )
    plan = assignment_plan(ROWS, CURRENT, EMPLOYEES, conf, key=KEY)
    rows = [
        {"id": "sh_0002", "identifier": "person2@acme.test"},
        {"id": "sh_0001", "identifier": "person1@acme.test"},
    ]
    ledgy = [
        {"id": "sh_0001", "identifier": None},
        {"id": "sh_0002", "identifier": None},
        {"id": "sh_0003", "identifier": "Taken@Acme.test"},
    ]
    stakeholders = conf.stakeholders.model_dump(mode="json", by_alias=True)
    assert stakeholders["sync_if"] == [{"field": "start_date", "in": ["2020-01-01"]}]
    assert stakeholders["custom_fields"] == [{"from": "team", "to": "Team"}]
    assert plan.fingerprints.source == fingerprint(rows, KEY)
    assert plan.fingerprints.target == fingerprint(ledgy, KEY)
    assert plan.fingerprints.config == KEY.digest(canonical_json(stakeholders))
    assert (
        plan.checksum != assignment_plan(ROWS, CURRENT, EMPLOYEES, conf, key=SANDBOX_KEY).checksum
    )


@pytest.mark.parametrize(
    "other",
    [
        {"rows": ROWS[:1]},
        {"state": state(*CURRENT.stakeholders, stakeholder(8, identifier=None))},
        {"conf": config(group="Staff")},
    ],
    ids=["fewer-rows", "another-stakeholder", "another-group"],
)
def test_the_assignment_plan_checksum_binds_rows_ledgy_and_config(other: dict) -> None:  # type: ignore[type-arg]
    conf = config()
    plan = assignment_plan(ROWS, CURRENT, EMPLOYEES, conf, key=SANDBOX_KEY)
    moved = assignment_plan(
        other.get("rows", ROWS),
        other.get("state", CURRENT),
        EMPLOYEES,
        other.get("conf", conf),
        key=SANDBOX_KEY,
    )
    assert moved.checksum != plan.checksum
    assert moved.key is SANDBOX_KEY


def test_namesake_proposals_are_ordered_by_stakeholder_id() -> None:
    current = state(
        stakeholder(2, name="Bo Chen", identifier=None),
        stakeholder(1, name="bo chen", identifier=None),
    )
    assert [p.stakeholder.id for p in proposals(current, [])] == ["sh_0001", "sh_0002"]

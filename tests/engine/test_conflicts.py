"""Edits made in Ledgy are conflicts under their policy; fields no longer synced are cleared."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.plan import MASK, Plan
from reconciler.engine.record import Record, Recorded
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, stakeholder, state

PHONES: dict[str, Any] = {"optional_fields": ["mobile_phone"]}


def _people(**changes: Any) -> list[Employee]:
    return [employee(n, birthdate=date(1990, 1, n), **changes.get(str(n), {})) for n in (1, 2, 3)]


def _saved(plan: Plan) -> Recorded:
    """The record as the saved plan file carries it, through JSON and back."""
    assert plan.record is not None
    return Recorded(Record.from_data(json.loads(json.dumps(plan.record.to_data()))))


def _applied(
    people: list[Employee], conf: Config, key: PlanKey = SANDBOX_KEY
) -> tuple[InMemoryTarget, Recorded]:
    """A first sync, applied: Ledgy holds HR's values and the record knows them."""
    target = InMemoryTarget(state())
    first = build_plan(people, target.state, conf, key=key)
    asyncio.run(target.apply(writes_of(first.changes)))
    return target, _saved(first)


def _edit(target: InMemoryTarget, identifier: str, **values: Any) -> None:
    """Someone edits a stakeholder in Ledgy."""
    people = tuple(
        s.with_values(values) if s.identifier == identifier else s
        for s in target.state.stakeholders
    )
    target.state = replace(target.state, stakeholders=people)


def _finance_corrects_a_name(conf: Config) -> Plan:
    people = _people()
    target, recorded = _applied(people, conf)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    return build_plan(people, target.state, conf, recorded=recorded, key=SANDBOX_KEY)


def test_a_hand_edit_under_hr_wins_is_planned_and_flagged() -> None:
    plan = _finance_corrects_a_name(config())
    (change,) = plan.changes
    (field,) = change.fields
    assert (change.identifier, field.field, field.old, field.new) == (
        "person2@acme.test",
        "name",
        "Person Two-Smith",
        "Person 2",
    )
    assert field.conflict
    (conflict,) = plan.conflicts
    assert (conflict.policy, conflict.outcome) == ("hr_wins", "hr_value_planned")
    data = plan.to_dict()
    assert data["changes"][0]["fields"]["name"] == {
        "old": "Person Two-Smith",
        "new": "Person 2",
        "conflict": True,
    }
    assert data["conflicts"] == [
        {
            "identifier": "person2@acme.test",
            "stakeholder_id": conflict.stakeholder_id,
            "name": "Person 2",
            "field": "name",
            "ledgy": "Person Two-Smith",
            "hr": "Person 2",
            "policy": "hr_wins",
            "outcome": "hr_value_planned",
        }
    ]


def test_a_hand_edit_under_ledgy_wins_stays_with_a_note() -> None:
    plan = _finance_corrects_a_name(config(conflicts={"fields": {"name": "ledgy_wins"}}))
    assert plan.changes == ()
    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.outcome) == ("name", "ledgy_value_kept")
    assert [w.code for w in plan.warnings] == []


def test_a_hand_edit_under_review_is_held_with_a_warning() -> None:
    plan = _finance_corrects_a_name(config(conflicts={"default": "review"}))
    assert plan.changes == ()
    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.outcome) == ("name", "held")
    (warning,) = plan.warnings
    assert (warning.identifier, warning.code) == ("person2@acme.test", "conflict_held")
    assert "name was edited in Ledgy" in warning.message
    assert plan.to_dict()["conflicts"][0]["outcome"] == "held"


def test_the_field_policy_wins_over_the_default() -> None:
    conf = config(conflicts={"default": "review", "fields": {"name": "hr_wins"}})
    plan = _finance_corrects_a_name(conf)
    assert [f.conflict for c in plan.changes for f in c.fields] == [True]


def test_without_a_record_an_edit_is_an_ordinary_update() -> None:
    people = _people()
    target, _ = _applied(people, config())
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    plan = build_plan(
        people, target.state, config(conflicts={"default": "review"}), key=SANDBOX_KEY
    )
    assert [f.conflict for c in plan.changes for f in c.fields] == [False]
    assert plan.conflicts == ()


def test_an_hr_change_is_no_conflict() -> None:
    conf = config(conflicts={"default": "review"})
    target, recorded = _applied(_people(), conf)
    moved = _people(**{"1": {"name": "Person One"}})
    plan = build_plan(moved, target.state, conf, recorded=recorded, key=SANDBOX_KEY)
    assert [(c.identifier, f.field, f.conflict) for c in plan.changes for f in c.fields] == [
        ("person1@acme.test", "name", False)
    ]
    assert plan.conflicts == ()


def test_whitespace_and_number_forms_are_no_edit() -> None:
    conf = config(conflicts={"default": "review"})
    target, recorded = _applied(_people(), conf)
    _edit(target, "person2@acme.test", name="  Person   2 ")
    moved = _people(**{"2": {"name": "Person Two"}})
    plan = build_plan(moved, target.state, conf, recorded=recorded, key=SANDBOX_KEY)
    assert plan.conflicts == () and len(plan.changes) == 1


def test_a_plan_merged_but_not_applied_makes_no_conflict() -> None:
    conf = config(conflicts={"default": "review"})
    target, recorded = _applied(_people(), conf)
    renamed = _people(**{"1": {"name": "Person One"}})
    merged = build_plan(
        renamed, target.state, conf, recorded=recorded, key=SANDBOX_KEY
    )  # never applied
    again = _people(**{"1": {"name": "Person Uno"}})
    plan = build_plan(again, target.state, conf, recorded=_saved(merged), key=SANDBOX_KEY)
    assert plan.conflicts == ()
    assert [(f.old, f.new) for c in plan.changes for f in c.fields] == [("Person 1", "Person Uno")]


@pytest.mark.parametrize("policy", ["hr_wins", "ledgy_wins", "review"])
def test_the_record_a_plan_saves_gives_back_the_same_plan(policy: str) -> None:
    """The sync PR's plan is computed with the record on main; its apply on merge with
    the record the PR committed: both must be the same plan, conflicts and all."""
    conf = config(conflicts={"default": policy})
    people = _people()
    target, recorded = _applied(people, conf)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    moved = _people(**{"3": {"name": "Person Three"}})
    reviewed = build_plan(moved, target.state, conf, recorded=recorded, key=SANDBOX_KEY)
    at_merge = build_plan(moved, target.state, conf, recorded=_saved(reviewed), key=SANDBOX_KEY)
    assert at_merge.checksum == reviewed.checksum
    assert at_merge.conflicts == reviewed.conflicts
    assert _saved(at_merge) == _saved(reviewed)


def test_once_hr_wins_is_applied_nothing_is_left() -> None:
    conf = config()
    people = _people()
    target, recorded = _applied(people, conf)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    plan = build_plan(people, target.state, conf, recorded=recorded, key=SANDBOX_KEY)
    asyncio.run(target.apply(writes_of(plan.changes)))
    after = build_plan(people, target.state, conf, recorded=_saved(plan), key=SANDBOX_KEY)
    assert (after.changes, after.conflicts) == ((), ())


def test_ledgy_wins_keeps_the_edit_run_after_run_until_hr_agrees() -> None:
    conf = config(conflicts={"fields": {"name": "ledgy_wins"}})
    people = _people()
    target, recorded = _applied(people, conf)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    first = build_plan(people, target.state, conf, recorded=recorded, key=SANDBOX_KEY)
    second = build_plan(people, target.state, conf, recorded=_saved(first), key=SANDBOX_KEY)
    assert (second.changes, len(second.conflicts)) == ((), 1)
    agreed = _people(**{"2": {"name": "Person Two-Smith"}})
    third = build_plan(agreed, target.state, conf, recorded=_saved(second), key=SANDBOX_KEY)
    assert (third.changes, third.conflicts) == ((), ())
    hr_moves_on = _people(**{"2": {"name": "Person Two-Jones"}})
    fourth = build_plan(hr_moves_on, target.state, conf, recorded=_saved(third), key=SANDBOX_KEY)
    assert fourth.conflicts == () and len(fourth.changes) == 1


def test_a_personal_value_in_conflict_is_masked() -> None:
    people = _people()
    target, recorded = _applied(people, config())
    _edit(target, "person1@acme.test", birthdate=date(1991, 1, 1))
    plan = build_plan(people, target.state, config(), recorded=recorded, key=SANDBOX_KEY)
    (conflict,) = plan.to_dict()["conflicts"]
    assert (conflict["field"], conflict["ledgy"], conflict["hr"], conflict["masked"]) == (
        "birthdate",
        MASK,
        MASK,
        True,
    )
    shown = plan.to_dict(show_values=True)["conflicts"][0]
    assert (shown["ledgy"], shown["hr"]) == ("1991-01-01", "1990-01-01")
    assert "1991" not in json.dumps(plan.record.to_data() if plan.record else {})


def test_a_record_made_under_another_key_is_not_used_and_said() -> None:
    people = _people()
    target, recorded = _applied(people, config())
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    other = PlanKey(b"another key, another company's secret", "RECONCILER_PLAN_KEY")
    plan = build_plan(people, target.state, config(), key=other, recorded=recorded)
    assert plan.conflicts == ()
    assert [w.code for w in plan.warnings] == ["record_other_key"]


def test_an_unreadable_record_is_said_and_nothing_is_a_conflict() -> None:
    people = _people()
    target, _ = _applied(people, config())
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    broken = Recorded(problem="not JSON", where="company.plan.json")
    plan = build_plan(people, target.state, config(), recorded=broken, key=SANDBOX_KEY)
    (warning,) = plan.warnings
    assert warning.code == "record_unreadable"
    assert warning.message.startswith("company.plan.json: the record of applied values")
    assert plan.conflicts == ()


def test_a_field_derived_from_another_source_has_no_record() -> None:
    conf = config(custom_fields=[{"from": "job_title", "to": "Role"}])
    people = _people(**{str(n): {"job_title": "Engineer"} for n in (1, 2, 3)})
    target, recorded = _applied(people, conf)
    target.state = replace(target.state, custom_fields=frozenset({"Role"}))
    moved = config(custom_fields=[{"from": "team", "to": "Role"}], conflicts={"default": "review"})
    teams = _people(**{str(n): {"job_title": "Engineer", "team": "Ops"} for n in (1, 2, 3)})
    plan = build_plan(teams, target.state, moved, recorded=recorded, key=SANDBOX_KEY)
    assert plan.conflicts == ()
    assert {f.field for c in plan.changes for f in c.fields} >= {"custom_fields.Role"}


def _phones() -> list[Employee]:
    return _people(**{str(n): {"mobile_phone": f"+4477009000{n:02d}"} for n in (1, 2, 3)})


def test_clear_empties_a_field_no_longer_synced_for_managed_stakeholders_only() -> None:
    people = _phones()
    target, recorded = _applied(people, config(**PHONES))
    outsider = stakeholder(9, identifier="advisor@acme.test", hris={"mobile_phone": "+4477"})
    target.state = replace(target.state, stakeholders=(*target.state.stakeholders, outsider))
    plan = build_plan(
        people, target.state, config(on_removed_field="clear"), recorded=recorded, key=SANDBOX_KEY
    )
    fields = [(c.identifier, f.field, f.new, f.removed) for c in plan.changes for f in c.fields]
    assert fields == [(f"person{n}@acme.test", "hris.mobile_phone", None, True) for n in (1, 2, 3)]
    assert plan.to_dict()["changes"][0]["fields"]["hris.mobile_phone"] == {
        "old": MASK,
        "new": None,
        "masked": True,
        "removed": True,
    }
    asyncio.run(target.apply(writes_of(plan.changes)))
    assert [s.hris.get("mobile_phone") for s in target.state.stakeholders] == [
        None,
        None,
        None,
        "+4477",
    ]
    after = build_plan(
        people,
        target.state,
        config(on_removed_field="clear"),
        recorded=_saved(plan),
        key=SANDBOX_KEY,
    )
    assert after.changes == ()
    assert after.record is not None and "hris.mobile_phone" not in after.record.derivations


def test_keep_leaves_a_field_no_longer_synced_alone() -> None:
    people = _phones()
    target, recorded = _applied(people, config(**PHONES))
    plan = build_plan(people, target.state, config(), recorded=recorded, key=SANDBOX_KEY)
    assert plan.changes == ()
    assert plan.record is not None and "hris.mobile_phone" not in plan.record.derivations


def test_clear_waits_for_the_record_and_a_clear_not_applied_is_planned_again() -> None:
    people = _phones()
    target, recorded = _applied(people, config(**PHONES))
    clear = config(on_removed_field="clear")
    assert (
        build_plan(people, target.state, clear, key=SANDBOX_KEY).changes == ()
    )  # no record: nothing known
    first = build_plan(
        people, target.state, clear, recorded=recorded, key=SANDBOX_KEY
    )  # merged, not applied
    second = build_plan(people, target.state, clear, recorded=_saved(first), key=SANDBOX_KEY)
    assert second.checksum == first.checksum and len(second.changes) == 3


def test_a_field_the_hr_read_missed_is_neither_cleared_nor_forgotten() -> None:
    from reconciler.domain.gaps import Gap

    people = _phones()
    conf = config(on_removed_field="clear", **PHONES)
    target, recorded = _applied(people, conf)
    gap = Gap(("mobile_phone",), "key_absent", "GET /team_members", "m", "r", "phone_number")
    plan = build_plan(people, target.state, conf, gaps=(gap,), recorded=recorded, key=SANDBOX_KEY)
    assert [f.removed for c in plan.changes for f in c.fields] == []
    assert plan.record is not None and "hris.mobile_phone" in plan.record.derivations


def test_explain_says_a_value_was_edited_in_ledgy_and_what_its_policy_does() -> None:
    from reconciler.engine.explain import explain
    from reconciler.render.explain import render_explanation

    conf = config(conflicts={"default": "review"})
    people = _people()
    target, recorded = _applied(people, conf)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    found = explain("person2@acme.test", people, target.state, conf, recorded, key=SANDBOX_KEY)
    text = render_explanation(found)
    assert "Result: no write; the conflicts below keep or hold Ledgy's values" in text
    assert (
        "Conflict: name was edited in Ledgy since it was last applied; "
        "review: held out of the plan for review"
    ) in text


def test_explain_reads_the_record_with_the_runs_key() -> None:
    from reconciler.engine.explain import explain

    company = PlanKey(b"a company's own plan key, not the sandbox's", "RECONCILER_PLAN_KEY")
    conf = config(conflicts={"default": "review"})
    people = _people()
    target, recorded = _applied(people, conf, key=company)
    _edit(target, "person2@acme.test", name="Person Two-Smith")
    found = explain("person2@acme.test", people, target.state, conf, recorded, key=company)
    assert [c.field for c in found.conflicts] == ["name"]

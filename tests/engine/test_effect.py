"""The PR's own effect, apart from the HR changes both configs would make anyway."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from reconciler.domain.gaps import Gap
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.effect import Effect, FieldEffect, pr_effect
from reconciler.engine.values import Change
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, stakeholder, state

KEY = PlanKey(b"a company's own plan key, not the sandbox one", "test")
BASE = config(sync_if=[{"field": "country", "in": ["GB", "FR"]}])
PR = config(
    sync_if=[{"field": "country", "in": ["GB", "DE"]}],
    terminated={"action": "group", "group": "Alumni"},
)
EMPLOYEES = [
    employee(1),  # an update both configs make: pending
    employee(2, country="FR"),  # synced by the base only: leaves
    employee(3),  # a new hire both configs create: pending
    employee(4, country="DE"),  # synced by the PR only: enters, a create the PR causes
    employee(5, employment_status="inactive"),  # the PR moves leavers to Alumni: caused
    employee(6, country="FR"),  # leaves too (sorted after person2)
]
STATE = state(stakeholder(1), stakeholder(2), stakeholder(5), stakeholder(6))


def _ids(changes: tuple[Change, ...]) -> list[str]:
    return [c.identifier for c in changes]


def test_the_pr_effect_is_who_enters_who_leaves_and_what_it_changes() -> None:
    pr_plan = build_plan(EMPLOYEES, STATE, PR, key=KEY)
    effect = pr_effect(EMPLOYEES, STATE, PR, BASE, pr_plan)
    assert effect.enters == ("person4@acme.test",)
    assert effect.leaves == (("person2@acme.test", "sync_if"), ("person6@acme.test", "sync_if"))
    assert _ids(effect.caused) == ["person4@acme.test"]
    # Both configs update person5 (a leaver); the PR moves them to Alumni instead: that
    # field is its effect on a pending change, which stays pending.
    assert _ids(effect.pending) == ["person3@acme.test", "person1@acme.test", "person5@acme.test"]
    assert effect.reshaped == (FieldEffect("group", "changes", "update", ("person5@acme.test",)),)
    assert effect.prevented == ()  # person2 and person6 leave the sync: said once, there
    both = sorted(effect.caused + effect.pending, key=Change.sort_key)
    assert both == list(pr_plan.changes)


def test_the_base_checksum_is_computed_under_the_pr_plans_key() -> None:
    pr_plan = build_plan(EMPLOYEES, STATE, PR, key=KEY)
    effect = pr_effect(EMPLOYEES, STATE, PR, BASE, pr_plan)
    assert effect.base_checksum == build_plan(EMPLOYEES, STATE, BASE, key=KEY).checksum
    assert effect.base_checksum != build_plan(EMPLOYEES, STATE, BASE, key=SANDBOX_KEY).checksum


def test_a_change_both_configs_make_alike_is_pending_not_caused() -> None:
    pr_plan = build_plan(EMPLOYEES, STATE, BASE, key=SANDBOX_KEY)
    effect = pr_effect(EMPLOYEES, STATE, BASE, BASE, pr_plan)
    assert effect == Effect((), (), (), pr_plan.changes, pr_plan.checksum)


def test_a_new_config_brings_in_everyone_it_syncs_and_causes_every_change() -> None:
    pr_plan = build_plan(EMPLOYEES, STATE, PR, key=KEY)
    effect = pr_effect(EMPLOYEES, STATE, PR, None, pr_plan)
    assert effect == Effect(
        ("person1@acme.test", "person3@acme.test", "person4@acme.test", "person5@acme.test"),
        (),
        pr_plan.changes,
        (),
        None,
    )


OFFICES = ("London HQ", "Berlin")
HIRES = [employee(n, office=OFFICES[n % 2]) for n in range(1, 51)]
WITH_OFFICE = config(custom_fields=[{"from": "office", "to": "Office"}])
EMPTY = state(custom_fields=frozenset({"Office"}))


def test_a_field_added_to_pending_creates_is_the_prs_effect_and_they_stay_pending() -> None:
    # The reported case: the base plans the same 50 creates; the PR maps an Office field.
    pr_plan = build_plan(HIRES, EMPTY, WITH_OFFICE, key=KEY)
    effect = pr_effect(HIRES, EMPTY, WITH_OFFICE, config(), pr_plan)
    assert effect.caused == () and effect.prevented == ()
    assert effect.enters == () and effect.leaves == ()
    assert len(effect.pending) == 50 and all(c.action == "create" for c in effect.pending)
    (office,) = effect.reshaped
    assert (office.field, office.verb, office.action) == ("custom_fields.Office", "adds", "create")
    assert len(office.identifiers) == 50


def test_a_field_added_for_people_already_in_ledgy_is_made_by_the_pr() -> None:
    there = state(*(stakeholder(n) for n in range(1, 4)), custom_fields=frozenset({"Office"}))
    people = [employee(n, office="Berlin") for n in range(1, 4)]
    base_plan = build_plan(people, there, config(), key=KEY)
    pr_plan = build_plan(people, there, WITH_OFFICE, key=KEY)
    effect = pr_effect(people, there, WITH_OFFICE, config(), pr_plan)
    base_ids = {c.identifier for c in base_plan.changes}
    caused = [c for c in pr_plan.changes if c.identifier not in base_ids]
    assert list(effect.caused) == caused
    assert all("custom_fields.Office" in {f.field for f in c.fields} for c in effect.pending)
    assert len(effect.caused) + len(effect.pending) == len(pr_plan.changes)


def test_a_field_the_pr_stops_managing_is_dropped_from_pending_changes_or_prevented() -> None:
    pr_plan = build_plan(HIRES, EMPTY, config(), key=KEY)
    effect = pr_effect(HIRES, EMPTY, config(), WITH_OFFICE, pr_plan)
    (office,) = effect.reshaped
    assert (office.verb, len(office.identifiers)) == ("drops", 50)


def test_a_field_nobody_s_record_gave_is_left_alone_by_both_plans() -> None:
    # The HR read gave nobody a start date (an endpoint refused): neither config's plan
    # touches it, so the base's plan is not one that clears it for everyone, and the
    # PR's effect is its own change alone.
    people = [employee(n) for n in range(1, 4)]
    target = InMemoryTarget(state())
    asyncio.run(
        target.apply(writes_of(build_plan(people, state(), config(), key=SANDBOX_KEY).changes))
    )
    unread = [replace(e, start_date=None) for e in people]
    gap = Gap(("start_date",), "endpoint_refused", "GET /team_members", "unread", "grant it")
    staff = config(group="Staff")
    pr_plan = build_plan(unread, target.state, staff, gaps=[gap], key=KEY)
    effect = pr_effect(unread, target.state, staff, config(), pr_plan, gaps=[gap])
    assert [[f.field for f in c.fields] for c in pr_plan.changes] == [["group"]] * 3
    assert effect.caused == pr_plan.changes
    assert effect.pending == () and effect.reshaped == () and effect.prevented == ()

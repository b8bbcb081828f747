"""The PR's own effect, apart from the HR changes both configs would make anyway."""

from __future__ import annotations

from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.effect import Effect, pr_effect
from reconciler.engine.values import Change
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
    assert _ids(effect.caused) == ["person4@acme.test", "person5@acme.test"]
    assert _ids(effect.pending) == ["person3@acme.test", "person1@acme.test"]
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

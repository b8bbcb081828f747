"""The plan memo: per-person work done ahead changes nothing but the time a plan takes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.build import build_plan, stakeholder_warmer, target_warmer, warmer
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.memo import PlanMemo, by_identifier
from reconciler.engine.plan import Plan
from tests.engine.helpers import config, employee, stakeholder, state

CONFIG = config(
    group="Employees",
    optional_fields=["pay_rate"],
    custom_fields=[{"from": "job_title", "to": "Job title"}],
    terminated={"action": "group", "group": "Alumni"},
)


def _company() -> tuple[list[Employee], TargetState]:
    """Creates, updates, people in step, a leaver, an adoption by name, a shared address,
    a skipped employee and a stakeholder two people could claim."""
    people = [
        employee(n, job_title="Engineer", pay_rate=50_000.0 + n, pay_currency="GBP")
        for n in range(40)
    ]
    people[5] = employee(5, employment_status="inactive", termination_date=date(2024, 1, 31))
    people[6] = employee(6, work_email="person7@acme.test")  # shares 7's address
    people[8] = employee(8, work_email=None)
    held = [stakeholder(n, custom_fields={"Job title": "Engineer"}) for n in range(0, 20, 2)]
    held.append(stakeholder(31, identifier=None))  # adopted by name
    held += [stakeholder(33), stakeholder(133, identifier="person33@acme.test")]
    first = build_plan(people, state(*held), CONFIG, key=SANDBOX_KEY)
    in_step = [  # as an earlier apply left them
        Stakeholder.from_flat({f.field: f.new for f in c.fields}, f"sh_s{n}")
        for n, c in enumerate(first.creates[-6:])
    ]
    return people, TargetState("Acme Ltd", (*held, *in_step), frozenset({"Job title"}))


def _same(memoised: Plan, fresh: Plan) -> None:
    assert memoised.to_dict(show_values=True) == fresh.to_dict(show_values=True)
    assert memoised.checksum == fresh.checksum
    assert memoised.digests == fresh.digests


def _planned_alike(memo: PlanMemo, people: list[Employee], now: TargetState, conf: Config) -> None:
    """The plan with the memo is the plan without it."""
    _same(
        build_plan(people, now, conf, key=SANDBOX_KEY, memo=memo),
        build_plan(people, now, conf, key=SANDBOX_KEY),
    )


def _warm(memo: PlanMemo, employees: list[Employee], now: TargetState, conf: Config) -> None:
    warm = warmer(memo, now, conf, by_identifier(now.stakeholders))
    for one in employees:
        warm(one)
    view = stakeholder_warmer(memo, now, conf)
    for held in now.stakeholders:
        view(held)
    target_warmer(memo, now, conf, SANDBOX_KEY)()


def _earlier(people: list[Employee]) -> list[Employee]:
    """What a read showed before its last salary pages: every third person's pay and job
    title still the old ones (other objects), the rest the very same objects."""
    return [
        dataclasses.replace(p, pay_rate=1.0, job_title="Intern") if n % 3 == 0 else p
        for n, p in enumerate(people)
    ]


def test_a_plan_with_work_done_ahead_is_the_plan_without() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, _earlier(people), now, CONFIG)
    fresh = build_plan(people, now, CONFIG, key=SANDBOX_KEY)
    memoised = build_plan(people, now, CONFIG, key=SANDBOX_KEY, memo=memo)
    _same(memoised, fresh)
    assert fresh.changes and fresh.unchanged and fresh.skipped
    assert memo.found > 0  # and the work done ahead was used


def test_an_employee_changed_since_is_planned_from_what_it_is_now() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, people, now, CONFIG)
    later = [
        dataclasses.replace(p, job_title="Director") if p.id == "tm_0002" else p for p in people
    ]
    memoised = build_plan(later, now, CONFIG, key=SANDBOX_KEY, memo=memo)
    _same(memoised, build_plan(later, now, CONFIG, key=SANDBOX_KEY))
    [change] = [c for c in memoised.changes if c.identifier == "person2@acme.test"]
    assert ("custom_fields.Job title", "Director") in [(f.field, f.new) for f in change.fields]


def test_work_done_under_other_settings_is_not_used() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, people, now, CONFIG)
    other = CONFIG.model_copy(
        update={"stakeholders": CONFIG.stakeholders.model_copy(update={"group": "Staff"})}
    )
    _planned_alike(memo, people, now, other)


def test_ledgys_fingerprint_made_for_other_managed_fields_is_not_used() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, people, now, CONFIG)
    fewer = CONFIG.model_copy(
        update={"stakeholders": CONFIG.stakeholders.model_copy(update={"custom_fields": ()})}
    )
    _planned_alike(memo, people, now, fewer)


def test_a_stakeholder_guessed_wrong_ahead_is_matched_as_the_plan_matches() -> None:
    people, now = _company()
    memo = PlanMemo()
    wrong = {s.identifier or "": s for s in reversed(now.stakeholders) if s.identifier}
    warm = warmer(memo, now, CONFIG, {i: wrong["person0@acme.test"] for i in wrong})
    for one in people:
        warm(one)
    _planned_alike(memo, people, now, CONFIG)


@pytest.mark.parametrize("step", [1, 2, 5])
def test_several_rounds_ahead_on_a_changing_read_still_give_the_plan(step: int) -> None:
    people, now = _company()
    memo = PlanMemo()
    for offset in range(step):
        _warm(memo, _earlier(people)[offset::step], now, CONFIG)
    _warm(memo, people[::2], now, CONFIG)
    _planned_alike(memo, people, now, CONFIG)


def test_only_the_stakeholder_alone_with_its_identifier_is_a_likely_pair() -> None:
    one, twin, other = (
        stakeholder(1),
        stakeholder(2, identifier="PERSON1@acme.test "),
        stakeholder(3),
    )
    assert by_identifier([one, twin, other]) == {"person3@acme.test": other}
    assert by_identifier(state(stakeholder(4, identifier=None)).stakeholders) == {}


def test_a_value_only_the_standard_library_writes_is_hashed_as_without_work_ahead() -> None:
    people, now = _company()
    wide = config(
        group="Employees", custom_fields=[{"from": "raw.badge", "to": "Badge"}]
    )  # a raw value beyond 64 bits: orjson declines it
    people = [dataclasses.replace(p, raw={"badge": 2**70 + n}) for n, p in enumerate(people)]
    now = dataclasses.replace(now, custom_fields=frozenset({"Badge"}))
    memo = PlanMemo()
    _warm(memo, people, now, wide)
    _planned_alike(memo, people, now, wide)


def test_a_plan_lets_go_of_the_memo_once_it_is_made() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, people, now, CONFIG)
    plan = build_plan(people, now, CONFIG, key=SANDBOX_KEY, memo=memo)
    assert plan.text_of is None  # so the memo's outcomes and texts can be freed


def test_ledgys_fingerprint_made_ahead_is_taken_only_for_the_same_stakeholders_and_key() -> None:
    people, now = _company()
    memo = PlanMemo()
    _warm(memo, people, now, CONFIG)
    made = build_plan(people, now, CONFIG, key=SANDBOX_KEY)
    assert memo.digest(now.stakeholders, SANDBOX_KEY, _unused) == made.fingerprints.target
    fewer = dataclasses.replace(now, stakeholders=now.stakeholders[:-1])
    another = PlanKey(b"another key")
    _planned_alike(memo, people, fewer, CONFIG)
    _same(
        build_plan(people, now, CONFIG, key=another, memo=memo),
        build_plan(people, now, CONFIG, key=another),
    )


def test_a_plan_takes_ledgys_fingerprint_from_the_memo_for_that_very_read_and_key() -> None:
    people, now = _company()
    memo = PlanMemo()
    stakeholder_warmer(memo, now, CONFIG)  # settles the memo to the plan's settings
    memo.digest(now.stakeholders, SANDBOX_KEY, lambda: "made ahead")
    plan = build_plan(people, now, CONFIG, key=SANDBOX_KEY, memo=memo)
    assert plan.fingerprints.target == "made ahead"
    equal = dataclasses.replace(now, stakeholders=(*now.stakeholders,))
    assert equal.stakeholders is not now.stakeholders
    for read, key in ((equal, SANDBOX_KEY), (now, PlanKey(b"another key"))):
        fresh = build_plan(people, read, CONFIG, key=key)
        assert build_plan(people, read, CONFIG, key=key, memo=memo).fingerprints == (
            fresh.fingerprints
        )
        assert fresh.fingerprints.target != "made ahead"


def _unused() -> str:
    raise AssertionError("the fingerprint was made ahead")

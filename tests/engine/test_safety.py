from __future__ import annotations

from reconciler.engine.build import build_plan
from reconciler.engine.safety import refusals
from reconciler.errors import ChecksumMismatchError, SuspiciousSourceError, TooManyUpdatesError
from tests.engine.helpers import config, employee, stakeholder, state


def _people(count: int, group: str = "Employees"):  # type: ignore[no-untyped-def]
    return state(*[stakeholder(n, group=group) for n in range(count)])


def test_a_small_plan_is_safe() -> None:
    conf = config()
    plan = build_plan([employee(n) for n in range(20)], _people(20, group="Old"), config())
    assert len(plan.updates) == 20
    assert [type(r) for r in refusals(plan, conf.safety)] == [TooManyUpdatesError]
    conf_loose = config(safety={"max_update_percent": 100})
    assert refusals(plan, conf_loose.safety) == []


def test_the_update_share_counts_only_from_min_existing_up() -> None:
    plan = build_plan([employee(n) for n in range(9)], _people(9, group="Old"), config())
    assert refusals(plan, config().safety) == []  # 9 < min_existing 10


def test_too_many_updates_names_the_numbers() -> None:
    plan = build_plan([employee(n) for n in range(10)], _people(10, group="Old"), config())
    (refusal,) = refusals(plan, config().safety)
    assert refusal.message == (
        "too many updates: 10 of 10 existing stakeholders (100.0%) is over safety.max_update_percent (30%)"
    )


def test_an_empty_hr_read_is_refused() -> None:
    plan = build_plan([], _people(12), config())
    (refusal,) = refusals(plan, config().safety)
    assert isinstance(refusal, SuspiciousSourceError) and "no employees" in refusal.message


def test_a_partial_hr_read_is_refused() -> None:
    plan = build_plan([employee(n) for n in range(4)], _people(12), config())
    refusal = refusals(plan, config().safety)[0]
    assert isinstance(refusal, SuspiciousSourceError)
    assert refusal.message.startswith(
        "CharlieHR returned 4 employees, but Ledgy holds 12 stakeholders"
    )


def test_a_different_checksum_is_refused_and_the_same_one_is_not() -> None:
    plan = build_plan([employee(1)], _people(0), config())
    assert refusals(plan, config().safety, checksum=plan.checksum) == []
    assert (
        refusals(plan, config().safety, checksum=plan.checksum.removeprefix("sha256:").upper())
        == []
    )
    (refusal,) = refusals(plan, config().safety, checksum="sha256:" + "0" * 64)
    assert isinstance(refusal, ChecksumMismatchError)

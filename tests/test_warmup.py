"""Planning ahead while the last pages arrive: used when it can be, never changing the plan."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reconciler import pipeline
from reconciler.commands.context import live_sides
from reconciler.config.secrets import run_secrets
from reconciler.domain.employee import Employee
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.faults import Knobs
from reconciler.warmup import Warmup
from tests.e2e.harness import Served, served
from tests.engine.helpers import config, employee, stakeholder, state
from tests.sandbox.helpers import TODAY

pytestmark = pytest.mark.anyio


async def _plan(run: Served, warmup: Warmup | None) -> Plan:
    sides = live_sides(run.loaded, TODAY, run_secrets(run.loaded))
    try:
        reading = await pipeline.read(sides, run.loaded, warmup=warmup)
    finally:
        await sides.aclose()
    return pipeline.plan_from(run.loaded, reading, SANDBOX_KEY, warmup.memo if warmup else None)


async def test_a_plan_read_with_planning_ahead_is_the_plan_read_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stakeholders = (
        "  optional_fields: [pay_rate]\n  custom_fields: [{from: job_title, to: Job title}]\n"
    )
    with served(tmp_path, monkeypatch, stakeholders=stakeholders) as first:
        people = generate_ledgy(
            generate_company(600, today=TODAY), first.loaded.config, today=TODAY
        )
    # CharlieHR answers slowly enough that its salary pages are still arriving once the
    # members are normalised and Ledgy is read, as at 10,000 employees.
    knobs = Knobs(latency=0.05)
    with served(
        tmp_path, monkeypatch, stakeholders=stakeholders, size=600, knobs=knobs, ledgy=people
    ) as run:
        warmup = Warmup(run.loaded.config, key=SANDBOX_KEY)
        ahead = await _plan(run, warmup)
        plain = await _plan(run, None)
    assert ahead.to_dict(show_values=True) == plain.to_dict(show_values=True)
    assert ahead.checksum == plain.checksum and ahead.digests == plain.digests
    assert plain.changes and plain.unchanged
    assert warmup.planned > 0 and warmup.memo.found > 0  # it was planned ahead, and used


async def test_ledgys_fingerprint_is_made_once_ledgy_is_read() -> None:
    conf = config(group="Employees", custom_fields=[{"from": "job_title", "to": "Job title"}])
    warmup = Warmup(conf, key=SANDBOX_KEY)
    now = state(stakeholder(1), stakeholder(2, identifier=None))
    warmup.ready(now)
    await asyncio.sleep(0.01)
    expected = build_plan([employee(1)], now, conf, key=SANDBOX_KEY).fingerprints.target
    assert warmup.memo.digest(now.stakeholders, SANDBOX_KEY, _unused) == expected


def _unused() -> str:
    raise AssertionError("Ledgy's fingerprint was made ahead")


async def test_people_offered_before_ledgy_is_read_are_planned_once_it_is() -> None:
    warmup = Warmup(config(group="Employees"))
    warmup.offer([employee(1), employee(2)])
    await asyncio.sleep(0.01)
    assert warmup.planned == 0  # nothing to pair them with yet
    warmup.ready(state(stakeholder(1)))
    await asyncio.sleep(0.01)
    assert warmup.planned == 2


async def test_what_is_not_planned_when_the_read_ends_is_left_to_the_plan() -> None:
    warmup = Warmup(config(group="Employees"))
    warmup.ready(state())
    warmup.offer([employee(n) for n in range(5000)])
    warmup.stop()
    await asyncio.sleep(0.01)
    assert warmup.planned < 5000


async def test_a_person_planning_ahead_fails_on_is_left_to_the_plan_to_report() -> None:
    warmup = Warmup(config(group="Employees"))
    warmup.ready(state())
    broken = Employee.__new__(Employee)  # no fields at all: the plan would fail on it too
    warmup.offer([broken, employee(1)])
    await asyncio.sleep(0.01)
    assert warmup.planned == 0  # stopped there, quietly; the read goes on


async def test_under_faults_and_pages_read_again_planning_ahead_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Failed requests, dropped connections, short and empty pages: pages are fetched
    # again and lists read again while people are planned ahead from what came before.
    faults = ("500", "503", "drop", "malformed", "short_page", "empty_page")
    with served(tmp_path, monkeypatch, size=300, knobs=Knobs(latency=0.02)) as clean:
        expected = await _plan(clean, None)
    knobs = Knobs(latency=0.02, fault_rate=0.15, faults=faults, seed=5)
    with served(tmp_path, monkeypatch, size=300, knobs=knobs) as faulty:
        warmup = Warmup(faulty.loaded.config)
        ahead = await _plan(faulty, warmup)
        assert faulty.traffic.faulted > 5
    assert ahead.to_dict(show_values=True) == expected.to_dict(show_values=True)
    assert ahead.checksum == expected.checksum

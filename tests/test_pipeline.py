"""The pipeline (read, plan, apply) on emulator data over real loopback HTTP: what it
checks before a plan, what it refuses, and how an apply converges."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import (
    ChecksumMismatchError,
    ConfigError,
    SuspiciousSourceError,
    TooManyUpdatesError,
)
from tests.e2e.harness import live, member, person

pytestmark = pytest.mark.anyio


async def test_a_custom_field_ledgy_lacks_stops_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = (
        "  custom_fields:\n    - {from: job_title, to: Job title}\n    - {from: team, to: Squad}"
    )
    with (
        live(
            tmp_path, monkeypatch, [member(1)], [], stakeholders=extra, custom_fields=("Job title",)
        ) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    (problem,) = caught.value.problems
    assert (problem.line, problem.col, problem.message) == (
        16,
        24,
        "Ledgy has no custom field 'Squad'",
    )


async def test_too_many_updates_are_refused_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(n) for n in range(12)]
    people = [person(n, group="Old") for n in range(12)]
    with live(tmp_path, monkeypatch, members, people) as run:
        with pytest.raises(TooManyUpdatesError):
            await run.apply()
        assert {s["group"] for s in run.ledgy.stakeholders} == {"Old"}
        report = await run.apply(force=True)
    assert len(report.results) == 12 and {s["group"] for s in run.ledgy.stakeholders} == {
        "Employees"
    }


async def test_an_empty_hr_read_never_looks_like_everyone_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(n) for n in range(3)]
    refused = pytest.raises(SuspiciousSourceError, match="no employees")
    with live(tmp_path, monkeypatch, [], people) as run, refused:
        await run.apply()


async def test_a_partial_hr_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(n) for n in range(1, 6)]
    refused = pytest.raises(SuspiciousSourceError, match="returned 1 employees, but Ledgy holds 5")
    with live(tmp_path, monkeypatch, [member(1)], people) as run, refused:
        await run.apply()


async def test_a_checksum_other_than_the_reviewed_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with live(tmp_path, monkeypatch, [member(1)], []) as run:
        reviewed = (await run.plan()).checksum
        run.ledgy.stakeholders.append(person(9, identifier="someone@acme.test"))  # Ledgy moved on
        with pytest.raises(ChecksumMismatchError):
            await run.apply(checksum=reviewed)
        assert len(run.ledgy.stakeholders) == 1


async def test_plan_apply_plan_converges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = [member(n, end_date="2025-01-31" if n % 4 == 0 else None) for n in range(1, 9)]
    people = [person(2, group="Old"), person(3, identifier=None, name="Person 5")]
    people.append(person(90, group="Alumni"))  # the leavers' group exists in Ledgy
    with live(
        tmp_path,
        monkeypatch,
        members,
        people,
        stakeholders="  terminated: {action: group, group: Alumni}",
    ) as run:
        first = await run.plan()
        report = await run.apply(checksum=first.checksum)
        second = await run.plan()
    assert first.has_changes and all(r.ok for r in report.results)
    assert second.changes == () and second.unchanged == 8


async def test_a_create_that_another_writer_made_meanwhile_is_held_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with live(tmp_path, monkeypatch, [member(1), member(2)], []) as run:
        sides = run.sides()
        from reconciler.engine.canonical import SANDBOX_KEY
        from reconciler.pipeline import apply

        def sneak(plan: object) -> None:  # another writer creates person2 between plan and write
            run.ledgy.stakeholders.append(person(99, identifier="person2@acme.test"))

        report = await apply(run.loaded, sides, SANDBOX_KEY, on_plan=sneak)
        await sides.aclose()
    assert [w.identifier for w in report.held_back] == ["person2@acme.test"]
    identifiers = [s["identifier"] for s in run.ledgy.stakeholders]
    assert sorted(identifiers) == ["person1@acme.test", "person2@acme.test"]


async def test_an_interrupted_apply_converges_on_rerun_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(n) for n in range(1, 31)]
    with live(tmp_path, monkeypatch, members, [], batch_size=5) as run:
        seen: list[object] = []

        def crash(result: object) -> None:
            seen.append(result)
            if len(seen) == 10:
                raise KeyboardInterrupt  # the operator hits Ctrl-C mid-apply

        with pytest.raises(KeyboardInterrupt):
            await run.apply(progress=crash)
        landed = len(run.ledgy.stakeholders)
        assert 0 < landed < 30
        # The rest of a first sync is more creates than the share of those that
        # landed (safety.max_create_percent): the operator confirms with --force.
        run.later()  # each run a minute after the last: Ledgy's 5 s window has passed
        report = await run.apply(force=True)
        run.later()
        final = await run.plan()
    assert len(report.results) == 30 - landed
    assert final.changes == ()
    identifiers = [s["identifier"] for s in run.ledgy.stakeholders]
    assert len(identifiers) == len(set(identifiers)) == 30

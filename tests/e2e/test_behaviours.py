"""One test per engine behaviour, on emulator data over real loopback HTTP."""

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


async def test_a_hand_made_stakeholder_is_adopted_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1, display_name="Ada Lovelace")]
    people = [person(7, name="ada  LOVELACE", identifier=None, email=None)]
    with live(tmp_path, monkeypatch, members, people) as run:
        plan = await run.plan()
        (change,) = plan.changes
        assert (change.action, change.stakeholder_id, change.adopted) == ("update", "sh_0007", True)
        assert [w.code for w in plan.warnings] == ["adopted_by_name"]
        await run.apply()
    (stakeholder,) = run.ledgy.stakeholders
    assert stakeholder["identifier"] == "person1@acme.test"


async def test_an_ambiguous_name_creates_no_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1, display_name="Max Born")]
    people = [
        person(7, name="Max Born", identifier=None),
        person(8, name="Max Born", identifier=None),
    ]
    with live(tmp_path, monkeypatch, members, people) as run:
        plan = await run.plan()
        await run.apply()
    assert plan.changes == () and [s.reason for s in plan.skipped] == ["ambiguous_name_match"]
    assert len(run.ledgy.stakeholders) == 2


async def test_a_shared_work_email_skips_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1), member(2, email="PERSON1@acme.test")]
    with live(tmp_path, monkeypatch, members, []) as run:
        plan = await run.plan()
    assert plan.changes == ()
    assert [(s.employee_id, s.reason) for s in plan.skipped] == [
        ("tm_0001", "duplicate_identifier"),
        ("tm_0002", "duplicate_identifier"),
    ]


async def test_no_work_email_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with live(tmp_path, monkeypatch, [member(1, email=None), member(2)], []) as run:
        plan = await run.plan()
    assert [c.identifier for c in plan.creates] == ["person2@acme.test"]
    assert [(s.employee_id, s.reason) for s in plan.skipped] == [("tm_0001", "missing_identifier")]


async def test_orphans_are_reported_and_never_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(1), person(2, identifier="left@acme.test")]
    with live(tmp_path, monkeypatch, [member(1)], people) as run:
        plan = await run.plan()
        await run.apply(force=True)
    assert [(o.identifier, o.stakeholder_id) for o in plan.orphaned] == [
        ("left@acme.test", "sh_0002")
    ]
    assert {s["id"] for s in run.ledgy.stakeholders} == {"sh_0001", "sh_0002"}


async def test_a_mobile_without_country_code_leaves_only_that_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1, phone_number="07700 900123"), member(2, phone_number="+44 7700 900456")]
    with live(
        tmp_path, monkeypatch, members, [], stakeholders="  optional_fields: [mobile_phone]"
    ) as run:
        plan = await run.plan()
        await run.apply()
    by_id = {c.identifier: {f.field for f in c.fields} for c in plan.creates}
    assert "hris.mobile_phone" not in by_id["person1@acme.test"]
    assert "hris.mobile_phone" in by_id["person2@acme.test"]
    assert [(w.identifier, w.code) for w in plan.warnings] == [
        ("person1@acme.test", "invalid_mobile")
    ]
    phones = {s["identifier"]: s["hris"].get("mobile_phone") for s in run.ledgy.stakeholders}
    assert phones == {"person1@acme.test": None, "person2@acme.test": "+447700900456"}


@pytest.mark.parametrize(
    ("terminated", "groups", "skipped"),
    [
        ("{action: skip}", {"person2@acme.test": "Employees"}, ["terminated"]),
        (
            "{action: sync}",
            {"person1@acme.test": "Employees", "person2@acme.test": "Employees"},
            [],
        ),
        (
            "{action: group, group: Alumni}",
            {"person1@acme.test": "Alumni", "person2@acme.test": "Employees"},
            [],
        ),
    ],
)
async def test_leavers_follow_the_terminated_action(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    terminated: str,
    groups: dict[str, str],
    skipped: list[str],
) -> None:
    members = [member(1, end_date="2025-06-30", employment_status="active"), member(2)]
    with live(
        tmp_path, monkeypatch, members, [], stakeholders=f"  terminated: {terminated}"
    ) as run:
        plan = await run.plan()
        await run.apply()
    assert [s.reason for s in plan.skipped] == skipped
    assert {s["identifier"]: s["group"] for s in run.ledgy.stakeholders} == groups


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
        report = await run.apply(force=True)
        final = await run.plan()
    assert len(report.results) == 30 - landed
    assert final.changes == ()
    identifiers = [s["identifier"] for s in run.ledgy.stakeholders]
    assert len(identifiers) == len(set(identifiers)) == 30

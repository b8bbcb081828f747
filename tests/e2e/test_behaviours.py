"""One test per engine behaviour, on emulator data over real loopback HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

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

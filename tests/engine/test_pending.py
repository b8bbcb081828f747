"""Prepared uploads in a plan: awaiting, settled, changed since, planned anew."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from reconciler.domain.pending import UploadRecord
from reconciler.domain.stakeholder import TargetState
from reconciler.domain.writes import Write
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.pending import upload_record
from reconciler.engine.plan import Plan
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, state

CONF = config()
NEW_HIRES = [employee(1), employee(2), employee(3)]


def _applied(ledgy: TargetState, plan: Plan) -> TargetState:
    """Ledgy after an upload of ``plan`` (and a refreshed export)."""
    target = InMemoryTarget(ledgy)
    asyncio.run(target.apply(writes_of(plan.changes)))
    return target.state


_IN_STEP = _applied(state(), build_plan([employee(1)], state(), CONF, key=SANDBOX_KEY))
LEDGY = state(_IN_STEP.stakeholders[0].with_values({"group": "Alumni"}))
"""person1 is in Ledgy (Alumni there, Employees in HR); person2 and person3 are new."""


def _prepared(
    plan: Plan, *, at: str = "2026-11-25T10:30Z", key: PlanKey = SANDBOX_KEY
) -> UploadRecord:
    """What an apply of ``plan`` keeps (its writes, as the workbook driver gets them)."""
    label = plan.checksum.rsplit(":", 1)[-1][:12]
    return upload_record(
        writes_of(plan.changes),
        key,
        label=label,
        checksum=plan.checksum,
        prepared_at=at,
        where=f"ledgy-upload/{label}.tar.age",
        run_url="https://github.com/acme/people/actions/runs/7",
    )


def _with(ledgy: TargetState, *records: UploadRecord) -> TargetState:
    return replace(ledgy, pending=records)


def _ids(plan: Plan) -> list[tuple[str, str]]:
    return [(c.action, c.identifier) for c in plan.changes]


def test_people_in_an_open_record_await_upload_and_are_never_planned_again() -> None:
    first = build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY)
    assert _ids(first) == [
        ("create", "person2@acme.test"),
        ("create", "person3@acme.test"),
        ("update", "person1@acme.test"),
    ]
    record = _prepared(first)
    again = build_plan(NEW_HIRES, _with(LEDGY, record), CONF, key=SANDBOX_KEY)
    assert again.changes == () and not again.has_changes
    assert not again.in_step  # an open upload is a pending change
    (waiting,) = again.pending
    assert waiting.creates == ("person2@acme.test", "person3@acme.test")
    assert waiting.updates == (("person1@acme.test", "mem_000001", ("group",)),)
    assert (waiting.where, waiting.prepared_at) == (record.where, "2026-11-25T10:30Z")
    assert again.summary()["awaiting_upload"] == 3
    assert again.to_dict()["pending_uploads"][0]["run_url"] == record.run_url
    assert again.warnings == ()


def test_a_new_hire_after_the_apply_is_planned_the_others_still_await() -> None:
    record = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY))
    later = build_plan([*NEW_HIRES, employee(4)], _with(LEDGY, record), CONF, key=SANDBOX_KEY)
    assert _ids(later) == [("create", "person4@acme.test")]
    assert later.awaiting_upload == 3


def test_the_record_settles_once_the_refreshed_export_holds_what_it_prepared() -> None:
    first = build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY)
    record = _prepared(first)
    uploaded = _applied(LEDGY, first)
    settled = build_plan(NEW_HIRES, _with(uploaded, record), CONF, key=SANDBOX_KEY)
    assert settled.in_step and settled.pending == ()
    assert settled.summary()["awaiting_upload"] == 0


def test_only_the_creates_not_in_the_export_still_await() -> None:
    first = build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY)
    record = _prepared(first)
    half = _applied(LEDGY, replace(first, changes=first.changes[:1] + first.changes[2:]))
    plan = build_plan(NEW_HIRES, _with(half, record), CONF, key=SANDBOX_KEY)
    (waiting,) = plan.pending
    assert waiting.creates == ("person3@acme.test",) and waiting.updates == ()
    assert plan.changes == ()


def test_hr_changing_a_pending_create_is_not_prepared_again_and_says_what_changed() -> None:
    record = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY))
    renamed = [employee(1), employee(2, name="Person Two"), employee(3)]
    plan = build_plan(renamed, _with(LEDGY, record), CONF, key=SANDBOX_KEY)
    assert plan.changes == ()
    (warning,) = plan.warnings
    assert (warning.identifier, warning.code) == ("person2@acme.test", "pending_changed")
    assert "HR changed name since their import was prepared" in warning.message
    assert "Person Two" not in warning.message


def test_an_update_hr_changed_again_is_planned_anew_and_warned_about() -> None:
    record = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY))
    moved = config(group="Staff")
    plan = build_plan(NEW_HIRES, _with(LEDGY, record), moved, key=SANDBOX_KEY)
    assert _ids(plan) == [("update", "person1@acme.test")]
    assert [(f.field, f.new) for f in plan.changes[0].fields] == [("group", "Staff")]
    superseded = [w for w in plan.warnings if w.code == "pending_superseded"]
    assert [w.identifier for w in superseded] == ["person1@acme.test"]
    assert "upload that folder first, or not at all" in superseded[0].message
    # The creates still await (they are held by identifier, whatever their values).
    assert plan.pending[0].creates == ("person2@acme.test", "person3@acme.test")


def test_a_newer_record_holds_the_update_the_older_one_is_superseded_quietly() -> None:
    older = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY))
    moved = config(group="Staff")
    newer_plan = build_plan(NEW_HIRES, _with(LEDGY, older), moved, key=SANDBOX_KEY)
    newer = _prepared(newer_plan, at="2026-11-26T08:00Z")
    plan = build_plan(NEW_HIRES, _with(LEDGY, older, newer), moved, key=SANDBOX_KEY)
    assert plan.changes == ()
    assert [a.label for a in plan.pending] == [older.label, newer.label]
    assert plan.pending[1].updates == (("person1@acme.test", "mem_000001", ("group",)),)
    assert plan.pending[0].updates == ()


def test_someone_in_two_records_is_never_created_and_the_second_is_named() -> None:
    plan = build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY)
    one = _prepared(plan)
    two = replace(_prepared(plan, at="2026-11-26T08:00Z"), label="bbbbbbbbbbbb", where="elsewhere")
    again = build_plan(NEW_HIRES, _with(LEDGY, one, two), CONF, key=SANDBOX_KEY)
    assert again.changes == ()
    twice = sorted(w.identifier or "" for w in again.warnings if w.code == "pending_twice")
    assert twice == ["person2@acme.test", "person3@acme.test"]


def test_a_prepared_person_no_longer_synced_still_awaits_with_a_warning() -> None:
    record = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY))
    plan = build_plan([employee(1), employee(2)], _with(LEDGY, record), CONF, key=SANDBOX_KEY)
    assert plan.pending[0].creates == ("person2@acme.test", "person3@acme.test")
    (warning,) = plan.warnings
    assert (warning.identifier, warning.code) == ("person3@acme.test", "pending_not_planned")


def test_a_record_made_under_another_key_still_holds_its_creates() -> None:
    other = PlanKey(b"another company's plan key, not this run's", "test")
    record = _prepared(build_plan(NEW_HIRES, LEDGY, CONF, key=SANDBOX_KEY), key=other)
    plan = build_plan(NEW_HIRES, _with(LEDGY, record), CONF, key=SANDBOX_KEY)
    assert _ids(plan) == [("update", "person1@acme.test")]  # cannot be checked: planned again
    assert plan.pending[0].creates == ("person2@acme.test", "person3@acme.test")
    assert [w.code for w in plan.warnings if w.code.startswith("pending")] == ["pending_other_key"]


def test_the_record_keeps_identifiers_and_keyed_digests_never_a_value() -> None:
    write = Write("create", "ada@acme.test", {"name": "Ada Lovelace", "hris.pay_rate": 52000.0})
    record = upload_record(
        [write], SANDBOX_KEY, label="l", checksum="c", prepared_at="t", where="w"
    )
    text = repr(record.to_dict())
    assert "ada@acme.test" in text
    assert "Ada Lovelace" not in text and "52000" not in text
    assert set(record.creates[0].fields) == {"name", "hris.pay_rate"}

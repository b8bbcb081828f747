from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey, canonical_json
from reconciler.engine.plan import MASK, Counts, Fingerprints, Plan, change_data, shown
from reconciler.engine.values import Change, FieldChange, Orphan, PlanWarning, Skip
from tests.engine.helpers import config, employee, stakeholder, state

CONF = config(optional_fields=["pay_rate"], terminated={"action": "group", "group": "Alumni"})


def _employees() -> list:  # type: ignore[type-arg]
    return [
        employee(
            n,
            pay_rate=40000.0 + n,
            pay_currency="GBP",
            birthdate=date(1990, 1, n % 28 + 1),
            employment_status="inactive" if n % 5 == 0 else "active",
        )
        for n in range(1, 21)
    ]


def _state() -> TargetState:
    return state(
        *[
            stakeholder(n, group="Employees", hris={"start_date": date(2020, 1, 1)})
            for n in range(1, 15)
        ],
        stakeholder(99, identifier="gone@acme.test"),
    )


def test_changes_are_sorted_creates_first_then_by_identifier() -> None:
    plan = build_plan(_employees(), _state(), CONF, key=SANDBOX_KEY)
    actions = [c.action for c in plan.changes]
    assert actions == sorted(actions, key=["create", "update"].index)
    creates = [c.identifier for c in plan.creates]
    assert creates == sorted(creates, key=str.casefold)
    assert plan.summary() == {
        "create": 6,
        "update": 14,
        "unchanged": 0,
        "skipped": 0,
        "orphaned": 1,
        "warnings": 1,  # Alumni: a group no stakeholder is in yet
        "awaiting_upload": 0,
    }


def test_the_json_masks_personal_values_unless_asked() -> None:
    plan = build_plan(_employees(), _state(), CONF, key=SANDBOX_KEY)
    masked = plan.to_dict()
    first = masked["changes"][0]["fields"]
    assert first["hris.pay_rate"] == {"old": None, "new": MASK, "masked": True}
    assert first["birthdate"]["new"] == MASK and first["group"]["new"] in ("Employees", "Alumni")
    shown = plan.to_dict(show_values=True)["changes"][0]["fields"]
    assert isinstance(shown["hris.pay_rate"]["new"], float)
    assert masked["checksum"] == plan.checksum and plan.checksum.startswith("hmac-sha256:")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_checksum_does_not_depend_on_input_order(seed: int) -> None:
    employees, current = _employees(), _state()
    shuffled_employees = list(employees)
    shuffled_people = list(current.stakeholders)
    rng = random.Random(seed)
    rng.shuffle(shuffled_employees)
    rng.shuffle(shuffled_people)
    again = TargetState(current.company, tuple(shuffled_people), current.custom_fields)
    assert (
        build_plan(shuffled_employees, again, CONF, key=SANDBOX_KEY).checksum
        == build_plan(employees, current, CONF, key=SANDBOX_KEY).checksum
    )


def test_the_checksum_changes_with_the_data() -> None:
    employees = _employees()
    before = build_plan(employees, _state(), CONF, key=SANDBOX_KEY).checksum
    employees[0] = employee(1, pay_rate=99999.0)
    assert build_plan(employees, _state(), CONF, key=SANDBOX_KEY).checksum != before


# --- The plan JSON and its orderings, exactly -------------------------------------------


def _small_plan(**overrides: object) -> Plan:
    parts: dict[str, object] = {
        "changes": (
            Change(
                "update",
                "b@acme.test",
                "Bea",
                (
                    FieldChange("birthdate", date(1990, 1, 2), date(1991, 3, 4), True),
                    FieldChange("group", "Old", "New"),
                ),
                "sh_2",
                adopted=True,
            ),
            Change("create", "C@acme.test", "Cy", (FieldChange("name", None, "Cy"),)),
            Change("update", "a@acme.test", "Al", (FieldChange("hris.team", "X", None),), "sh_1"),
            Change("create", "a2@acme.test", "Al 2", ()),
        ),
        "unchanged": 7,
        "skipped": (
            Skip("tm_3", "z@acme.test", "sync_if", "rule", 0),
            Skip("tm_4", None, "missing_identifier", "no email"),
            Skip("tm_5", "y@acme.test", "invalid_identifier", "space"),
            Skip("tm_6", "x@acme.test", "duplicate_identifier", "2 share"),
            Skip("tm_7", "a@acme.test", "sync_if", "rule", 1),
            Skip("tm_8", "b@acme.test", "ambiguous_name_match", "names"),
            Skip("tm_9", "c@acme.test", "terminated", "leaver"),
            Skip("tm_10", "d@acme.test", "duplicate_in_ledgy", "2 have it"),
        ),
        "warnings": (
            PlanWarning("b@acme.test", "z_code", "m"),
            PlanWarning(None, "new_group", "g"),
            PlanWarning("B@acme.test", "a_code", "m", "tm_1"),
            PlanWarning("b@acme.test", "z_code", "a"),
        ),
        "orphaned": (Orphan("gone@acme.test", "sh_9", "gone"),),
        "fingerprints": Fingerprints("src", "tgt", "cfg"),
        "counts": Counts(10, 11, 9),
        "key": SANDBOX_KEY,
    }
    return Plan(**(parts | overrides))  # type: ignore[arg-type]


def test_changes_skips_and_warnings_are_ordered_for_a_reviewer() -> None:
    plan = _small_plan()
    assert [(c.action, c.identifier) for c in plan.changes] == [
        ("create", "a2@acme.test"),
        ("create", "C@acme.test"),
        ("update", "a@acme.test"),
        ("update", "b@acme.test"),
    ]
    assert [s.employee_id for s in plan.skipped] == [
        "tm_6",  # duplicate_identifier
        "tm_10",  # duplicate_in_ledgy
        "tm_8",  # ambiguous_name_match
        "tm_4",  # missing_identifier
        "tm_9",  # terminated
        "tm_7",  # sync_if, by identifier
        "tm_3",
        "tm_5",  # a reason outside the list comes last
    ]
    assert [(w.identifier, w.code, w.message) for w in plan.warnings] == [
        (None, "new_group", "g"),
        ("B@acme.test", "a_code", "m"),
        ("b@acme.test", "z_code", "a"),
        ("b@acme.test", "z_code", "m"),
    ]


def test_skips_of_one_reason_and_identifier_are_ordered_by_employee_id() -> None:
    plan = _small_plan(
        skipped=(
            Skip("tm_2", "a@acme.test", "sync_if", "r"),
            Skip("tm_1", "A@acme.test", "sync_if", "r"),
        )
    )
    assert [s.employee_id for s in plan.skipped] == ["tm_1", "tm_2"]


def test_updates_of_one_identifier_are_ordered_by_stakeholder_id() -> None:
    plan = _small_plan(
        changes=(
            Change("update", "a@acme.test", "A", (), "sh_2"),
            Change("update", "A@acme.test", "A", (), "sh_1"),
        )
    )
    assert [c.stakeholder_id for c in plan.changes] == ["sh_1", "sh_2"]


def test_the_plan_json_is_exact_masked_and_shown() -> None:
    bea = next(c for c in _small_plan().changes if c.name == "Bea")
    two = tuple(s for s in _small_plan().skipped if s.employee_id in ("tm_3", "tm_4"))
    plan = _small_plan(changes=(bea,), skipped=two)
    assert plan.to_dict() == {
        "version": 1,
        "checksum": plan.checksum,
        "summary": {
            "create": 0,
            "update": 1,
            "unchanged": 7,
            "skipped": 2,
            "orphaned": 1,
            "warnings": 4,
            "awaiting_upload": 0,
        },
        "changes": [
            {
                "action": "update",
                "identifier": "b@acme.test",
                "stakeholder_id": "sh_2",
                "name": "Bea",
                "fields": {
                    "birthdate": {"old": MASK, "new": MASK, "masked": True},
                    "group": {"old": "Old", "new": "New"},
                },
                "adopted": True,
            }
        ],
        "skipped": [
            {"employee_id": "tm_4", "reason": "missing_identifier", "detail": "no email"},
            {
                "employee_id": "tm_3",
                "identifier": "z@acme.test",
                "reason": "sync_if",
                "detail": "rule",
                "rule": 0,
            },
        ],
        "warnings": [
            {"code": "new_group", "message": "g"},
            {"identifier": "B@acme.test", "code": "a_code", "message": "m", "employee_id": "tm_1"},
            {"identifier": "b@acme.test", "code": "z_code", "message": "a"},
            {"identifier": "b@acme.test", "code": "z_code", "message": "m"},
        ],
        "orphaned": [{"identifier": "gone@acme.test", "stakeholder_id": "sh_9", "reason": "gone"}],
        "unread": [],
        "conflicts": [],
        "pending_uploads": [],
        "inputs": {
            "source": "src",
            "target": "tgt",
            "config": "cfg",
            "employees": 10,
            "stakeholders": 11,
            "identified": 9,
        },
    }
    shown = plan.to_dict(show_values=True)["changes"][0]["fields"]
    assert shown == {
        "birthdate": {"old": "1990-01-02", "new": "1991-03-04"},
        "group": {"old": "Old", "new": "New"},
    }


def test_a_change_not_adopted_has_no_adopted_key_and_none_stays_none() -> None:
    data = change_data(_small_plan().updates[0], show_values=False)
    assert data == {
        "action": "update",
        "identifier": "a@acme.test",
        "stakeholder_id": "sh_1",
        "name": "Al",
        "fields": {"hris.team": {"old": "X", "new": None}},
    }
    masked_none = FieldChange("birthdate", None, None, True)
    assert change_data(Change("create", "x", "X", (masked_none,)), show_values=False)["fields"] == {
        "birthdate": {"old": None, "new": None, "masked": True}
    }


def test_the_checksum_is_the_keyed_hash_of_changes_and_inputs() -> None:
    plan = _small_plan()
    body = {
        "changes": [change_data(c, show_values=True) for c in plan.changes],
        "inputs": {"source": "src", "target": "tgt", "config": "cfg"},
    }
    assert plan.checksum == "hmac-sha256:" + SANDBOX_KEY.digest(canonical_json(body))
    counted = _small_plan(counts=Counts(1, 1, 1), unchanged=0, orphaned=(), warnings=())
    assert counted.checksum == plan.checksum  # counts and notes are not what is approved
    assert _small_plan(fingerprints=Fingerprints("src", "tgt", "other")).checksum != plan.checksum


def test_each_change_has_a_32_digit_keyed_digest_in_plan_order() -> None:
    plan = _small_plan()
    assert plan.digests == tuple(
        SANDBOX_KEY.digest(canonical_json(change_data(c, show_values=True)))[:32]
        for c in plan.changes
    )
    assert all(len(d) == 32 for d in plan.digests) and len(set(plan.digests)) == 4
    key = PlanKey(b"other", "test")
    assert _small_plan(key=key).digests != plan.digests


def test_has_changes_and_the_creates_and_updates() -> None:
    plan = _small_plan()
    assert plan.has_changes
    assert [c.identifier for c in plan.creates] == ["a2@acme.test", "C@acme.test"]
    assert [c.identifier for c in plan.updates] == ["a@acme.test", "b@acme.test"]
    assert not _small_plan(changes=()).has_changes


def test_shown_masks_only_real_values_and_writes_dates_as_iso() -> None:
    assert shown(None, True) is None
    assert shown(0, True) == MASK
    assert shown(date(2020, 2, 29), False) == "2020-02-29"
    assert shown(1.5, False) == 1.5


def test_skips_without_identifier_come_first_within_their_reason() -> None:
    plan = _small_plan(
        skipped=(
            Skip("tm_2", "a@acme.test", "sync_if", "r"),
            Skip("tm_3", "z@acme.test", "sync_if", "r"),
            Skip("tm_1", None, "sync_if", "r"),
        )
    )
    assert [s.employee_id for s in plan.skipped] == ["tm_1", "tm_2", "tm_3"]

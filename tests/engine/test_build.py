"""One person, one stakeholder: identifiers are compared in one normal form on both sides."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.config.model import Config
from reconciler.domain.gaps import Gap
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey, canonical_json, fingerprint
from reconciler.engine.desired import desired_state
from reconciler.engine.plan import Counts
from reconciler.engine.values import Change, FieldChange, PlanWarning
from tests.engine.helpers import config, employee, stakeholder, state

SPELLINGS = {
    "zero-width space": "ada\u200b@acme.test",
    "full-width letter": "\uff41da@acme.test",
    "trailing dot": "ada@acme.test.",
    "surrounding spaces": "  ada@acme.test ",
    "Cyrillic look-alike": "\u0430da@acme.test",
    "capitals": "ADA@Acme.Test",
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_no_spelling_of_a_known_address_creates_a_second_stakeholder(spelling: str) -> None:
    ledgy = state(stakeholder(1, name="Ada Lovelace", identifier="ada@acme.test"))
    plan = build_plan(
        [employee(1, name="Ada Lovelace", work_email=spelling)], ledgy, config(), key=SANDBOX_KEY
    )
    assert plan.creates == ()


@pytest.mark.parametrize(
    ("spelling", "problem"),
    [
        (SPELLINGS["zero-width space"], "invisible character (U+200B"),
        (SPELLINGS["Cyrillic look-alike"], "mixes scripts"),
        ("ada at acme.test", "holds a space"),
        ("ada.acme.test", "not a valid address"),
    ],
)
def test_an_untrustworthy_identifier_is_skipped_naming_what_is_wrong(
    spelling: str, problem: str
) -> None:
    plan = build_plan([employee(1, work_email=spelling)], state(), config(), key=SANDBOX_KEY)
    (skip,) = plan.skipped
    assert (skip.reason, plan.creates) == ("invalid_identifier", ())
    assert problem in skip.detail


def test_a_normalised_spelling_matches_and_changes_nothing() -> None:
    ledgy = state(stakeholder(1, identifier="Ada@Acme.test", email="ada@acme.test"))
    person = employee(1, name="Person 1", work_email="\uff41da@acme.test.")
    plan = build_plan([person], ledgy, config(), key=SANDBOX_KEY)
    assert (plan.creates, plan.skipped, plan.orphaned) == ((), (), ())


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_whitespace_only_work_email_is_a_missing_identifier(blank: str) -> None:
    plan = build_plan([employee(1, work_email=blank)], state(), config(), key=SANDBOX_KEY)
    assert [s.reason for s in plan.skipped] == ["missing_identifier"]


def test_a_rehire_syncs_the_current_record_only() -> None:
    old = employee(
        1,
        employment_status="inactive",
        termination_date=date(2022, 3, 31),
        work_email="ada@acme.test",
    )
    new = employee(2, work_email="Ada@acme.test")
    ledgy = state(stakeholder(1, identifier="ada@acme.test"))
    plan = build_plan([old, new], ledgy, config(), key=SANDBOX_KEY)
    assert [(s.employee_id, s.reason) for s in plan.skipped] == [
        ("tm_0001", "duplicate_identifier")
    ]
    assert "rehired" in plan.skipped[0].detail
    assert plan.creates == () and plan.orphaned == ()
    assert [c.stakeholder_id for c in plan.updates] in ([], ["sh_0001"])


def test_a_rehire_whose_old_record_is_out_of_scope_syncs_the_new_one() -> None:
    old = employee(1, employment_status="inactive", work_email="ada@acme.test", office="Paris")
    new = employee(2, work_email="ada@acme.test", office="London")
    conf = config(sync_if=[{"field": "office", "in": ["London"]}])
    plan = build_plan([old, new], state(), conf, key=SANDBOX_KEY)
    assert [c.identifier for c in plan.creates] == ["ada@acme.test"]
    assert [s.reason for s in plan.skipped] == ["sync_if"]


def test_two_current_employees_sharing_an_address_are_both_skipped() -> None:
    plan = build_plan(
        [employee(1, work_email="ada@acme.test"), employee(2, work_email="ADA@acme.test ")],
        state(),
        config(),
        key=SANDBOX_KEY,
    )
    assert [s.reason for s in plan.skipped] == ["duplicate_identifier"] * 2


# --- What each pair becomes, and the plan-wide warnings, exactly ------------------------


def _in_step(*numbers: int, conf: Config | None = None) -> TargetState:
    """Ledgy exactly as the plan would leave it for these employees."""
    plan = build_plan([employee(n) for n in numbers], state(), conf or config(), key=SANDBOX_KEY)
    return state(
        *[
            Stakeholder.from_flat({f.field: f.new for f in c.fields}, f"sh_{n:04d}")
            for n, c in zip(numbers, plan.creates, strict=True)
        ]
    )


def test_a_create_sets_every_non_empty_value_sorted_and_flags_personal_ones() -> None:
    person = employee(1, birthdate=date(1990, 5, 17), city="Leeds", team="Ops")
    plan = build_plan([person], state(), config(), key=SANDBOX_KEY)
    (change,) = plan.changes
    assert (change.action, change.identifier, change.name, change.stakeholder_id) == (
        "create",
        "person1@acme.test",
        "Person 1",
        None,
    )
    assert change.fields == (
        FieldChange("address.city", None, "Leeds", True),
        FieldChange("address.country", None, "GB", True),
        FieldChange("birthdate", None, date(1990, 5, 17), True),
        FieldChange("email", None, "person1@acme.test"),
        FieldChange("group", None, "Employees"),
        FieldChange("hris.employment_status", None, "active"),
        FieldChange("hris.start_date", None, date(2020, 1, 1)),
        FieldChange("hris.team", None, "Ops"),
        FieldChange("identifier", None, "person1@acme.test"),
        FieldChange("name", None, "Person 1"),
    )
    assert (plan.unchanged, plan.skipped, plan.orphaned) == (0, (), ())


def test_a_stakeholder_in_step_is_unchanged_and_one_value_off_is_an_update() -> None:
    ledgy = _in_step(1, 2, 3)
    same = build_plan([employee(n) for n in (1, 2, 3)], ledgy, config(), key=SANDBOX_KEY)
    assert (same.changes, same.unchanged) == ((), 3)
    moved = build_plan(
        [employee(1), employee(2, team="Ops"), employee(3)], ledgy, config(), key=SANDBOX_KEY
    )
    (change,) = moved.changes
    assert change == Change(
        "update",
        "person2@acme.test",
        "Person 2",
        (FieldChange("hris.team", None, "Ops"),),
        "sh_0002",
    )
    assert moved.unchanged == 2


def test_an_identifier_matched_in_another_case_is_not_rewritten() -> None:
    ledgy = state(
        *[s.with_values({"identifier": "PERSON1@acme.test"}) for s in _in_step(1).stakeholders]
    )
    plan = build_plan([employee(1)], ledgy, config(), key=SANDBOX_KEY)
    assert (plan.changes, plan.unchanged) == ((), 1)


def test_an_adopted_stakeholder_gets_the_identifier_in_its_update() -> None:
    ledgy = state(*[s.with_values({"identifier": None}) for s in _in_step(1).stakeholders])
    plan = build_plan([employee(1)], ledgy, config(), key=SANDBOX_KEY)
    (change,) = plan.changes
    assert change == Change(
        "update",
        "person1@acme.test",
        "Person 1",
        (FieldChange("identifier", None, "person1@acme.test"),),
        "sh_0001",
        adopted=True,
    )


def test_counts_are_of_both_reads() -> None:
    ledgy = state(stakeholder(1), stakeholder(2, identifier=None), stakeholder(3))
    plan = build_plan([employee(n) for n in range(1, 6)], ledgy, config(), key=SANDBOX_KEY)
    assert plan.counts == Counts(employees=5, stakeholders=3, identified=2)


def test_no_required_approval_is_a_warning_on_every_plan() -> None:
    plan = build_plan(
        [employee(1)], state(), config(safety={"required_approvals": 0}), key=SANDBOX_KEY
    )
    assert [(w.identifier, w.code, w.message) for w in plan.warnings] == [
        (
            None,
            "approvals_off",
            "safety.required_approvals is 0: a merged pull request's plan is applied "
            "without an approving review",
        )
    ]
    assert (
        build_plan(
            [employee(1)], state(), config(safety={"required_approvals": 1}), key=SANDBOX_KEY
        ).warnings
        == ()
    )


def test_an_unreadable_ledgy_value_is_a_warning_that_never_shows_it() -> None:
    odd = Stakeholder.from_flat(
        {"name": "Person 1", "identifier": "person1@acme.test", "birthdate": "1990-05-17"}, "sh_1"
    )
    plan = build_plan([], state(odd), config(), key=SANDBOX_KEY)
    assert [(w.identifier, w.code, w.message) for w in plan.warnings] == [
        (
            "person1@acme.test",
            "unreadable_ledgy_value",
            "Ledgy stakeholder sh_1: birthdate could not be read (value not shown); "
            "it is treated as empty",
        )
    ]


REFUSED = Gap(
    ("pay_rate",), "endpoint_refused", "GET /salaries", "pay_rate not read", "grant access"
)
ABSENT = Gap(("manager",), "key_absent", "GET /team_members", "manager not read", "add a key")


def test_gaps_and_each_kind_of_warning_reach_the_plan() -> None:
    conf = config(terminated={"action": "group", "group": "Alumni"})
    ledgy = _in_step(2)
    people = [employee(1, name=None), employee(2, employment_status="inactive")]
    plan = build_plan(people, ledgy, conf, gaps=[REFUSED, ABSENT], key=SANDBOX_KEY)
    assert [w.code for w in plan.warnings] == [
        "new_group",
        "unread_endpoint",
        "unread_key",
        "missing_name",
    ]
    assert PlanWarning(None, "unread_key", "manager not read; add a key") in plan.warnings
    assert plan.to_dict()["unread"] == [gap.to_dict() for gap in (REFUSED, ABSENT)]


def test_skips_of_the_config_and_of_matching_are_both_listed() -> None:
    ledgy = state(stakeholder(2), stakeholder(22, identifier="person2@acme.test"))
    conf = config(sync_if=[{"field": "country", "in": ["GB"]}])
    plan = build_plan([employee(1, country="DE"), employee(2)], ledgy, conf, key=SANDBOX_KEY)
    assert [(s.employee_id, s.reason) for s in plan.skipped] == [
        ("tm_0002", "duplicate_in_ledgy"),
        ("tm_0001", "sync_if"),
    ]


def test_unread_hr_fields_are_neither_written_nor_fingerprinted() -> None:
    conf = config(optional_fields=["pay_rate"])
    plan = build_plan([employee(1, pay_rate=1.0)], state(), conf, gaps=[REFUSED], key=SANDBOX_KEY)
    (change,) = plan.changes
    assert "hris.pay_rate" not in {f.field for f in change.fields}
    other = build_plan([employee(1, pay_rate=2.0)], state(), conf, gaps=[REFUSED], key=SANDBOX_KEY)
    assert other.checksum == plan.checksum


def test_the_fingerprints_follow_managed_values_only_and_the_key() -> None:
    ledgy = _in_step(1, 2)
    base = build_plan([employee(1), employee(2)], ledgy, config(), key=SANDBOX_KEY)
    unmanaged = state(*[s.with_values({"nationality": "FR"}) for s in ledgy.stakeholders])
    assert (
        build_plan([employee(1), employee(2)], unmanaged, config(), key=SANDBOX_KEY).fingerprints
        == base.fingerprints
    )
    managed = state(*[s.with_values({"group": "Other"}) for s in ledgy.stakeholders])
    moved = build_plan([employee(1), employee(2)], managed, config(), key=SANDBOX_KEY).fingerprints
    assert (moved.source, moved.config) == (base.fingerprints.source, base.fingerprints.config)
    assert moved.target != base.fingerprints.target
    hr = build_plan(
        [employee(1), employee(2, team="Ops")], ledgy, config(), key=SANDBOX_KEY
    ).fingerprints
    assert hr.source != base.fingerprints.source and hr.target == base.fingerprints.target
    conf = build_plan(
        [employee(1), employee(2)], ledgy, config(group="Staff"), key=SANDBOX_KEY
    ).fingerprints
    assert conf.config != base.fingerprints.config
    skipped = build_plan(
        [employee(1), employee(2)],
        ledgy,
        config(sync_if=[{"field": "country", "in": ["DE"]}]),
        key=SANDBOX_KEY,
    ).fingerprints
    assert skipped.source != base.fingerprints.source
    key = PlanKey(b"another key", "test")
    keyed = build_plan([employee(1), employee(2)], ledgy, config(), key=key)
    assert keyed.key is key
    assert keyed.fingerprints.source == fingerprint(
        [
            {"id": o.employee.id, "values": o.values, "skip": None}
            for o in desired_state([employee(1), employee(2)], config().stakeholders)
        ],
        key,
        by=lambda record: str(record["id"]),
    )
    assert keyed.fingerprints.config == key.digest(
        canonical_json(config().stakeholders.model_dump(mode="json", by_alias=True))
    )


def test_a_new_stakeholder_without_a_readable_name_or_status_still_starts_with_both() -> None:
    conf = config(terminated={"action": "group", "group": "Alumni"})
    unread = {"name": "has no key 'display_name'", "employment_status": "has no key 'x'"}
    person = employee(1, name=None, unread=unread)
    (create,) = build_plan([person], state(), conf, key=SANDBOX_KEY).changes
    values = {f.field: f.new for f in create.fields}
    assert (values["name"], values["group"]) == ("person1@acme.test", "Employees")
    ledgy = state(stakeholder(1, group="Alumni"))
    touched = {
        f.field
        for c in build_plan([person], ledgy, conf, key=SANDBOX_KEY).changes
        for f in c.fields
    }
    assert not touched & {"name", "group"}


def test_fields_the_target_cannot_hold_are_neither_changed_nor_cleared() -> None:
    # A workbook export without a Group or a start-date column: Ledgy reads no value for
    # them, and without this every plan would set them again, forever.
    unheld = frozenset({"group", "hris.start_date"})
    current = stakeholder(1, email="person1@acme.test")
    ledgy = TargetState("Acme Ltd", (current,), frozenset(), unheld)
    plan = build_plan([employee(1), employee(2)], ledgy, config(), key=SANDBOX_KEY)
    assert not {f.field for c in plan.changes for f in c.fields} & unheld
    assert len(plan.creates) == 1 and len(plan.updates) == 1
    held = build_plan([employee(1)], TargetState("Acme Ltd", (current,)), config(), key=SANDBOX_KEY)
    assert {f.field for c in held.updates for f in c.fields} >= unheld


def test_the_targets_notes_are_plan_warnings() -> None:
    notes = (("unknown_ledgy_columns", "the Ledgy export has 1 column …: 'Notes'"),)
    plan = build_plan(
        [], TargetState("Acme Ltd", (), frozenset(), frozenset(), notes), config(), key=SANDBOX_KEY
    )
    assert PlanWarning(None, "unknown_ledgy_columns", notes[0][1]) in plan.warnings


LEDGY_SPELLINGS = {
    "zero-width space": "ada\u200b@acme.test",
    "Cyrillic a": "\u0430da@acme.test",
    "Greek omicron": "ad\u03bf@acme.test",
}


@pytest.mark.parametrize("theirs", LEDGY_SPELLINGS.values(), ids=LEDGY_SPELLINGS.keys())
def test_a_look_alike_identifier_in_ledgy_creates_nobody_and_is_one_suspect(theirs: str) -> None:
    mine = "ado@acme.test" if "\u03bf" in theirs else "ada@acme.test"
    ledgy = state(stakeholder(1, name="Ada Lovelace", identifier=theirs))
    plan = build_plan(
        [employee(1, name="Ada Lovelace", work_email=mine)], ledgy, config(), key=SANDBOX_KEY
    )
    assert (plan.creates, plan.updates, plan.orphaned) == ((), (), ())
    assert [(s.identifier, s.reason) for s in plan.skipped] == [(mine, "suspect_match")]


def test_a_pinned_match_corrects_the_look_alike_identifier() -> None:
    ledgy = state(stakeholder(1, identifier="person1\u200b@acme.test", email="person1@acme.test"))
    pin = {"employee": "person1@acme.test", "stakeholder": "sh_0001"}
    plan = build_plan([employee(1)], ledgy, config(matches=[pin]), key=SANDBOX_KEY)
    (change,) = plan.changes
    assert (change.action, change.stakeholder_id, change.pinned, change.adopted) == (
        "update",
        "sh_0001",
        True,
        False,
    )
    fields = {f.field: (f.old, f.new) for f in change.fields}
    assert fields["identifier"] == ("person1\u200b@acme.test", "person1@acme.test")
    assert (plan.creates, plan.skipped, plan.orphaned) == ((), (), ())
    assert plan.to_dict()["changes"][0]["pinned"] is True
    assert "adopted" not in plan.to_dict()["changes"][0]


def test_a_pin_to_a_stakeholder_with_the_identifier_already_leaves_it_as_it_is() -> None:
    pin = {"employee": "tm_0001", "stakeholder": "sh_0001"}
    plan = build_plan([employee(1)], _in_step(1), config(matches=[pin]), key=SANDBOX_KEY)
    assert (plan.changes, plan.unchanged) == ((), 1)


def test_an_allowed_adoption_across_groups_is_marked_in_the_change_and_its_json() -> None:
    ledgy = state(stakeholder(9, identifier=None, name="Person 1", group="Advisors"))
    plan = build_plan([employee(1)], ledgy, config(adoption={"groups": "any"}), key=SANDBOX_KEY)
    (change,) = plan.changes
    assert (change.adopted, change.from_group, change.stakeholder_id) == (
        True,
        "Advisors",
        "sh_0009",
    )
    data = plan.to_dict()["changes"][0]
    assert (data["adopted"], data["adopted_from_group"]) == (True, "Advisors")
    assert data["fields"]["group"] == {"old": "Advisors", "new": "Employees"}
    assert [w.code for w in plan.warnings if w.identifier] == ["adopted_across_groups"]


def test_by_default_a_namesake_in_another_group_keeps_its_record_and_nobody_is_created() -> None:
    ledgy = state(stakeholder(9, identifier=None, name="Person 1", group="Advisors"))
    plan = build_plan([employee(1)], ledgy, config(), key=SANDBOX_KEY)
    assert plan.changes == ()
    assert [(s.reason, "Advisors" in s.detail) for s in plan.skipped] == [
        ("name_match_outside_groups", True)
    ]

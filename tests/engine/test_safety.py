from __future__ import annotations

from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.safety import refusals
from reconciler.engine.values import Change, PlanWarning
from reconciler.errors import (
    ChecksumMismatchError,
    CrossGroupAdoptionError,
    NewGroupError,
    SuspiciousSourceError,
    TooManyCreatesError,
    TooManyUpdatesError,
    UnsafePlanError,
)
from tests.engine.helpers import config, employee, stakeholder, state


def _people(count: int, group: str = "Employees"):  # type: ignore[no-untyped-def]
    return state(*[stakeholder(n, group=group) for n in range(count)])


def _in_step(count: int, group: str = "Employees"):  # type: ignore[no-untyped-def]
    """Ledgy exactly as the plan would leave it for employees 0..count-1."""
    plan = build_plan(
        [employee(n) for n in range(count)], state(), config(group=group), key=SANDBOX_KEY
    )
    people = [
        Stakeholder.from_flat({f.field: f.new for f in c.fields}, f"sh_{n:04d}")
        for n, c in enumerate(plan.creates)
    ]
    return state(*people)


def test_a_plan_moving_everyone_is_refused_until_the_share_allows_it() -> None:
    conf = config(group="Old")
    plan = build_plan(
        [employee(n) for n in range(20)], _people(20), config(group="Old2"), key=SANDBOX_KEY
    )
    assert len(plan.updates) == 20
    assert TooManyUpdatesError in [type(r) for r in refusals(plan, conf.safety)]
    conf_loose = config(safety={"max_update_percent": 100})
    assert [type(r) for r in refusals(plan, conf_loose.safety)] == [NewGroupError]


def test_the_update_share_applies_below_min_existing_too() -> None:
    """Five stakeholders: 30% of min_existing (10) allows 3 updates, not 5."""
    ledgy = _in_step(5)
    three = build_plan(
        [employee(n, job_title="New") for n in range(3)] + [employee(3), employee(4)],
        ledgy,
        config(custom_fields=[]),
        key=SANDBOX_KEY,
    )
    assert refusals(three, config().safety) == []
    ledgy = state(*[stakeholder(n, name=f"Old {n}") for n in range(5)])
    plan = build_plan([employee(n) for n in range(5)], ledgy, config(), key=SANDBOX_KEY)
    (refusal,) = refusals(plan, config().safety)
    assert refusal.message == (
        "too many updates: 5 of 5 existing stakeholders (50.0% of safety.min_existing, 10) "
        "is over safety.max_update_percent (30%)"
    )
    assert (
        refusals(plan, config(safety={"min_existing": 0, "max_update_percent": 100}).safety) == []
    )


def test_too_many_updates_names_the_numbers() -> None:
    ledgy = state(*[stakeholder(n, name=f"Old {n}") for n in range(10)])
    plan = build_plan([employee(n) for n in range(10)], ledgy, config(), key=SANDBOX_KEY)
    (refusal,) = refusals(plan, config().safety)
    assert refusal.message == (
        "too many updates: 10 of 10 existing stakeholders (100.0%) is over safety.max_update_percent (30%)"
    )


def test_a_dropped_sync_if_rule_is_refused_by_the_create_limits() -> None:
    """The reported case: 180 stakeholders, dropping the rule adds 363 creates."""
    employees = [employee(n) for n in range(180 + 363)]
    plan = build_plan(employees, _in_step(180), config(), key=SANDBOX_KEY)
    assert len(plan.creates) == 363
    (refusal,) = refusals(plan, config().safety)
    assert isinstance(refusal, TooManyCreatesError)
    assert "363 new stakeholders is over safety.max_creates (100)" in refusal.message
    by_share = refusals(plan, config(safety={"max_creates": 1000}).safety)
    assert [r.message.split(" is over ")[1] for r in by_share] == [
        "safety.max_create_percent (100%)"
    ]


def test_creates_within_both_limits_are_safe() -> None:
    plan = build_plan([employee(n) for n in range(30)], _in_step(20), config(), key=SANDBOX_KEY)
    assert len(plan.creates) == 10 and refusals(plan, config().safety) == []


def test_the_create_share_is_taken_of_at_least_min_existing() -> None:
    plan = build_plan([employee(n) for n in range(13)], _in_step(2), config(), key=SANDBOX_KEY)
    (refusal,) = refusals(plan, config().safety)
    assert (
        "11 new stakeholders for 2 existing (110.0% of safety.min_existing, 10)" in refusal.message
    )


def test_the_first_sync_is_limited_by_max_creates_only() -> None:
    plan = build_plan([employee(n) for n in range(40)], _people(0), config(), key=SANDBOX_KEY)
    assert refusals(plan, config().safety) == []
    (refusal,) = refusals(plan, config(safety={"max_creates": 39}).safety)
    assert isinstance(refusal, TooManyCreatesError)


def test_a_group_ledgy_does_not_have_is_a_warning_with_a_suggestion_and_risky() -> None:
    plan = build_plan(
        [employee(n) for n in range(3)], _in_step(3), config(group="Employes"), key=SANDBOX_KEY
    )
    (warning,) = [w for w in plan.warnings if w.code == "new_group"]
    assert warning.message == (
        "group 'Employes' does not exist in Ledgy yet (no stakeholder is in it); "
        "3 stakeholder(s) would go into it; did you mean 'Employees'?"
    )
    (refusal,) = refusals(plan, config().safety)
    assert isinstance(refusal, NewGroupError) and "'Employes'" in refusal.message


def test_a_new_group_in_a_ledgy_without_groups_is_not_a_typo() -> None:
    ledgy = state(*[s.with_values({"group": None}) for s in _in_step(3).stakeholders])
    plan = build_plan(
        [employee(n) for n in range(3)], ledgy, config(group="Employees"), key=SANDBOX_KEY
    )
    assert len(plan.updates) == 3
    assert [w.code for w in plan.warnings] == []
    assert NewGroupError not in [type(r) for r in refusals(plan, config().safety)]


def test_an_empty_hr_read_is_refused() -> None:
    plan = build_plan([], _people(12), config(), key=SANDBOX_KEY)
    (refusal,) = refusals(plan, config().safety)
    assert isinstance(refusal, SuspiciousSourceError) and "no employees" in refusal.message


def test_a_partial_hr_read_is_refused() -> None:
    plan = build_plan([employee(n) for n in range(4)], _people(12), config(), key=SANDBOX_KEY)
    refusal = refusals(plan, config().safety)[0]
    assert isinstance(refusal, SuspiciousSourceError)
    assert refusal.message.startswith(
        "CharlieHR returned 4 employees, but Ledgy holds 12 stakeholders"
    )


def test_a_different_checksum_is_refused_and_the_same_one_is_not() -> None:
    plan = build_plan([employee(1)], _people(0), config(), key=SANDBOX_KEY)
    assert refusals(plan, config().safety, checksum=plan.checksum) == []
    assert (
        refusals(plan, config().safety, checksum=plan.checksum.removeprefix("sha256:").upper())
        == []
    )
    (refusal,) = refusals(plan, config().safety, checksum="sha256:" + "0" * 64)
    assert isinstance(refusal, ChecksumMismatchError)


# --- Every refusal word for word, its remedy, and each limit's exact boundary ----------

FORCE = "review the plan; if it is right, apply it with --force"


def _plan(
    creates: int = 0,
    updates: int = 0,
    *,
    employees: int = 10,
    existing: int = 10,
    identified: int | None = None,
    warnings: tuple[PlanWarning, ...] = (),
) -> Plan:
    changes = [Change("create", f"new{n}@acme.test", f"New {n}", ()) for n in range(creates)]
    changes += [
        Change("update", f"old{n}@acme.test", f"Old {n}", (), f"sh_{n}") for n in range(updates)
    ]
    return Plan(
        changes=tuple(changes),
        unchanged=0,
        skipped=(),
        warnings=warnings,
        orphaned=(),
        fingerprints=Fingerprints("s", "t", "c"),
        counts=Counts(employees, existing, existing if identified is None else identified),
        key=SANDBOX_KEY,
    )


def _only(plan: Plan, checksum: str | None = None, **safety: float) -> UnsafePlanError:
    (refusal,) = refusals(plan, config(safety=safety).safety, checksum=checksum)
    return refusal


def test_an_empty_hr_read_is_refused_word_for_word() -> None:
    refusal = _only(_plan(employees=0, existing=0))
    assert isinstance(refusal, SuspiciousSourceError)
    assert refusal.message == (
        "CharlieHR returned no employees; an empty HR read must never look like everyone left"
    )
    assert refusal.remedy == (
        "check the CharlieHR key's permissions; use --force only if the company has no employees"
    )


def test_the_source_share_is_refused_only_below_min_source_percent() -> None:
    assert refusals(_plan(employees=5, identified=10), config().safety) == []
    refusal = _only(_plan(employees=4, identified=10))
    assert isinstance(refusal, SuspiciousSourceError)
    assert refusal.message == (
        "CharlieHR returned 4 employees, but Ledgy holds 10 stakeholders with an identifier "
        "(under safety.min_source_percent, 50%); a partial HR read must never look like "
        "people leaving"
    )
    assert refusal.remedy == "check the CharlieHR key and run again; " + FORCE
    assert "12.5%" in _only(_plan(employees=1, identified=10), min_source_percent=12.5).message
    just_under = _only(_plan(employees=100, existing=201))  # 49.75 %: under half
    assert just_under.message.startswith("CharlieHR returned 100 employees, but Ledgy holds 201 ")


def test_the_update_share_may_reach_the_limit_but_not_pass_it() -> None:
    assert refusals(_plan(updates=3), config().safety) == []
    refusal = _only(_plan(updates=4))
    assert isinstance(refusal, TooManyUpdatesError)
    assert refusal.message == (
        "too many updates: 4 of 10 existing stakeholders (40.0%) is over "
        "safety.max_update_percent (30%)"
    )
    assert refusal.remedy == FORCE + ", or raise safety.max_update_percent"


def test_below_min_existing_the_share_is_of_min_existing_and_says_so() -> None:
    assert refusals(_plan(updates=3, existing=9, employees=9), config().safety) == []
    refusal = _only(_plan(updates=4, existing=9, employees=9))
    assert refusal.message == (
        "too many updates: 4 of 9 existing stakeholders (40.0% of safety.min_existing, 10) "
        "is over safety.max_update_percent (30%)"
    )
    at_min = _only(_plan(updates=4, existing=10))
    assert "(40.0%)" in at_min.message


def test_max_creates_may_be_reached_but_not_passed() -> None:
    first = _plan(creates=100, employees=100, existing=0)
    assert refusals(first, config().safety) == []
    refusal = _only(_plan(creates=101, employees=101, existing=0))
    assert isinstance(refusal, TooManyCreatesError)
    assert refusal.message == (
        "too many creates: 101 new stakeholders is over safety.max_creates (100); a dropped "
        "sync_if rule or terminated setting adds everyone it used to leave out"
    )
    assert refusal.remedy == (
        FORCE + " (the first sync of a company creates everyone), or raise safety.max_creates"
    )


def test_the_create_share_may_reach_the_limit_but_not_pass_it() -> None:
    assert refusals(_plan(creates=10, employees=20), config().safety) == []
    refusal = _only(_plan(creates=11, employees=21))
    assert isinstance(refusal, TooManyCreatesError)
    assert refusal.message == (
        "too many creates: 11 new stakeholders for 10 existing (110.0%) is over "
        "safety.max_create_percent (100%)"
    )
    assert refusal.remedy == FORCE + ", or raise safety.max_create_percent"
    small = _only(_plan(creates=11, employees=12, existing=1), max_creates=1000)
    assert small.message == (
        "too many creates: 11 new stakeholders for 1 existing (110.0% of safety.min_existing, "
        "10) is over safety.max_create_percent (100%)"
    )


def test_a_new_group_refusal_lists_every_new_group_warning_and_no_other() -> None:
    warnings = (
        PlanWarning(None, "new_group", "group 'A' is new"),
        PlanWarning("x@acme.test", "adopted_by_name", "not about groups"),
        PlanWarning(None, "new_group", "group 'B' is new"),
    )
    refusal = _only(_plan(warnings=warnings))
    assert isinstance(refusal, NewGroupError)
    assert refusal.message == (
        "the plan puts stakeholders into a group Ledgy does not have yet: "
        "group 'A' is new; group 'B' is new"
    )
    assert refusal.remedy == (
        FORCE + " if the new group is intended, or fix the group name in the config"
    )
    other = (PlanWarning(None, "adopted_by_name", "x"),)
    assert refusals(_plan(warnings=other), config().safety) == []


def test_a_checksum_matches_with_or_without_its_prefix_in_any_case() -> None:
    plan = _plan()
    bare = plan.checksum.removeprefix("hmac-sha256:")
    for typed in (plan.checksum, bare, bare.upper(), f"  {plan.checksum.upper()}\n"):
        assert refusals(plan, config().safety, checksum=typed) == [], typed
    refusal = _only(plan, checksum="sha256:" + bare)
    assert refusal.message == (
        f"the plan now has checksum {plan.checksum}, not the reviewed sha256:{bare}; "
        "the HR data, the Ledgy data or the config changed since the review"
    )
    assert refusal.remedy == "plan again and review the new plan"


def test_every_refusal_is_given_in_order() -> None:
    warnings = (PlanWarning(None, "new_group", "group 'A' is new"),)
    plan = _plan(creates=101, updates=4, employees=1, existing=10, warnings=warnings)
    found = refusals(plan, config().safety, checksum="sha256:" + "0" * 64)
    assert [type(r) for r in found] == [
        SuspiciousSourceError,
        TooManyUpdatesError,
        TooManyCreatesError,
        NewGroupError,
        ChecksumMismatchError,
    ]


def test_an_adoption_across_groups_is_refused_without_force_and_names_it() -> None:
    ledgy = state(
        *[s for s in _in_step(12).stakeholders if s.identifier != "person1@acme.test"],
        stakeholder(99, identifier=None, name="Person 1", group="Advisors"),
    )
    conf = config(adoption={"groups": "any"})
    plan = build_plan([employee(n) for n in range(12)], ledgy, conf, key=SANDBOX_KEY)
    (refusal,) = refusals(plan, conf.safety)
    assert isinstance(refusal, CrossGroupAdoptionError)
    assert refusal.message == (
        "the plan adopts by name 1 stakeholder(s) from groups this config does not manage: "
        "sh_0099 from Advisors by person1@acme.test"
    )
    assert refusal.remedy == (
        "review the plan; if it is right, apply it with --force if each is the same person; "
        "otherwise pin the right match in stakeholders.matches or narrow "
        "stakeholders.adoption.groups"
    )


def test_a_pinned_match_across_groups_is_a_decision_not_a_risk() -> None:
    ledgy = state(
        *[s for s in _in_step(12).stakeholders if s.identifier != "person1@acme.test"],
        stakeholder(99, identifier=None, name="Someone", group="Advisors"),
    )
    pin = {"employee": "person1@acme.test", "stakeholder": "sh_0099"}
    conf = config(matches=[pin])
    plan = build_plan([employee(n) for n in range(12)], ledgy, conf, key=SANDBOX_KEY)
    assert [c.stakeholder_id for c in plan.changes if c.pinned] == ["sh_0099"]
    assert refusals(plan, conf.safety) == []

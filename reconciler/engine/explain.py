"""Why the plan does what it does for one person. Pure; no side effect.

Every rule with its result, the leaver policy, how the employee matched a
stakeholder, the mapped values, and the resulting action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import PlanKey
from reconciler.engine.desired import Outcome, desired_state, field_sources, personal_fields
from reconciler.engine.match import Pair, match
from reconciler.engine.record import NO_RECORD, Recorded
from reconciler.engine.rules import RuleResult, evaluate
from reconciler.engine.values import Change, Conflict, Orphan, Skip


@dataclass(frozen=True)
class Explanation:
    """Everything the engine decided about one identifier."""

    identifier: str
    employee: Employee | None
    rules: tuple[RuleResult, ...] = ()
    terminated_action: str = "sync"
    outcome: Outcome | None = None
    matched: str = ""
    change: Change | None = None
    skip: Skip | None = None
    orphan: Orphan | None = None
    personal: frozenset[str] = frozenset()
    namesakes: int = 0
    conflicts: tuple[Conflict, ...] = ()
    """Values of this person edited in Ledgy, and what their policy makes of them."""


def find_employee(employees: Sequence[Employee], identifier: str) -> Employee | None:
    """The employee with this work email (case-insensitive) or CharlieHR id."""
    wanted = identifier.strip().casefold()
    return next(
        (
            e
            for e in employees
            if (e.work_email or "").strip().casefold() == wanted or e.id == identifier
        ),
        None,
    )


def explain(
    identifier: str,
    employees: Sequence[Employee],
    state: TargetState,
    config: Config,
    recorded: Recorded = NO_RECORD,
    *,
    key: PlanKey,
) -> Explanation:
    """Explain the plan's decision for one employee (or orphaned stakeholder), with the
    record of applied values the plan reads and the run's key (the record's digests are
    keyed with it)."""
    people = config.stakeholders
    plan = build_plan(employees, state, config, key=key, recorded=recorded)
    employee = find_employee(employees, identifier)
    wanted = ((employee.work_email if employee else None) or identifier).strip().casefold()
    orphan = next((o for o in plan.orphaned if o.identifier.casefold() == wanted), None)
    if employee is None:
        return Explanation(identifier, None, orphan=orphan)
    outcomes = desired_state(employees, people)
    mine = next(o for o in outcomes if o.employee.id == employee.id)
    matching = match(outcomes, state.stakeholders, people)
    pair = next((p for p in matching.pairs if p.outcome.employee.id == employee.id), None)
    skip = mine.skip or next((s for s in matching.skips if s.employee_id == employee.id), None)
    return Explanation(
        identifier=mine.identifier or identifier,
        employee=employee,
        rules=tuple(evaluate(people.sync_if, employee)),
        terminated_action=people.terminated.action,
        outcome=mine,
        matched=_how(pair, skip),
        change=next((c for c in plan.changes if c.identifier.casefold() == wanted), None),
        skip=skip,
        orphan=orphan,
        personal=personal_fields(field_sources(people)),
        conflicts=tuple(c for c in plan.conflicts if c.identifier.casefold() == wanted),
    )


def _how(pair: Pair | None, skip: Skip | None) -> str:
    if skip is not None:
        return f"not matched: {skip.reason}"
    stakeholder_id = pair.current.id if pair and pair.current else None
    if pair is not None and pair.pinned:
        return f"pinned in stakeholders.matches: stakeholder {stakeholder_id or 'new'}"
    if pair is None or stakeholder_id is None:
        return "no stakeholder has this identifier or name: a new stakeholder"
    if pair.from_group is not None:
        return (
            f"adopted by name across groups (high risk): stakeholder {stakeholder_id} in "
            f"{pair.from_group} had no identifier and the same name"
        )
    if pair.adopted:
        return f"adopted by name: stakeholder {stakeholder_id} had no identifier and the same name"
    return f"by identifier: stakeholder {stakeholder_id}"

"""What a pull request's config change does, apart from HR changes pending anyway. Pure.

Both plans are computed on the same HR and Ledgy data, read once: the PR's config
against the base branch's. What differs is this PR's own effect (who enters or
leaves the sync, which values it maps differently); what both plans share is HR
churn that would be applied whatever the PR says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.desired import desired_state
from reconciler.engine.plan import Plan
from reconciler.engine.record import NO_RECORD
from reconciler.engine.values import Change


@dataclass(frozen=True)
class Effect:
    """The PR's own effect, and the changes both configs would make."""

    enters: tuple[str, ...]
    leaves: tuple[tuple[str, str], ...]
    """(identifier, why the PR's config skips them)."""
    caused: tuple[Change, ...]
    pending: tuple[Change, ...]
    base_checksum: str | None


def pr_effect(
    employees: Sequence[Employee],
    state: TargetState,
    pr: Config,
    base: Config | None,
    pr_plan: Plan,
) -> Effect:
    """Separate the PR's effect from pending HR changes (``base`` None: a new config)."""
    if base is None:
        synced = sorted(_synced(employees, pr))
        return Effect(tuple(synced), (), pr_plan.changes, (), None)
    # The base config's plan is held to the record the PR's plan read.
    recorded = pr_plan.recorded or NO_RECORD
    base_plan = build_plan(employees, state, base, key=pr_plan.key, recorded=recorded)
    now, before = _synced(employees, pr), _synced(employees, base)
    reasons = {
        o.identifier.casefold(): o.skip.reason
        for o in desired_state(employees, pr.stakeholders)
        if o.identifier and o.skip
    }
    leaves = tuple(sorted((i, reasons.get(i.casefold(), "skipped")) for i in before - now))
    base_changes = {c.identifier.casefold(): c for c in base_plan.changes}
    caused = tuple(c for c in pr_plan.changes if base_changes.get(c.identifier.casefold()) != c)
    pending = tuple(c for c in pr_plan.changes if base_changes.get(c.identifier.casefold()) == c)
    return Effect(tuple(sorted(now - before)), leaves, caused, pending, base_plan.checksum)


def _synced(employees: Sequence[Employee], config: Config) -> set[str]:
    return {
        o.identifier
        for o in desired_state(employees, config.stakeholders)
        if o.synced and o.identifier
    }

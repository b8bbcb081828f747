"""What a pull request's config change does, apart from HR changes pending anyway. Pure.

Both plans are computed on the same HR and Ledgy data, read once: the PR's config
against the base branch's, each with the gaps of the HR read as its own config sees
them (a field nobody's record gave is left alone by both, not cleared by one). A
change is *made by this PR* only where the two plans differ:

- a stakeholder only the PR's plan changes (or changes another way: created by one,
  updated by the other) is a change the PR causes;
- a stakeholder both plans change the same way is pending anyway, HR churn that
  would be applied whatever the PR says; where the PR's config sets a field the base
  does not (or drops one, or maps it to another value), that field is the PR's effect
  on a pending change ("adds `custom_fields.Office` to 50 pending creates"), and the
  change still counts as pending, not as made by the PR;
- a stakeholder only the base plan changes is a change the PR prevents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.gaps import Gap
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.desired import desired_state
from reconciler.engine.guards import unread_findings
from reconciler.engine.plan import Plan
from reconciler.engine.record import NO_RECORD
from reconciler.engine.values import Action, Change

Verb = Literal["adds", "drops", "changes"]
VERBS: tuple[Verb, ...] = ("adds", "changes", "drops")
Both = tuple[Change, Change]
"""A pending change as the PR's plan makes it, and as the base's does."""


@dataclass(frozen=True)
class FieldEffect:
    """One field the PR's config sets differently on changes both configs make."""

    field: str
    verb: Verb
    """``adds`` (only the PR's change sets it), ``drops`` (only the base's does) or
    ``changes`` (both do, to different values)."""
    action: Action
    identifiers: tuple[str, ...]
    """Whose pending change it touches, in plan order."""


@dataclass(frozen=True)
class Effect:
    """The PR's own effect, and the changes both configs would make."""

    enters: tuple[str, ...]
    leaves: tuple[tuple[str, str], ...]
    """(identifier, why the PR's config skips them)."""
    caused: tuple[Change, ...]
    """Changes made by this PR: the base config's plan has none like them."""
    pending: tuple[Change, ...]
    """Changes both plans make (their fields may differ, see ``reshaped``)."""
    base_checksum: str | None
    reshaped: tuple[FieldEffect, ...] = ()
    """What the PR does to pending changes, field by field."""
    prevented: tuple[Change, ...] = ()
    """Changes the base config's plan makes and the PR's does not."""


def pr_effect(
    employees: Sequence[Employee],
    state: TargetState,
    pr: Config,
    base: Config | None,
    pr_plan: Plan,
    *,
    gaps: Sequence[Gap] = (),
) -> Effect:
    """Separate the PR's effect from pending HR changes (``base`` None: a new config).

    ``gaps`` are the HR read's gaps (``Reading.gaps``); each config's plan leaves the
    fields it manages among them unchanged, as ``pipeline.plan_from`` does.
    """
    if base is None:
        synced = sorted(_synced(employees, pr))
        return Effect(tuple(synced), (), pr_plan.changes, (), None)
    # The base config's plan is held to the record the PR's plan read.
    recorded = pr_plan.recorded or NO_RECORD
    _, base_gaps = unread_findings(base, gaps)
    base_plan = build_plan(
        employees, state, base, gaps=base_gaps, key=pr_plan.key, recorded=recorded
    )
    now, before = _synced(employees, pr), _synced(employees, base)
    reasons = {
        o.identifier.casefold(): o.skip.reason
        for o in desired_state(employees, pr.stakeholders)
        if o.identifier and o.skip
    }
    leaves = tuple(sorted((i, reasons.get(i.casefold(), "skipped")) for i in before - now))
    base_changes = {_who(c): c for c in base_plan.changes}
    caused: list[Change] = []
    pending: list[Both] = []
    for change in pr_plan.changes:
        other = base_changes.get(_who(change))
        if other is None or other.action != change.action:
            caused.append(change)
        else:
            pending.append((change, other))
    mine = {_who(c): c.action for c in pr_plan.changes}
    left = {i.casefold() for i, _ in leaves}  # said already: they leave the sync
    prevented = tuple(
        c for c in base_plan.changes if mine.get(_who(c)) != c.action and _who(c) not in left
    )
    return Effect(
        tuple(sorted(now - before)),
        leaves,
        tuple(caused),
        tuple(c for c, _ in pending),
        base_plan.checksum,
        _reshaped(pending),
        prevented,
    )


def _reshaped(pairs: Sequence[Both]) -> tuple[FieldEffect, ...]:
    """Per field, verb and action: whose pending change the PR sets differently."""
    found: dict[tuple[str, Verb, Action], list[str]] = {}
    for mine, theirs in pairs:
        new = {f.field: f.new for f in mine.fields}
        old = {f.field: f.new for f in theirs.fields}
        for field in sorted(new.keys() | old.keys()):
            verb: Verb | None = None
            if field not in old:
                verb = "adds"
            elif field not in new:
                verb = "drops"
            elif new[field] != old[field]:
                verb = "changes"
            if verb is not None:
                found.setdefault((field, verb, mine.action), []).append(mine.identifier)
    order = sorted(found, key=lambda k: (k[2] != "create", VERBS.index(k[1]), k[0]))
    return tuple(
        FieldEffect(f, verb, action, tuple(found[f, verb, action])) for f, verb, action in order
    )


def _who(change: Change) -> str:
    return change.identifier.casefold()


def _synced(employees: Sequence[Employee], config: Config) -> set[str]:
    return {
        o.identifier
        for o in desired_state(employees, config.stakeholders)
        if o.synced and o.identifier
    }

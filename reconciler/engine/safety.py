"""Safety: when a plan may not be applied without ``--force``. Pure.

As octoDNS does: too many updates for the number of existing stakeholders. Unlike
octoDNS, the shares apply from the first stakeholder: they are taken of at least
``safety.min_existing`` stakeholders, so a company of five cannot be rewritten
wholesale either. Creates have their own limits (a share and an absolute number):
a dropped ``sync_if`` rule would otherwise add everyone it used to leave out.
Beyond those: a group no Ledgy stakeholder is in yet (a typo moves everyone), a
stakeholder adopted by name from a group the config does not manage (someone
else's record, grants and all, taken over by a namesake), an empty or partial HR
read (which would look like people leaving), and a plan that is not the one
reviewed (checksum).
"""

from __future__ import annotations

from reconciler.config.model import Safety
from reconciler.engine.guards import NEW_GROUP
from reconciler.engine.plan import Plan
from reconciler.engine.what_changed import UNKNOWN
from reconciler.errors import (
    ChecksumMismatchError,
    CrossGroupAdoptionError,
    NewGroupError,
    SuspiciousSourceError,
    TooManyCreatesError,
    TooManyUpdatesError,
    UnsafePlanError,
)

FORCE = "review the plan; if it is right, apply it with --force"


def refusals(plan: Plan, safety: Safety, *, checksum: str | None = None) -> list[UnsafePlanError]:
    """Every reason the plan is unsafe to apply (empty when it is safe)."""
    checks = (
        _source_refusal(plan, safety),
        _updates_refusal(plan, safety),
        _creates_refusal(plan, safety),
        _group_refusal(plan),
        _adoption_refusal(plan),
        _checksum_refusal(plan, checksum),
    )
    return [refusal for refusal in checks if refusal is not None]


def _source_refusal(plan: Plan, safety: Safety) -> UnsafePlanError | None:
    employees, identified = plan.counts.employees, plan.counts.identified
    if employees == 0:
        return SuspiciousSourceError(
            "CharlieHR returned no employees; an empty HR read must never look like everyone left",
            remedy="check the CharlieHR key's permissions; use --force only if the company "
            "has no employees",
        )
    if employees * 100 < safety.min_source_percent * identified:
        return SuspiciousSourceError(
            f"CharlieHR returned {employees} employees, but Ledgy holds {identified} "
            f"stakeholders with an identifier (under safety.min_source_percent, "
            f"{safety.min_source_percent:g}%); a partial HR read must never look like "
            "people leaving",
            remedy="check the CharlieHR key and run again; " + FORCE,
        )
    return None


def _base(plan: Plan, safety: Safety) -> int:
    """The number the shares are taken of: existing stakeholders, at least min_existing."""
    return max(plan.counts.stakeholders, safety.min_existing)


def _updates_refusal(plan: Plan, safety: Safety) -> UnsafePlanError | None:
    updates, existing, base = len(plan.updates), plan.counts.stakeholders, _base(plan, safety)
    if updates * 100 <= safety.max_update_percent * base:
        return None
    return TooManyUpdatesError(
        f"too many updates: {updates} of {existing} existing stakeholders "
        f"({updates * 100 / base:.1f}%{_of(plan, safety)}) is over "
        f"safety.max_update_percent ({safety.max_update_percent:g}%)",
        remedy=FORCE + ", or raise safety.max_update_percent",
    )


def _creates_refusal(plan: Plan, safety: Safety) -> UnsafePlanError | None:
    creates, existing, base = len(plan.creates), plan.counts.stakeholders, _base(plan, safety)
    if creates > safety.max_creates:
        return TooManyCreatesError(
            f"too many creates: {creates} new stakeholders is over safety.max_creates "
            f"({safety.max_creates}); a dropped sync_if rule or terminated setting adds "
            "everyone it used to leave out",
            remedy=FORCE + " (the first sync of a company creates everyone), or raise "
            "safety.max_creates",
        )
    # With no stakeholder at all there is no share to take: the first sync creates
    # everyone, within max_creates.
    if existing == 0 or creates * 100 <= safety.max_create_percent * base:
        return None
    return TooManyCreatesError(
        f"too many creates: {creates} new stakeholders for {existing} existing "
        f"({creates * 100 / base:.1f}%{_of(plan, safety)}) is over "
        f"safety.max_create_percent ({safety.max_create_percent:g}%)",
        remedy=FORCE + ", or raise safety.max_create_percent",
    )


def _of(plan: Plan, safety: Safety) -> str:
    if plan.counts.stakeholders >= safety.min_existing:
        return ""
    return f" of safety.min_existing, {safety.min_existing}"


def _group_refusal(plan: Plan) -> UnsafePlanError | None:
    new = [w for w in plan.warnings if w.code == NEW_GROUP]
    if not new:
        return None
    lines = "; ".join(w.message for w in new)
    return NewGroupError(
        f"the plan puts stakeholders into a group Ledgy does not have yet: {lines}",
        remedy=FORCE + " if the new group is intended, or fix the group name in the config",
    )


def _adoption_refusal(plan: Plan) -> UnsafePlanError | None:
    taken = [c for c in plan.changes if c.from_group is not None]
    if not taken:
        return None
    shown = "; ".join(
        f"{c.stakeholder_id} from {c.from_group} by {c.identifier}" for c in taken[:10]
    )
    more = f" and {len(taken) - 10} more" if len(taken) > 10 else ""
    return CrossGroupAdoptionError(
        f"the plan adopts by name {len(taken)} stakeholder(s) from groups this config does not "
        f"manage: {shown}{more}",
        remedy=FORCE + " if each is the same person; otherwise pin the right match in "
        "stakeholders.matches or narrow stakeholders.adoption.groups",
    )


def _checksum_refusal(plan: Plan, checksum: str | None) -> UnsafePlanError | None:
    if checksum is None or _bare(checksum) == _bare(plan.checksum):
        return None
    return ChecksumMismatchError(
        f"the plan now has checksum {plan.checksum}, not the reviewed {checksum}; " + UNKNOWN,
        remedy="plan again and review the new plan",
    )


def _bare(checksum: str) -> str:
    return checksum.strip().lower().removeprefix("hmac-sha256:")

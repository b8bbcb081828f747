"""Safety: when a plan may not be applied without ``--force``. Pure.

As octoDNS does: too many updates for the number of existing stakeholders (from a
minimum up). Beyond it: an empty or partial HR read (which would look like people
leaving), and a plan that is not the one reviewed (checksum).
"""

from __future__ import annotations

from reconciler.config.model import Safety
from reconciler.engine.plan import Plan
from reconciler.errors import (
    ChecksumMismatchError,
    SuspiciousSourceError,
    TooManyUpdatesError,
    UnsafePlanError,
)

FORCE = "review the plan; if it is right, apply it with --force"


def refusals(plan: Plan, safety: Safety, *, checksum: str | None = None) -> list[UnsafePlanError]:
    """Every reason the plan is unsafe to apply (empty when it is safe)."""
    checks = (
        _source_refusal(plan, safety),
        _updates_refusal(plan, safety),
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


def _updates_refusal(plan: Plan, safety: Safety) -> UnsafePlanError | None:
    updates, existing = len(plan.updates), plan.counts.stakeholders
    if existing == 0 or existing < safety.min_existing:
        return None
    if updates * 100 <= safety.max_update_percent * existing:
        return None
    return TooManyUpdatesError(
        f"too many updates: {updates} of {existing} existing stakeholders "
        f"({updates * 100 / existing:.1f}%) is over safety.max_update_percent "
        f"({safety.max_update_percent:g}%)",
        remedy=FORCE + ", or raise safety.max_update_percent",
    )


def _checksum_refusal(plan: Plan, checksum: str | None) -> UnsafePlanError | None:
    if checksum is None or _bare(checksum) == _bare(plan.checksum):
        return None
    return ChecksumMismatchError(
        f"the plan now has checksum {plan.checksum}, not the reviewed {checksum}; "
        "HR or Ledgy data changed since the review",
        remedy="plan again and review the new plan",
    )


def _bare(checksum: str) -> str:
    return checksum.strip().lower().removeprefix("hmac-sha256:")

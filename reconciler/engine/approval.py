"""What a reviewer approved, and what an apply may still do with it. Pure.

An approval is the reviewed plan's keyed checksum and, when known, the keyed digest
of each approved change. It comes from a saved plan file, a ``--checksum``, or the
state of a sticky comment. :func:`judge` compares it with the plan computed now:

- the same checksum: apply the plan;
- no changes left: the approved writes have landed (or were never needed);
- every change left is an approved one: apply the rest (resume an interrupted apply);
- anything else: refuse, and say what is not approved.

A plan applies once: when a record says its writes all landed (a receipt on GitHub,
a line of the journal), the verdict is "done" whatever Ledgy holds now. A change made
in Ledgy by hand since is no part of that plan; the next plan shows it for review.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reconciler.domain.json import Json
from reconciler.engine.plan import CHECKSUM_PREFIX, DIGEST_LENGTH, Plan
from reconciler.engine.values import Change
from reconciler.errors import PlanFileError

SAVED_FORMAT = "reconciler-saved-plan"
SAVED_VERSION = 1
CHECKSUM = re.compile(r"(hmac-sha256|sha256):[0-9a-f]{64}")
DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")
UNKEYED = "sha256:"
"""The prefix of checksums made before plans were keyed (never equal to a keyed one)."""


@dataclass(frozen=True)
class Approved:
    """The reviewed plan: its checksum, counts and (when known) each change's digest."""

    checksum: str
    where: str
    """Where the approval was read, for messages (``company.plan.json``, ``--checksum``)."""
    summary: Mapping[str, int] = field(default_factory=dict)
    digests: frozenset[str] | None = None
    """Keyed digests of the approved changes; ``None`` when only the checksum is known."""

    @property
    def writes(self) -> int | None:
        """How many writes were approved, when known."""
        if self.digests is not None:
            return len(self.digests)
        if "create" in self.summary and "update" in self.summary:
            return self.summary["create"] + self.summary["update"]
        return None


Kind = Literal["exact", "resume", "done", "refused"]


@dataclass(frozen=True)
class Verdict:
    """What the apply may do with the plan computed now."""

    kind: Kind
    approved: int | None = None
    """Writes approved (``None`` when only the checksum is known)."""
    remaining: int = 0
    """Writes of the plan now (all approved unless refused)."""
    unapproved: tuple[Change, ...] = ()
    """Changes of the plan now that were not approved (refused only)."""
    recorded: str | None = None
    """Where it is recorded that the plan's writes all landed ("done" only): it is not
    applied again, whatever Ledgy holds now."""
    pending: int = 0
    """Changes in the plan now beside a recorded plan: made since, for a new review."""

    @property
    def landed(self) -> int:
        """Approved writes no longer in the plan: they landed (or are no longer needed)."""
        return max(0, (self.approved or 0) - self.remaining)

    @property
    def message(self) -> str:
        """One line for the log and the receipt."""
        if self.kind == "done" and self.recorded is not None:
            return self._recorded()
        if self.kind == "done":
            if not self.approved:
                return "nothing to apply: Ledgy already matches"
            return f"already applied: all {self.approved} approved writes have landed"
        if self.kind == "resume":
            if self.landed == 0:
                return (
                    "the data moved since the review, but every change still to make was "
                    f"approved: applying the {self.remaining} approved writes"
                )
            return (
                f"resuming: {self.landed} of {self.approved} approved writes had landed; "
                f"applying the other {self.remaining}"
            )
        if self.kind == "exact":
            return "applying the reviewed plan"
        return f"refused: {len(self.unapproved)} change(s) now were not approved"

    def _recorded(self) -> str:
        writes = f"all {self.approved} approved writes" if self.approved else "its writes"
        text = f"already applied: {writes} have landed ({self.recorded}); nothing was written"
        if self.pending:
            text += (
                f". The plan now has {self.pending} change(s): HR or Ledgy changed since "
                "(a change by hand in Ledgy too); they are no part of this plan, and the next "
                "sync pull request or plan shows them for review"
            )
        return text


def judge(approved: Approved, now: Plan, *, landed: str | None = None) -> Verdict:
    """Compare the approval with the plan computed now (see the module docstring);
    ``landed`` names the record that the approved plan's writes all landed."""
    if landed is not None:
        return Verdict("done", approved.writes, 0, recorded=landed, pending=len(now.changes))
    if now.checksum == approved.checksum:
        return Verdict("exact", len(now.changes), len(now.changes))
    if not now.has_changes:
        return Verdict("done", approved.writes, 0)
    if approved.digests is None:
        return Verdict("refused", approved.writes, len(now.changes), now.changes)
    new = tuple(
        c for c, d in zip(now.changes, now.digests, strict=True) if d not in approved.digests
    )
    if new:
        return Verdict("refused", approved.writes, len(now.changes), new)
    return Verdict("resume", approved.writes, len(now.changes))


def check_checksum(text: str, where: str) -> str:
    """A checksum as given, or an error that says it is malformed (not "data changed")."""
    cleaned = text.strip().lower()
    if CHECKSUM.fullmatch(cleaned):
        return cleaned
    hexpart = cleaned.split(":", 1)[-1]
    if re.fullmatch(r"[0-9a-f]+", hexpart) and len(hexpart) < 64:
        problem = f"is truncated ({len(hexpart)} of 64 hex digits)"
    else:
        problem = "is malformed"
    raise PlanFileError(
        f"{where}: the checksum {problem}; expected {CHECKSUM_PREFIX} and 64 hex digits",
        remedy="copy the whole checksum from the plan, or use the saved plan file",
    )


def combined(approvals: Sequence[Approved], where: str) -> Approved:
    """One approval covering every change any of ``approvals`` approved; its checksum is
    the first's (the merge being applied: only its plan can match exactly).

    Counts are summed when no change was approved twice, else left unknown.
    """
    first = approvals[0]
    if len(approvals) == 1:
        return first
    known = [a.digests for a in approvals if a.digests is not None]
    digests = frozenset[str]().union(*known) if len(known) == len(approvals) else None
    summary: dict[str, int] = {}
    if digests is not None and len(digests) == sum(len(d) for d in known):
        for approval in approvals:
            for kind, count in approval.summary.items():
                summary[kind] = summary.get(kind, 0) + count
    return Approved(first.checksum, where, summary, digests)


AGAIN = "proposed_again"
"""The saved plan's key that tells a plan proposed again from the same plan on the base
branch: ``{"after": <pull request>, "because": "refused" | "applied" | "unreviewed"}``."""


def saved_plan(plan: Plan, *, config: str, again: Mapping[str, object] | None = None) -> Json:
    """The saved plan file's data: masked values, keyed checksum, one digest per change,
    and the record of applied values as it stands once the plan is applied (``applied``).

    No timestamp and a stable order, so an unchanged situation saves the same bytes.
    ``again``: the same plan is on the base branch already, but was not applied (merged
    without its approvals) or was applied and Ledgy went back since; the file says so,
    so that a pull request may propose it for a new review (see :data:`AGAIN`).
    """
    data = plan.to_dict()
    changes = [{**c, "digest": d} for c, d in zip(data["changes"], plan.digests, strict=True)]
    saved = {"format": SAVED_FORMAT, "version": SAVED_VERSION, "config": config} | {
        **data,
        "changes": changes,
    }
    record = plan.record
    if record is not None:
        # What the next plans hold Ledgy's values against (engine/record.py): committed
        # with this file, so every run on any runner reads the last merged plan's.
        saved["applied"] = record.to_data()
    if again is not None:
        saved[AGAIN] = dict(again)
    return saved


def same_plan(one: object, other: object) -> bool:
    """Whether two saved plans' data hold the same plan (a plan proposed again is still
    the same plan)."""
    if not isinstance(one, dict) or not isinstance(other, dict):
        return False
    return {k: v for k, v in one.items() if k != AGAIN} == {
        k: v for k, v in other.items() if k != AGAIN
    }


def read_saved(data: object, *, where: str, config: str | None = None) -> Approved:
    """The approval a saved plan file holds; a clear error when it is not one."""
    if not isinstance(data, dict) or data.get("format") != SAVED_FORMAT:
        raise PlanFileError(
            f'{where} is not a saved plan (no "format": "{SAVED_FORMAT}")',
            remedy="write it with `reconciler plan CONFIG --save FILE`",
        )
    if data.get("version") != SAVED_VERSION:
        raise PlanFileError(
            f"{where}: saved plan version {data.get('version')!r} is not {SAVED_VERSION}",
            remedy="plan again with this version of the reconciler",
        )
    if config is not None and data.get("config") != config:
        raise PlanFileError(
            f"{where} is the saved plan of {data.get('config')!r}, not of {config!r}",
            remedy="give the plan file saved for this config",
        )
    checksum = check_checksum(str(data.get("checksum", "")), where)
    changes = data.get("changes")
    if not isinstance(changes, list):
        raise PlanFileError(f'{where}: "changes" is not a list', remedy="plan and save again")
    digests = [c.get("digest") if isinstance(c, dict) else None for c in changes]
    bad = [i for i, d in enumerate(digests) if not isinstance(d, str) or not DIGEST.fullmatch(d)]
    if bad:
        raise PlanFileError(
            f"{where}: change {bad[0] + 1} has no valid digest ({len(bad)} such)",
            remedy="the file was edited or truncated; plan and save again",
        )
    summary = data.get("summary")
    counts = {
        str(k): v
        for k, v in (summary if isinstance(summary, dict) else {}).items()
        if isinstance(v, int)
    }
    return Approved(checksum, where, counts, frozenset(str(d) for d in digests))

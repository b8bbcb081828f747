"""The orchestrator: config -> read both sides -> plan -> (safety) -> apply.

The only module that knows the whole pipeline (octoDNS's Manager). Reading and
writing go through the source and target given; everything between is the pure
engine.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from reconciler.config.load import LoadedConfig
from reconciler.domain.employee import Employee
from reconciler.engine.plan import Plan
from reconciler.engine.record import NO_RECORD, Recorded

__all__ = ["ApplyReport", "Plan", "Reading", "Sides"]
from reconciler.concurrency import all_or_nothing
from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import TargetState
from reconciler.domain.writes import Write, WriteResult
from reconciler.errors import (
    ChecksumMismatchError,
    ConfigError,
    ReconcilerError,
    TargetError,
    UnsafePlanError,
)
from reconciler.sources.base import Gap, Source
from reconciler.targets.base import Target

if TYPE_CHECKING:
    # The planning half of the engine is imported where it is used, once both sides
    # are read: a run's first request need not wait for it (see warm_up in
    # reconciler.commands.plan, which imports it while the reads are in flight).
    from reconciler.engine.approval import Approved, Verdict
    from reconciler.engine.canonical import PlanKey
    from reconciler.engine.memo import PlanMemo
    from reconciler.engine.values import Change
    from reconciler.warmup import Warmup

logger = logging.getLogger(__name__)

Progress = Callable[[WriteResult], None]
Check = Callable[["Reading"], Awaitable[None]]
"""A check of what was read, before it is planned (it raises to stop the run)."""


@dataclass
class Sides:
    """The two systems a run talks to, and how to let go of them."""

    source: Source
    target: Target
    closers: list[Callable[[], object]] = field(default_factory=list)

    async def aclose(self) -> None:
        """Close every client."""
        for close in self.closers:
            result = close()
            if asyncio.iscoroutine(result):
                await result


@dataclass(frozen=True)
class Reading:
    """Both sides as read for one plan."""

    employees: tuple[Employee, ...]
    state: TargetState
    gaps: tuple[Gap, ...] = ()
    """HR fields the source could not read (an endpoint refused); left unsynced."""
    recorded: Recorded = NO_RECORD
    """The record of applied values (the saved plan file next to the config)."""


@dataclass(frozen=True)
class ApplyReport:
    """What an apply did: the plan, each write's result, and what it held back."""

    plan: Plan
    results: tuple[WriteResult, ...] = ()
    held_back: tuple[Write, ...] = ()
    """Writes dropped because their identifier appeared in Ledgy after planning."""
    verdict: Verdict | None = None
    """How the plan now compared with the approved one (``None``: no approval given)."""

    @property
    def failed(self) -> tuple[WriteResult, ...]:
        """The writes that did not land."""
        return tuple(r for r in self.results if not r.ok)


async def preflight(sides: Sides, loaded: LoadedConfig | None = None) -> None:
    """The cheap checks, concurrently, before any long read.

    The CharlieHR credentials (one request), the Ledgy key and company, and (given
    the config) that every custom field it maps into exists: a config error costs
    one round trip instead of a whole read.
    """
    _, custom_fields = await all_or_nothing(sides.source.preflight(), sides.target.preflight())
    if loaded is not None:
        check_field_names(loaded, custom_fields)


async def read(
    sides: Sides,
    loaded: LoadedConfig | None = None,
    *,
    meanwhile: Callable[[], object] | None = None,
    warmup: Warmup | None = None,
) -> Reading:
    """The cheap checks first, then read HR and Ledgy concurrently; with the config, the
    record of applied values next to it too. ``meanwhile`` is called as the long reads
    start (to start work that overlaps the wait); ``warmup`` plans people ahead while
    the last pages arrive (:mod:`reconciler.warmup`)."""
    await preflight(sides, loaded)
    if meanwhile is not None:
        meanwhile()
    if warmup is None:
        employees, state = await all_or_nothing(sides.source.read(), sides.target.read())
    else:
        try:
            employees, state = await all_or_nothing(
                sides.source.read(warmup.offer), _then(sides.target.read(), warmup.ready)
            )
        finally:
            warmup.stop()
    from reconciler.artifacts.applied_record import read_record

    recorded = read_record(loaded.path) if loaded is not None else NO_RECORD
    return Reading(tuple(employees), state, sides.source.gaps, recorded)


async def _then(
    state: Awaitable[TargetState], use: Callable[[TargetState], TargetState]
) -> TargetState:
    return use(await state)


def plan_from(
    loaded: LoadedConfig, reading: Reading, key: PlanKey, memo: PlanMemo | None = None
) -> Plan:
    """Check the config against Ledgy, then compute the plan (pure), keyed by ``key``;
    ``memo``: the people a :class:`~reconciler.warmup.Warmup` planned ahead."""
    from reconciler.engine.build import build_plan
    from reconciler.engine.guards import unread_findings

    check_custom_fields(loaded, reading.state)
    check_raw_keys(loaded, reading.employees)
    check_pins(loaded, reading)
    errors, gaps = unread_findings(loaded.config, reading.gaps)
    if errors:
        raise ConfigError(
            [loaded.problem_at(where, message, hint) for where, message, hint in errors]
        )
    return build_plan(
        reading.employees,
        reading.state,
        loaded.config,
        gaps=gaps,
        key=key,
        recorded=reading.recorded,
        memo=memo,
    )


def check_custom_fields(loaded: LoadedConfig, state: TargetState) -> None:
    """Stop when the config maps into a custom field Ledgy does not have."""
    check_field_names(loaded, state.custom_fields)


def check_field_names(loaded: LoadedConfig, custom_fields: frozenset[str]) -> None:
    """Stop when the config maps into a custom field not among ``custom_fields``."""
    problems = [
        loaded.problem_at(
            ("stakeholders", "custom_fields", index, "to"),
            f"Ledgy has no custom field '{mapping.to}'",
            "create it in Ledgy (Company Settings > Data Management > Custom stakeholder "
            "fields), or fix the name; names must match exactly",
        )
        for index, mapping in enumerate(loaded.config.stakeholders.custom_fields)
        if mapping.to not in custom_fields
    ]
    if problems:
        raise ConfigError(problems)


def check_raw_keys(loaded: LoadedConfig, employees: Sequence[Employee]) -> None:
    """Stop when the config reads a raw key no CharlieHR employee has (a typo blanks all)."""
    from reconciler.engine.guards import missing_raw_keys

    problems = [
        loaded.problem_at(where, message, hint)
        for where, message, hint in missing_raw_keys(loaded.config, employees)
    ]
    if problems:
        raise ConfigError(problems)


def check_pins(loaded: LoadedConfig, reading: Reading) -> None:
    """Stop when a pinned match names a stakeholder or employee that is not there."""
    from reconciler.engine.pins import pin_findings

    found = pin_findings(
        loaded.config.stakeholders.matches, reading.employees, reading.state.stakeholders
    )
    if found:
        raise ConfigError(
            [loaded.problem_at(where, message, hint) for where, message, hint in found]
        )


async def plan(
    loaded: LoadedConfig, sides: Sides, key: PlanKey, check: Check | None = None
) -> Plan:
    """Read both sides, let ``check`` judge what was read, and compute the plan."""
    reading = await read(sides, loaded)
    if check is not None:
        await check(reading)
    return plan_from(loaded, reading, key)


def unsafe(
    plan: Plan, loaded: LoadedConfig, *, checksum: str | None = None
) -> UnsafePlanError | None:
    """Every safety refusal of the plan, as one error (``None`` when it is safe)."""
    from reconciler.engine.safety import refusals

    found = refusals(plan, loaded.config.safety, checksum=checksum)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    message = "the plan is unsafe to apply:\n" + "\n".join(f"  - {e.message}" for e in found)
    return type(found[0])(message, remedy=found[0].remedy)


def writes_of(changes: Sequence[Change]) -> list[Write]:
    """The target writes that carry out plan changes."""
    return [
        Write(c.action, c.identifier, {f.field: f.new for f in c.fields}, c.stakeholder_id)
        for c in changes
    ]


async def apply(
    loaded: LoadedConfig,
    sides: Sides,
    key: PlanKey,
    *,
    approved: Approved | None = None,
    force: bool = False,
    progress: Progress | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    landed: str | None = None,
    check: Check | None = None,
) -> ApplyReport:
    """Plan, hold it against the approval, check safety, re-read Ledgy, then write.

    Only approved changes are written: the whole reviewed plan, or (after an
    interrupted apply) the approved changes still to do. Never creates an existing
    identifier. ``landed`` names the record that the approved plan's writes all
    landed: then nothing is written, whatever Ledgy holds now (unless ``force``).
    ``check`` judges what was read before anything is planned, even with ``force``.
    """
    from reconciler.engine.approval import judge

    current = await plan(loaded, sides, key, check)
    if on_plan is not None:
        on_plan(current)
    recorded = None if force else landed
    verdict = judge(approved, current, landed=recorded) if approved is not None else None
    if verdict is not None and approved is not None and verdict.kind == "refused" and not force:
        raise not_approved(approved, current, verdict)
    if verdict is not None and verdict.kind == "done":
        return ApplyReport(current, verdict=verdict)
    report = await apply_plan(loaded, sides, current, force=force, progress=progress)
    return replace(report, verdict=verdict)


def not_approved(approved: Approved, now: Plan, verdict: Verdict) -> ChecksumMismatchError:
    """The refusal of a plan that holds changes nobody approved."""
    from reconciler.engine.approval import UNKEYED
    from reconciler.engine.what_changed import what_changed

    if approved.checksum.startswith(UNKEYED):
        return ChecksumMismatchError(
            f"the approved checksum ({approved.where}) was made without a plan key, by an "
            "older reconciler, and can never match; this run wrote nothing",
            remedy="plan again, review the new plan, and apply that one",
        )
    if approved.digests is None:
        what = (
            f"the plan now has checksum {now.checksum}, not the approved {approved.checksum} "
            f"({approved.where})"
        )
    else:
        first = verdict.unapproved[0]
        what = (
            f"{len(verdict.unapproved)} change(s) in the plan now were not approved in "
            f"{approved.where} (the first: {first.action} {first.identifier})"
        )
    remedy = "plan again and review the new plan"
    if approved.digests and len(verdict.unapproved) == len(now.changes):
        # Not one change matches: often the same data hashed under another key.
        remedy += (
            f"; if nothing changed, the plan was keyed differently (this run's key comes from "
            f"{now.key.origin}): plan and apply must share RECONCILER_PLAN_KEY or the Ledgy key"
        )
    return ChecksumMismatchError(
        f"{what}; {what_changed(approved, now.fingerprints)}, and this run wrote nothing",
        remedy=remedy,
    )


async def apply_plan(
    loaded: LoadedConfig,
    sides: Sides,
    current: Plan,
    *,
    checksum: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> ApplyReport:
    """Check a computed plan's safety, re-read Ledgy, then write what is still needed."""
    refusal = unsafe(current, loaded, checksum=checksum)
    if refusal is not None and not force:
        raise refusal
    if not current.has_changes:
        return ApplyReport(current)
    writes, held_back = _still_needed(writes_of(current.changes), await sides.target.read())
    results = await sides.target.apply(writes, progress)
    return ApplyReport(current, tuple(results), tuple(held_back))


def _still_needed(writes: list[Write], fresh: TargetState) -> tuple[list[Write], list[Write]]:
    """Drop writes that would give an identifier Ledgy gained since the plan (another writer)."""
    present = {normal_identifier(s.identifier) for s in fresh.stakeholders} - {None}
    keep: list[Write] = []
    held: list[Write] = []
    for write in writes:
        gives = write.action == "create" or "identifier" in write.values
        exists = gives and normal_identifier(write.identifier) in present
        (held if exists else keep).append(write)
        if exists:
            logger.warning("%s appeared in Ledgy after planning; not writing it", write.identifier)
    return keep, held


def failure(report: ApplyReport) -> ReconcilerError | None:
    """The error for writes that did not land, naming who (``None`` when all did)."""
    failed = report.failed
    if not failed:
        return None
    lines = [f"  - {r.write.action} {r.write.identifier}: {r.error}" for r in failed]
    return TargetError(
        f"{len(failed)} of {len(report.results)} writes did not land:\n" + "\n".join(lines),
        remedy="fix the cause and run apply again; it re-reads Ledgy and finishes the rest "
        "without duplicating anyone",
    )


def today() -> date:
    """Today's date (one place, so runs can be pinned with --as-of)."""
    return date.today()

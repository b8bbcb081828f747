"""``reconciler apply``: carry out the plan, if it is safe and the one reviewed."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

from reconciler import reconcile
from reconciler.commands.context import Run, open_run, use_colour
from reconciler.engine.plan import Plan
from reconciler.journal import Journal
from reconciler.reconcile import ApplyReport
from reconciler.render.text import render_text
from reconciler.targets.base import WriteResult


async def _apply(run: Run, journal: Journal, *, checksum: str | None, force: bool) -> ApplyReport:
    sides = run.sides()
    color = use_colour(None)

    def show(plan: Plan) -> None:
        sys.stdout.write(render_text(plan, color=color))
        if plan.has_changes:
            journal.start(plan)

    def record(result: WriteResult) -> None:
        journal.record(result)

    try:
        return await reconcile.apply(
            run.loaded, sides, checksum=checksum, force=force, progress=record, on_plan=show
        )
    finally:
        await sides.aclose()


def apply(
    config: Path,
    *,
    sandbox: Path | None = None,
    checksum: str | None = None,
    force: bool = False,
    as_of: date | None = None,
    journal: Path | None = None,
) -> int:
    """Apply the plan; exit 1 when it is refused or some writes do not land."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    log = Journal(journal or run.default_journal())
    try:
        report = asyncio.run(_apply(run, log, checksum=checksum, force=force))
    finally:
        saved = run.sandbox.save() if run.sandbox is not None else None
    if not report.plan.has_changes:
        print("Nothing to apply.")
        return 0
    written = sum(1 for r in report.results if r.ok)
    log.end(written, len(report.failed))
    _summary(report, log)
    if run.sandbox is not None:
        print(
            f"sandbox state saved to {saved}"
            if saved
            else "built-in sandbox: nothing saved (use --sandbox DIR to keep state)"
        )
    error = reconcile.failure(report)
    if error is not None:
        raise error
    return 0


def _summary(report: ApplyReport, log: Journal) -> None:
    created = sum(1 for r in report.results if r.ok and r.write.action == "create")
    updated = sum(1 for r in report.results if r.ok and r.write.action == "update")
    print(
        f"Applied: {created} created, {updated} updated, {len(report.failed)} failed; "
        f"journal {log.path}"
    )
    for write in report.held_back:
        print(f"  held back: {write.identifier} appeared in Ledgy after planning (another writer)")

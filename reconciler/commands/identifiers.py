"""``reconciler identifiers export|import``: give hand-made stakeholders their identifier."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

from reconciler import concurrency, pipeline
from reconciler.artifacts.journal import Journal
from reconciler.artifacts.review_workbook import read_review, write_review
from reconciler.commands.context import Run, open_run, use_colour, write_output
from reconciler.commands.plan import Format, read_once, render
from reconciler.engine.identifiers import assignment_plan, check_assignments, proposals
from reconciler.errors import ReconcilerError


def export(
    config: Path, out: Path, *, sandbox: Path | None = None, as_of: date | None = None
) -> int:
    """Write the review workbook of stakeholders without an identifier."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    reading = concurrency.run(read_once(run))
    found = proposals(reading.state, reading.employees)
    write_review(found, out)
    kinds = Counter(p.kind for p in found)
    counts = (
        f"{kinds['unique']} unique, {kinds['ambiguous']} ambiguous, {kinds['none']} without a match"
    )
    print(f"wrote {out}: {len(found)} stakeholders without an identifier ({counts})")
    return 0


def import_(
    config: Path,
    review: Path,
    *,
    sandbox: Path | None = None,
    output_format: Format = "text",
    out: Path | None = None,
    apply: bool = False,
    checksum: str | None = None,
    force: bool = False,
    as_of: date | None = None,
) -> int:
    """Plan the reviewed identifiers; with ``apply``, apply that plan like any other."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    rows = read_review(review)

    async def go() -> int:
        sides = run.sides()
        try:
            reading = await pipeline.read(sides)
            problems = check_assignments(rows, reading.state, reading.employees)
            if problems:
                raise ReconcilerError(
                    f"{review}: {len(problems)} row(s) cannot be applied:\n"
                    + "\n".join(f"  - {p}" for p in problems),
                    remedy="correct or clear those Identifier cells and import again",
                )
            plan = assignment_plan(
                rows, reading.state, reading.employees, run.loaded.config, key=run.key
            )
            write_output(render(plan, output_format, show_values=False, color=use_colour(out)), out)
            if not apply:
                refusal = pipeline.unsafe(plan, run.loaded)
                if refusal is not None:
                    raise refusal
                return 0
            return await _apply(run, sides, plan, checksum=checksum, force=force)
        finally:
            await sides.aclose()

    try:
        return concurrency.run(go())
    finally:
        if apply and run.sandbox is not None:
            run.sandbox.save()


async def _apply(
    run: Run, sides: pipeline.Sides, plan: pipeline.Plan, *, checksum: str | None, force: bool
) -> int:
    log = Journal(run.default_journal())
    log.start(plan)
    try:
        report = await pipeline.apply_plan(
            run.loaded, sides, plan, checksum=checksum, force=force, progress=log.record
        )
    except ReconcilerError as refusal:
        log.end("refused", refusal.message)
        raise
    written = sum(1 for r in report.results if r.ok)
    summary = f"{written} written, {len(report.failed)} failed"
    log.end(
        "incomplete" if report.failed else "applied",
        summary,
        written=written,
        failed=len(report.failed),
    )
    print(
        f"Identifiers set: {written}, failed: {len(report.failed)}; journal {log.path}",
        file=sys.stderr,
    )
    error = pipeline.failure(report)
    if error is not None:
        raise error
    return 0

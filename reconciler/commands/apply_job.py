"""One apply run, as ``apply`` and its two ways in share it: by hand, and from the
merged pull request (:mod:`reconciler.commands.manual`,
:mod:`reconciler.commands.apply_merged`).

It shows the plan, asks for ``yes`` when it must, records every write in the
journal and, with ``--format json --out``, writes the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, TaskID

from reconciler import pipeline
from reconciler.artifacts.journal import Journal
from reconciler.commands.confirm import confirm
from reconciler.commands.context import Run, use_colour, write_output
from reconciler.commands.siblings import refuse_shared_people
from reconciler.domain.writes import WriteResult
from reconciler.engine.approval import Approved
from reconciler.engine.plan import Plan
from reconciler.pipeline import ApplyReport
from reconciler.render.apply_result import render_apply_result
from reconciler.render.text import render_text
from reconciler.targets.base import PreparingTarget


class ApplyJob:
    """One apply run: its plan as printed, its journal, its outcome."""

    def __init__(self, run: Run, journal: Journal) -> None:
        self.run = run
        self.journal = journal
        self.plan: Plan | None = None
        self.result: Path | None = None
        self.confirm = False
        """Ask for ``yes`` after showing the plan (a terminal, no reviewed plan)."""
        # A progress bar on a terminal only; CI logs get the journal and the summary.
        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._task: TaskID | None = None
        self.preparer: PreparingTarget | None = None
        self.approved: Approved | None = None
        """What the run held the plan against (``None``: the plan as it is now)."""

    def show(self, plan: Plan) -> None:
        self.plan = plan
        if self.preparer is not None:
            self.preparer.prepare_for(plan)
        sys.stdout.write(render_text(plan, color=use_colour(None)))
        if self.confirm:
            confirm(plan)
        self.journal.start(plan)
        if plan.has_changes and self._bar.console.is_terminal:
            self._task = self._bar.add_task("writing to Ledgy", total=len(plan.changes))
            self._bar.start()

    def write_result(self, outcome: str, message: str, report: ApplyReport | None = None) -> None:
        """With ``--format json --out FILE``, write what the run did there."""
        if self.result is None:
            return
        text = render_apply_result(
            outcome,
            message,
            plan=report.plan if report is not None else self.plan,
            results=report.results if report is not None else (),
            held_back=report.held_back if report is not None else (),
        )
        write_output(text, self.result)

    def record(self, result: WriteResult) -> None:
        self.journal.record(result)
        if self._task is not None:
            self._bar.advance(self._task)

    async def _siblings(self, reading: pipeline.Reading) -> None:
        # An apply plans afresh: people a sibling config of the same Ledgy company would
        # manage are refused here as in `plan`, whatever approved the plan.
        await refuse_shared_people(self.run, reading.employees)

    async def __call__(
        self, *, approved: Approved | None, force: bool, landed: str | None = None
    ) -> ApplyReport:
        """Apply under ``approved``; ``landed`` names the record that its writes all
        landed already (then nothing is written)."""
        sides = self.run.sides()
        if isinstance(sides.target, PreparingTarget):
            self.preparer = sides.target
        self.approved = approved
        try:
            return await pipeline.apply(
                self.run.loaded,
                sides,
                self.run.key,
                approved=approved,
                force=force,
                progress=self.record,
                on_plan=self.show,
                landed=landed,
                check=self._siblings,
            )
        finally:
            self._bar.stop()
            await sides.aclose()

"""``reconciler apply``: carry out the plan, if it is safe and the one reviewed.

With ``--from-pr`` (on a push to main) the reviewed checksum comes from the sticky
comment of the merged pull request; the apply happens only if the plan computed
now has that checksum. Either way the pull request is told what happened.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, TaskID

from reconciler import reconcile
from reconciler.commands.context import Run, open_run, use_colour
from reconciler.engine.plan import Plan
from reconciler.errors import ChecksumMismatchError, GitHubError, UnsafePlanError
from reconciler.github.actions import write_summary
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext, actions_context
from reconciler.github.publish import (
    client_for,
    merged_pull,
    post_comparison,
    post_receipt,
    reviewed,
)
from reconciler.journal import Journal
from reconciler.reconcile import ApplyReport
from reconciler.render.comment import CommentState, receipt
from reconciler.render.text import render_text
from reconciler.targets.base import PreparingTarget
from reconciler.writes import WriteResult


class _Apply:
    """One apply run: its plan as printed, its journal, its outcome."""

    def __init__(self, run: Run, journal: Journal) -> None:
        self.run = run
        self.journal = journal
        self.plan: Plan | None = None
        # A progress bar on a terminal only; CI logs get the journal and the summary.
        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._task: TaskID | None = None
        self.preparer: PreparingTarget | None = None

    def show(self, plan: Plan) -> None:
        self.plan = plan
        if self.preparer is not None:
            self.preparer.label_upload(plan.checksum)
        sys.stdout.write(render_text(plan, color=use_colour(None)))
        if plan.has_changes:
            self.journal.start(plan)
            if self._bar.console.is_terminal:
                self._task = self._bar.add_task("writing to Ledgy", total=len(plan.changes))
                self._bar.start()

    def record(self, result: WriteResult) -> None:
        self.journal.record(result)
        if self._task is not None:
            self._bar.advance(self._task)

    async def __call__(self, *, checksum: str | None, force: bool) -> ApplyReport:
        sides = self.run.sides()
        if isinstance(sides.target, PreparingTarget):
            self.preparer = sides.target
        try:
            return await reconcile.apply(
                self.run.loaded,
                sides,
                checksum=checksum,
                force=force,
                progress=self.record,
                on_plan=self.show,
            )
        finally:
            self._bar.stop()
            await sides.aclose()


def apply(
    config: Path,
    *,
    sandbox: Path | None = None,
    checksum: str | None = None,
    force: bool = False,
    as_of: date | None = None,
    journal: Path | None = None,
    from_pr: bool = False,
) -> int:
    """Apply the plan; exit 1 when it is refused or some writes do not land."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    job = _Apply(run, Journal(journal or run.default_journal()))
    try:
        if from_pr:
            report = asyncio.run(_from_pr(job, config.as_posix(), force=force))
        else:
            report = asyncio.run(job(checksum=checksum, force=force))
    finally:
        saved = run.sandbox.save() if run.sandbox is not None else None
    return _finish(report, job, run, saved)


def _finish(report: ApplyReport | None, job: _Apply, run: Run, saved: Path | None) -> int:
    if report is None or not report.plan.has_changes:
        print("Nothing to apply.")
        return 0
    written = sum(1 for r in report.results if r.ok)
    job.journal.end(written, len(report.failed))
    # A target that only prepares files (Ledgy's workbook driver) wrote nothing to
    # Ledgy: say what it prepared and what a person must do, never "Applied".
    prepared = job.preparer.prepared_report() if job.preparer is not None else None
    if prepared is not None:
        print("\n".join(prepared))
        return 0
    created = sum(1 for r in report.results if r.ok and r.write.action == "create")
    print(
        f"Applied: {created} created, {written - created} updated, {len(report.failed)} failed; "
        f"journal {job.journal.path}"
    )
    for write in report.held_back:
        print(f"  held back: {write.identifier} appeared in Ledgy after planning (another writer)")
    if run.sandbox is not None:
        print(
            f"sandbox state saved to {saved}"
            if saved
            else "built-in sandbox: nothing saved (use --sandbox-dir DIR to keep state)"
        )
    error = reconcile.failure(report)
    if error is not None:
        raise error
    return 0


async def _from_pr(job: _Apply, key: str, *, force: bool) -> ApplyReport | None:
    ctx = actions_context()
    if ctx.sha is None:
        raise GitHubError(
            "--from-pr needs GITHUB_SHA, the pushed commit", remedy="run it on push to main"
        )
    async with client_for(ctx) as client:
        pull = await merged_pull(client, ctx.sha)
        if pull is None and not force:
            raise GitHubError(
                f"commit {ctx.sha[:12]} is not the merge of a pull request; nothing was applied",
                remedy="merge config changes through pull requests, or run the apply workflow "
                "by hand with force",
            )
        number = int(pull["number"]) if pull is not None else None
        state = (
            (await reviewed(client, number, key)).state if number is not None else CommentState()
        )
        if state.checksum is None and not force:
            raise GitHubError(
                f"pull request #{number} has no reviewed plan for {key}; nothing was applied",
                remedy="the plan workflow must comment on the pull request before it is merged",
            )
        return await _apply_reviewed(job, client, ctx, number, key, state, force=force)


async def _apply_reviewed(
    job: _Apply,
    client: GitHubClient,
    ctx: ActionsContext,
    number: int | None,
    key: str,
    state: CommentState,
    *,
    force: bool,
) -> ApplyReport:
    try:
        report = await job(checksum=state.checksum, force=force)
    except ChecksumMismatchError:
        if number is not None and job.plan is not None:
            await post_comparison(client, ctx, number, key=key, state=state, now=job.plan)
        raise
    except UnsafePlanError as refusal:
        if number is not None:
            await client.create_comment(
                number, f"⛔ **Not applied** for `{key}`: {refusal.message}"
            )
        raise
    if report.plan.has_changes:
        results = list(report.results)
        write_summary(
            ctx.step_summary,
            receipt(key, report.plan.checksum, results, run_url=ctx.run_url, forced=force),
        )
        if number is not None:
            await post_receipt(
                client,
                ctx,
                number,
                key=key,
                checksum=report.plan.checksum,
                results=results,
                forced=force,
            )
    return report

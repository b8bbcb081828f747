"""``reconciler apply``: carry out the approved plan, if it is safe.

The approval is a saved plan file (``--plan``), a checksum (``--checksum``), or,
with ``--from-pr`` on a push to main, what the merged pull request approved. The
plan computed now is held against it (:func:`reconciler.engine.approval.judge`):
only approved changes are written, so an interrupted apply resumes without a new
review, and a finished one reports "already applied". Every run ends its journal
record with its outcome.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from reconciler import concurrency, pipeline
from reconciler.artifacts.journal import Journal, Outcome
from reconciler.commands.apply_job import ApplyJob
from reconciler.commands.apply_merged import apply_merge
from reconciler.commands.confirm import needs_confirmation
from reconciler.commands.context import Run, open_run
from reconciler.commands.manual import actor, apply_by_hand
from reconciler.commands.plan_file import load_saved_data
from reconciler.engine.approval import Approved, Verdict, check_checksum, read_saved
from reconciler.engine.what_changed import with_inputs
from reconciler.errors import (
    NotApprovedError,
    PlanFileError,
    ReconcilerError,
    TargetError,
    UnsafePlanError,
)
from reconciler.pipeline import ApplyReport
from reconciler.render.comment import ByHand
from reconciler.render.escape import term
from reconciler.render.pending import not_in_step


def apply(
    config: Path,
    *,
    sandbox: Path | None = None,
    checksum: str | None = None,
    plan_file: Path | None = None,
    force: bool = False,
    reason: str | None = None,
    as_of: date | None = None,
    journal: Path | None = None,
    from_pr: bool = False,
    auto_approve: bool = False,
    result: Path | None = None,
) -> int:
    """Apply the approved plan; exit 1 when it is refused or some writes do not land.

    ``force`` goes around the approval rule, the approved-plan check and the safety
    limits, and needs a ``reason``. Every apply that is not an approved merge's leaves
    a receipt (:mod:`reconciler.commands.manual`). ``result`` names a file for the JSON
    result (``--format json --out``).
    """
    if force and not (reason or "").strip():
        raise NotApprovedError(
            "--force needs --reason: a forced apply says who forced it and why",
            remedy='add --reason "why this plan must be applied without its approval"',
        )
    ask = needs_confirmation(
        reviewed=bool(plan_file or checksum or from_pr),
        auto_approve=auto_approve,
        sandbox=sandbox is not None,
    )
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    job = ApplyJob(run, Journal(journal or run.default_journal()))
    job.confirm = ask
    job.result = result
    saved: Path | None = None
    try:
        how = _how(plan_file, checksum, from_pr=from_pr, force=force)
        if from_pr:
            by = ByHand(actor(), how, reason) if force else None
            report = concurrency.run(apply_merge(job, config, force=force, by=by))
        else:
            approved = approval(config, plan_file=plan_file, checksum=checksum)
            by = ByHand(actor(), how, reason)
            report = concurrency.run(apply_by_hand(job, config, approved, force=force, by=by))
    except ReconcilerError as error:
        job.journal.end(_refusal_outcome(error), error.message)
        job.write_result(_refusal_outcome(error), error.message)
        raise
    except KeyboardInterrupt:
        job.journal.end("interrupted", "stopped by the user; apply again to finish")
        raise
    except Exception as error:  # a bug: still end the record, then let the handler report
        job.journal.end("failed", f"unexpected error ({type(error).__name__})")
        raise
    finally:
        saved = run.sandbox.save() if run.sandbox is not None else None
    return finish(report, job, run, saved)


def _how(plan_file: Path | None, checksum: str | None, *, from_pr: bool, force: bool) -> str:
    """The options that named the plan, as a receipt says them."""
    given = "--from-pr" if from_pr else "the plan as it is now"
    if plan_file is not None:
        given = f"--plan {plan_file.as_posix()}"
    elif checksum is not None:
        given = "--checksum"
    return given + (" --force" if force else "")


def approval(config: Path, *, plan_file: Path | None, checksum: str | None) -> Approved | None:
    """What ``--plan`` or ``--checksum`` approved (``None`` when neither is given)."""
    if plan_file is not None:
        return read_plan_file(plan_file, config=config.as_posix())
    if checksum is not None:
        return Approved(check_checksum(checksum, "--checksum"), "--checksum")
    return None


def read_plan_file(path: Path, *, config: str) -> Approved:
    """The approval a saved plan file holds; a clear error when it cannot be read, or is
    a plan as ``plan`` prints it rather than a saved one."""
    data = load_saved_data(path)
    return with_inputs(read_saved(data, where=str(path), config=config), data)


def _refusal_outcome(error: ReconcilerError) -> Outcome:
    if isinstance(error, TargetError):
        return "incomplete"
    if isinstance(error, UnsafePlanError | PlanFileError | NotApprovedError):
        return "refused"
    return "failed"


def outcome_of(report: ApplyReport) -> tuple[Outcome, str]:
    """The journal's last word on a run that got to apply (or to nothing to do)."""
    verdict = report.verdict
    if verdict is not None and verdict.kind == "done":
        done = verdict.approved or verdict.recorded is not None
        kind: Outcome = "already-applied" if done else "nothing-to-apply"
        return kind, verdict.message
    if not report.plan.has_changes:
        if report.plan.pending:  # the workbook driver: prepared before, not uploaded yet
            waiting = report.plan.awaiting_upload
            return "nothing-to-apply", f"nothing new to prepare: {waiting} awaiting upload"
        return "nothing-to-apply", "nothing to apply: Ledgy already matches"
    written = sum(1 for r in report.results if r.ok)
    summary = f"{written} written, {len(report.failed)} failed"
    if report.failed:
        return "incomplete", summary
    if verdict is not None and verdict.kind == "resume":
        return "resumed", f"{verdict.message}; {summary}"
    return "applied", summary


def finish(report: ApplyReport | None, job: ApplyJob, run: Run, saved: Path | None) -> int:
    """Print what the run did, end the journal record, raise for writes that failed."""
    if report is None:
        job.journal.end("nothing-to-apply", "nothing to apply")
        job.write_result("nothing-to-apply", "nothing to apply")
        print("Nothing to apply.")
        return 0
    outcome, message = outcome_of(report)
    written = sum(1 for r in report.results if r.ok)
    if _landed_now(report, job):
        job.journal.landed(job.approved.checksum if job.approved else report.plan.checksum)
    job.journal.end(outcome, message, written=written, failed=len(report.failed))
    job.write_result(outcome, message, report)
    _say(report.verdict)
    if report.plan.pending and not report.plan.has_changes:
        print(not_in_step(report.plan).replace("(below)", "(the plan above)"))
    if outcome == "already-applied":
        print(f"Already applied: {message.removeprefix('already applied: ')}.")
        return 0
    if not report.plan.has_changes:
        print("Nothing to apply.")
        return 0
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
        who = term(write.identifier or "")
        print(f"  held back: {who} appeared in Ledgy after planning (another writer)")
    if run.sandbox is not None:
        print(
            f"sandbox state saved to {saved}"
            if saved
            else "built-in sandbox: nothing saved (use --sandbox-dir DIR to keep state)"
        )
    error = pipeline.failure(report)
    if error is not None:
        raise error
    return 0


def _landed_now(report: ApplyReport, job: ApplyJob) -> bool:
    """Whether this run leaves every write of its plan landed, and says so first: not a
    run that found a record of it, nor one that only prepared files, nor one that
    failed a write or had nothing to do."""
    verdict = report.verdict
    if verdict is not None and verdict.kind == "done":
        return verdict.recorded is None and bool(verdict.approved)
    prepared = job.preparer.prepared_report() if job.preparer is not None else None
    return report.plan.has_changes and not report.failed and prepared is None


def _say(verdict: Verdict | None) -> None:
    if verdict is not None and verdict.kind == "resume":
        print(verdict.message, file=sys.stderr)

"""``apply --from-pr``: on a push to main, apply what the merged pull request approved.

The approval is read only from a trusted place (:mod:`reconciler.commands.approved`):
the saved plan file as the merge commit holds it, when the merge changed that file (the
sync pull request); otherwise the sticky plan comment of the merged pull request
written by the workflow's own identity. The merged pull request must also carry the
approving reviews ``safety.required_approvals`` asks for, as the base branch's config
says (never the pull request's own), counted by :mod:`reconciler.github.reviews`; the
run reads and writes at the base branch's endpoints, with its safety limits.

A plan applies once: when the pull request already has a receipt saying its plan
landed in full (a re-run of the workflow), the run writes nothing, whatever Ledgy holds
now. Earlier approved merges whose own apply did not run or did not finish are applied
with this one (:mod:`reconciler.commands.backlog`).

Whatever happens, the pull request is told: the receipt, the "approved vs now"
comparison, or why nothing was applied. A forced run says loudly who forced it, why,
and what it skipped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from reconciler.artifacts.journal import landed_at
from reconciler.commands.apply_job import ApplyJob
from reconciler.commands.approved import merged_approval
from reconciler.commands.backlog import Backlog, find_backlog, post_receipts
from reconciler.commands.repository import repo_path
from reconciler.commands.rules import Guard, approval, guard_of, merge_base
from reconciler.config.keys import key_of
from reconciler.engine.approval import Approved
from reconciler.errors import (
    ChecksumMismatchError,
    GitHubError,
    NotApprovedError,
    UnsafePlanError,
)
from reconciler.github.actions import write_summary
from reconciler.github.answers import Said, answers, landed, moment
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext, actions_context
from reconciler.github.models import PullRequest
from reconciler.github.publish import (
    client_for,
    drift_issue_for_receipts,
    merged_pull,
    post_comparison,
    post_note,
    post_receipt,
)
from reconciler.pipeline import ApplyReport
from reconciler.render.backlog import already_applied, with_earlier
from reconciler.render.comment import ByHand, by_hand_lines, receipt
from reconciler.render.escape import md_code, md_text


async def apply_merge(
    job: ApplyJob, config: Path, *, force: bool, by: ByHand | None = None
) -> ApplyReport | None:
    """Find the merged pull request of the pushed commit and apply what it approved.

    The rules it is judged by, and the endpoints the run reads and writes, are the
    base branch's as they were just before the merge (:mod:`reconciler.commands.rules`).
    ``by`` says who forced it by hand, and why.
    """
    ctx = actions_context()
    key = key_of(config)
    if ctx.sha is None:
        raise GitHubError(
            "--from-pr needs GITHUB_SHA, the pushed commit", remedy="run it on push to main"
        )
    async with client_for(ctx) as client:
        pull = await merged_pull(client, ctx.sha)
        if pull is None and not force:
            raise NotApprovedError(
                f"commit {ctx.sha[:12]} is not the merge of a pull request; nothing was applied",
                remedy="merge config changes through pull requests, or run the apply workflow "
                "by hand with force and a reason",
            )
        number = pull.number if pull is not None else None
        skipped: list[str] = []
        merge = Merge(number, None)
        if pull is not None and number is not None:
            pull = await client.pull(number)  # the whole object: its commits, its merge time
            guard = await merged_guard(client, ctx, pull, job, config)
            job.run.loaded = guard.judged(job.run.loaded)
            own = await merged_approval(client, ctx, pull, config, sha=str(ctx.sha))
            skipped += await _check(client, ctx, pull, key, own is None, guard, force=force)
            merge = Merge(number, own)
            if own is not None and not force:
                merge = await _owed(client, ctx, pull, job, config, own)
        if force:
            await _say_forced(client, ctx, number, key, skipped, by)
        if by is not None:
            by = replace(by, unapproved=tuple(skipped))
        return await _apply_approved(job, client, ctx, merge, key, force=force, by=by)


@dataclass(frozen=True)
class Merge:
    """The merge being applied: its pull request, what it approved, the record that it
    landed already, and the earlier merges applied with it."""

    number: int | None
    own: Approved | None
    landed: str | None = None
    backlog: Backlog = field(default_factory=Backlog)

    @property
    def approved(self) -> Approved | None:
        """What the plan now is held against: its approval and the owed merges'; only
        theirs once its own plan has landed (a plan applies once)."""
        if self.own is None:
            return None
        return self.backlog.approval(None if self.landed else self.own) or self.own

    @property
    def recorded(self) -> str | None:
        """The record that the plan landed, when nothing else is owed: nothing to do."""
        return None if self.backlog.owed else self.landed


async def _owed(
    client: GitHubClient,
    ctx: ActionsContext,
    pull: PullRequest,
    job: ApplyJob,
    config: Path,
    own: Approved,
) -> Merge:
    """The record that this merge's plan landed already (a re-run), and the earlier
    merges to apply with it."""
    number = pull.number
    said = answers(await client.comments(number), key_of(config), bot=ctx.bot)
    found = landed(said, own.checksum)
    where = found.where if found is not None else None
    if where is None:
        at = landed_at(job.journal.path, own.checksum, since=moment(pull.merged_at))
        where = f"the journal {job.journal.path} of {at.isoformat()}" if at else None
    return Merge(number, own, where, await find_backlog(client, ctx, pull, config))


async def merged_guard(
    client: GitHubClient, ctx: ActionsContext, pull: PullRequest, job: ApplyJob, config: Path
) -> Guard:
    """The merged config held against the base branch's as it was before the merge."""
    before = ctx.before if pull.merge_commit_sha == ctx.sha else None
    sha = await merge_base(client, pull, before=before)
    path = repo_path(config)
    found = await client.get_file(path, sha) if sha else None
    where = f"{path} at {sha[:12]}" if sha else path
    local = True if job.run.sandbox is not None else None
    guard = guard_of(job.run.loaded, found.text if found is not None else None, where, local=local)
    for change in guard.changes:
        print(
            f"#{pull.number} changes {change.key} ({change.base} -> {change.proposed}); "
            "the base branch's value applies to this merge",
            file=sys.stderr,
        )
    return guard


async def _check(
    client: GitHubClient,
    ctx: ActionsContext,
    pull: PullRequest,
    key: str,
    unreviewed: bool,
    guard: Guard,
    *,
    force: bool,
) -> list[str]:
    """Refuse (and tell the PR) what the approval rule does not allow; with force, list it."""
    number = pull.number
    problems = []
    if unreviewed:
        problems.append(f"#{number} has no reviewed plan for `{key}`")
    found = await approval(client, pull, guard.rules, bot=ctx.bot)
    short = found.problem(number)
    if short is not None:
        own = [c for c in guard.changes if c.key == "safety.required_approvals"]
        if own:
            short += f" (its own `required_approvals: {own[0].proposed}` counts only after it)"
        problems.append(short)
    if problems and not force:
        message = "; ".join(problems) + "; nothing was applied"
        text = f"⛔ **Not applied**: {message}."
        await post_note(client, number, key=key, text=text, said=Said("refused"))
        raise NotApprovedError(
            message.replace("`", ""),
            remedy="review and approve the pull request's plan before merging; to apply anyway, "
            "a maintainer runs the apply workflow by hand with force",
        )
    return problems


async def _say_forced(
    client: GitHubClient,
    ctx: ActionsContext,
    number: int | None,
    key: str,
    skipped: list[str],
    by: ByHand | None,
) -> None:
    """A forced run says loudly, on the PR and in the summary, who forced it, why, and
    what it skipped."""
    checks = [*skipped, "the check that the plan now is the approved one", "the safety limits"]
    who = " ".join(by_hand_lines(replace(by, unapproved=()))) if by is not None else ""
    text = (
        f"⚠️ **Forced apply for `{key}`**, started by hand with `force`. {who} It skips: "
        + "; ".join(checks)
        + ". Everything it writes is in the receipt and the journal."
    )
    print(text.replace("**", ""), file=sys.stderr)
    write_summary(ctx.step_summary, text + "\n")
    if number is not None:
        await post_note(client, number, key=key, text=text)


async def _apply_approved(
    job: ApplyJob,
    client: GitHubClient,
    ctx: ActionsContext,
    merge: Merge,
    key: str,
    *,
    force: bool,
    by: ByHand | None = None,
) -> ApplyReport:
    number, approved = merge.number, merge.approved
    try:
        report = await job(approved=approved, force=force, landed=merge.recorded)
    except ChecksumMismatchError:
        if number is not None and job.plan is not None and approved is not None:
            await post_comparison(client, ctx, number, key=key, approved=approved, now=job.plan)
        raise
    except UnsafePlanError as refusal:
        if number is not None:
            text = f"⛔ **Not applied** for `{key}`: {refusal.message}"
            checksum = merge.own.checksum if merge.own is not None else None
            await post_note(client, number, key=key, text=text, said=Said("refused", checksum))
        raise
    verdict = report.verdict
    if verdict is not None and verdict.kind == "done":
        if verdict.recorded is None:  # nothing left to write: say so, once
            await _say_done(job, client, ctx, merge, key, report)
        return report
    prepared = job.preparer.prepared_report() if job.preparer is not None else None
    if report.plan.has_changes and prepared is not None:
        # The workbook driver wrote nothing to Ledgy: the receipt says where the
        # (encrypted) upload folder is and what an admin must do, never "Applied".
        text = prepared_receipt(key, report.plan.checksum, prepared, run_url=ctx.run_url)
        write_summary(ctx.step_summary, text)
        if number is not None:
            said = Said("prepared", report.plan.checksum)
            await post_note(client, number, key=key, text=text, said=said)
        return report
    if report.plan.has_changes:
        await _receipts(job, client, ctx, merge, key, report, force=force, by=by)
    return report


async def _receipts(
    job: ApplyJob,
    client: GitHubClient,
    ctx: ActionsContext,
    merge: Merge,
    key: str,
    report: ApplyReport,
    *,
    force: bool,
    by: ByHand | None,
) -> None:
    """The receipt in the job summary and on the pull request (forced with none: the
    drift issue), then one on each earlier merge applied with it."""
    number = merge.number
    results = list(report.results)
    owed = [o.number for o in merge.backlog.owed]
    context = [with_earlier(owed)] if owed else []
    write_summary(
        ctx.step_summary,
        receipt(
            key,
            report.plan.checksum,
            results,
            run_url=ctx.run_url,
            forced=force,
            verdict=report.verdict,
            by=by,
            context=context,
        ),
    )
    where = number
    if where is None and by is not None:  # forced with no pull request: the drift issue
        where = await drift_issue_for_receipts(client, ctx, key=key)
    if where is not None:
        await post_receipt(
            client,
            ctx,
            where,
            key=key,
            checksum=report.plan.checksum,
            results=results,
            forced=force,
            verdict=report.verdict,
            by=by,
            recorded=merge.own.checksum if merge.own is not None else None,
            context=context,
        )
    if number is not None:
        await _backlog_receipts(job, client, ctx, merge, key, report, number)


async def _backlog_receipts(
    job: ApplyJob,
    client: GitHubClient,
    ctx: ActionsContext,
    merge: Merge,
    key: str,
    report: ApplyReport,
    number: int,
) -> None:
    landed_now = await post_receipts(
        client,
        ctx,
        merge.backlog,
        key=key,
        current=number,
        plan=report.plan,
        results=list(report.results),
    )
    for checksum in landed_now:
        job.journal.landed(checksum)


async def _say_done(
    job: ApplyJob,
    client: GitHubClient,
    ctx: ActionsContext,
    merge: Merge,
    key: str,
    report: ApplyReport,
) -> None:
    """The approved plan had landed already (by hand, or another run): the pull request
    gets a note that says so and records it; so do the earlier merges applied with it."""
    own = merge.own
    if merge.number is None or own is None:
        return
    if own.writes and merge.landed is None:
        text = already_applied(key, own.checksum, own.writes)
        await post_note(client, merge.number, key=key, text=text, said=Said("landed", own.checksum))
    await _backlog_receipts(job, client, ctx, merge, key, report, merge.number)


def prepared_receipt(key: str, checksum: str, report: list[str], *, run_url: str | None) -> str:
    """The merged PR's note when apply only prepared files for an admin to upload."""
    where = f" in the artifacts of [this run]({run_url})" if run_url else ""
    lines = [
        f"📦 **Prepared for upload, not applied**: plan {md_code(checksum)} for "
        f"{md_code(key)}. Nothing was written to Ledgy; the encrypted folder is{where}.",
        "",
        *(f"- {md_text(line.strip())}" for line in report),
    ]
    return "\n".join(lines)

"""``apply --from-pr``: on a push to main, apply what the merged pull request approved.

The approval is read only from a trusted place: the sticky plan comment of the
merged pull request written by the workflow's own identity (a comment by anyone
else carrying the marker is ignored, and the run says so). Whatever happens, the
pull request is told: the receipt, the "approved vs now" comparison, or why
nothing was applied.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reconciler.commands.apply import ApplyJob
from reconciler.engine.approval import Approved
from reconciler.errors import ChecksumMismatchError, GitHubError, NotApprovedError, UnsafePlanError
from reconciler.github.actions import write_summary
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext, actions_context
from reconciler.github.publish import (
    client_for,
    merged_pull,
    post_comparison,
    post_note,
    post_receipt,
    reviewed,
)
from reconciler.reconcile import ApplyReport
from reconciler.render.comment import receipt


async def apply_merge(job: ApplyJob, config: Path, *, force: bool) -> ApplyReport | None:
    """Find the merged pull request of the pushed commit and apply what it approved."""
    ctx = actions_context()
    key = config.as_posix()
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
                "by hand with force",
            )
        number = int(pull["number"]) if pull is not None else None
        approved = await _approval(client, ctx, number, key) if number is not None else None
        if approved is None and not force:
            message = f"pull request #{number} has no reviewed plan for {key}; nothing was applied"
            if number is not None:
                await post_note(client, number, key=key, text=f"⛔ **Not applied**: {message}.")
            raise NotApprovedError(
                message,
                remedy="the plan workflow must comment on the pull request before it is merged",
            )
        return await _apply_approved(job, client, ctx, number, key, approved, force=force)


async def _approval(
    client: GitHubClient, ctx: ActionsContext, number: int, key: str
) -> Approved | None:
    sticky = await reviewed(client, ctx, number, key)
    if sticky.ignored:
        print(
            f"ignored {sticky.ignored} comment(s) on #{number} that carry the plan marker but "
            f"were not written by {ctx.bot}",
            file=sys.stderr,
        )
    return sticky.state.approved(f"the plan comment of #{number}")


async def _apply_approved(
    job: ApplyJob,
    client: GitHubClient,
    ctx: ActionsContext,
    number: int | None,
    key: str,
    approved: Approved | None,
    *,
    force: bool,
) -> ApplyReport:
    try:
        report = await job(approved=approved, force=force)
    except ChecksumMismatchError:
        if number is not None and job.plan is not None and approved is not None:
            await post_comparison(client, ctx, number, key=key, approved=approved, now=job.plan)
        raise
    except UnsafePlanError as refusal:
        if number is not None:
            text = f"⛔ **Not applied** for `{key}`: {refusal.message}"
            await post_note(client, number, key=key, text=text)
        raise
    if report.plan.has_changes:
        results = list(report.results)
        write_summary(
            ctx.step_summary,
            receipt(
                key,
                report.plan.checksum,
                results,
                run_url=ctx.run_url,
                forced=force,
                verdict=report.verdict,
            ),
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
                verdict=report.verdict,
            )
    return report

"""An apply started by hand: the approval rule of a merge, and a receipt. No silent path.

``apply --checksum`` and ``apply --plan`` name a plan. When a pull request showed that
plan (the checksum is in the sticky plan comment the workflow wrote on it, or in the
body of a sync pull request the workflow opened), the run holds it to the rule a merge
is held to: the pull request was merged, with the approving reviews the base branch's
rules ask for (:mod:`reconciler.commands.rules`). Otherwise nothing is applied and the
pull request is told, unless ``--force`` with a ``--reason``.

Every apply that did not come from an approved merge leaves a receipt: who started
it, how, why, and what it wrote (counts and the checksum, never a value), on the pull
request the plan came from, else on the drift issue. Without GitHub credentials (a
run on a laptop) the receipt goes to the journal and stdout, and the run says that
GitHub could not be told.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reconciler.artifacts.journal import landed_at
from reconciler.commands.apply_job import ApplyJob
from reconciler.commands.repository import branch_of, repo_path
from reconciler.commands.rules import approval, merge_base, rules_at
from reconciler.config.keys import key_of
from reconciler.engine.approval import Approved
from reconciler.errors import GitHubError, NotApprovedError
from reconciler.github.actions import write_summary
from reconciler.github.answers import answers, landed, moment
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext, actions_context
from reconciler.github.publish import (
    client_for,
    drift_issue_for_receipts,
    post_note,
    post_receipt,
)
from reconciler.github.sticky import plan_marker, read_state, sync_marker
from reconciler.pipeline import ApplyReport
from reconciler.render.comment import ByHand, by_hand_lines, receipt
from reconciler.render.escape import md_code

MOST_COMMENTS = 1000
"""Comments looked through for a plan's checksum, the most recently updated first: a
plan comment is edited on every push, so a plan still worth applying is among them."""


@dataclass(frozen=True)
class Origin:
    """A pull request that showed the plan, and where."""

    number: int
    where: str
    """``its plan comment`` or ``its body (the sync pull request)``."""
    latest: bool = True
    """Whether it is the pull request's latest plan (the one its reviews approve)."""


def actor(environ: Mapping[str, str] | None = None) -> str:
    """Who runs this: GITHUB_ACTOR in Actions, else the local user's name."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_ACTOR"):
        return env["GITHUB_ACTOR"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this container
        return "an unknown local user"


def github_or_none() -> ActionsContext | None:
    """The GitHub context, or ``None`` without GitHub credentials (a local run)."""
    try:
        return actions_context()
    except GitHubError:
        return None


async def apply_by_hand(
    job: ApplyJob, config: Path, approved: Approved | None, *, force: bool, by: ByHand
) -> ApplyReport:
    """Apply what ``approved`` names (``None``: the plan as it is now), under the rule."""
    recorded = None if approved is None or force else _in_journal(job, approved.checksum, None)
    if job.run.sandbox is not None:  # no real company: nothing to guard or tell
        return await job(approved=approved, force=force, landed=recorded)
    ctx = github_or_none()
    if ctx is None:
        report = await job(approved=approved, force=force, landed=recorded)
        _tell_locally(job, key_of(config), report, force=force, by=by)
        return report
    async with client_for(ctx) as client:
        origin, by = await _held_to_the_rule(client, ctx, config, approved, force=force, by=by)
        if approved is not None and not force:
            recorded = await _landed(client, ctx, job, key_of(config), approved, origin)
        report = await job(approved=approved, force=force, landed=recorded)
        await _tell(client, ctx, job, key_of(config), report, origin, force=force, by=by)
        return report


async def _landed(
    client: GitHubClient,
    ctx: ActionsContext,
    job: ApplyJob,
    key: str,
    approved: Approved,
    origin: Origin | None,
) -> str | None:
    """Where it is recorded that the plan landed in full since it was approved (the
    merge of the pull request it came from, if any): a receipt on GitHub, which every
    runner sees, else this machine's journal."""
    since = ((await client.pull(origin.number)).merged_at or "") if origin else None
    found = answers(await client.recent_comments(most=MOST_COMMENTS), key, bot=ctx.bot)
    answer = landed(found, approved.checksum, since=since, on=origin.number if origin else None)
    if answer is not None:
        return answer.where
    return _in_journal(job, approved.checksum, moment(since))


def _in_journal(job: ApplyJob, checksum: str, since: datetime | None) -> str | None:
    at = landed_at(job.journal.path, checksum, since=since)
    return f"the journal {job.journal.path} of {at.isoformat()}" if at is not None else None


async def _held_to_the_rule(
    client: GitHubClient,
    ctx: ActionsContext,
    config: Path,
    approved: Approved | None,
    *,
    force: bool,
    by: ByHand,
) -> tuple[Origin | None, ByHand]:
    """The pull request the plan came from, and what keeps it from being an approved
    merge's; refuse (and tell the pull request) unless forced."""
    if approved is None:
        return None, by
    try:
        found = await origins(client, ctx, key_of(config), approved.checksum)
        judged = [(origin, await problems(client, ctx, config, origin)) for origin in found]
    except GitHubError as error:
        if not force:
            raise
        print(
            f"warning: could not ask GitHub where the plan came from: {error.message}",
            file=sys.stderr,
        )
        return None, by
    fine = [origin for origin, said in judged if not said]
    if fine:
        return fine[-1], by  # the newest approved merge of the plan
    unapproved = tuple(p for _, said in judged for p in said)
    if judged and not force:
        await _refuse(client, key_of(config), approved, judged, by)
    return (judged[0][0] if judged else None), replace(by, unapproved=unapproved)


async def origins(
    client: GitHubClient, ctx: ActionsContext, key: str, checksum: str
) -> list[Origin]:
    """The pull requests that showed the plan ``checksum`` of config ``key``.

    Only what the workflow's own identity wrote counts: a comment or body by anyone
    else that quotes the checksum neither blocks nor approves an apply.
    """
    found: dict[int, Origin] = {}
    marker = plan_marker(key) + "\n"
    for comment in await client.recent_comments(most=MOST_COMMENTS):
        number = comment.number
        if number is None or comment.user.login != ctx.bot or not comment.body.startswith(marker):
            continue
        state = read_state(comment.body)
        shown = {r.checksum for r in state.revisions} | {state.checksum}
        if checksum in shown:
            found.setdefault(number, Origin(number, "its plan comment", state.checksum == checksum))
    for pull in await client.pulls(head=branch_of(key), state="all"):
        body = pull.body
        if (
            pull.user.login == ctx.bot
            and body.startswith(sync_marker(key) + "\n")
            and checksum in body
        ):
            found.setdefault(pull.number, Origin(pull.number, "its body (the sync pull request)"))
    return sorted(found.values(), key=lambda origin: origin.number)


async def problems(
    client: GitHubClient, ctx: ActionsContext, config: Path, origin: Origin
) -> list[str]:
    """Why the plan is not an approved merge's (empty: it is)."""
    number = origin.number
    if not origin.latest:
        return [f"it is an earlier plan of #{number}, not the one its reviews are for"]
    pull = await client.pull(number)
    if not pull.merged:
        state = "open" if pull.state == "open" else "closed without a merge"
        return [f"#{number} is {state}: only a merged pull request's plan is applied"]
    rules = await rules_at(client, repo_path(config), await merge_base(client, pull))
    short = (await approval(client, pull, rules, bot=ctx.bot)).problem(number)
    return [short] if short is not None else []


async def _refuse(
    client: GitHubClient,
    key: str,
    approved: Approved,
    judged: list[tuple[Origin, list[str]]],
    by: ByHand,
) -> None:
    said = "; ".join(p for _, found in judged for p in found)
    shown = ", ".join(f"#{origin.number} ({origin.where})" for origin, _ in judged)
    who = " ".join(by_hand_lines(by))
    for origin, found in judged:
        text = (
            f"⛔ **Not applied**: an apply of this pull request's plan for {md_code(key)} "
            f"({md_code(approved.checksum)}) by hand was refused: {'; '.join(found)}. {who}"
        )
        await post_note(client, origin.number, key=key, text=text)
    raise NotApprovedError(
        f"{approved.where} names the plan shown on {shown}, which is not an approved merge's: "
        f"{said}; nothing was applied",
        remedy="approve and merge the pull request (the apply on merge applies it); to apply "
        'anyway, a maintainer runs apply with --force --reason "why"',
    )


async def _tell(
    client: GitHubClient,
    ctx: ActionsContext,
    job: ApplyJob,
    key: str,
    report: ApplyReport,
    origin: Origin | None,
    *,
    force: bool,
    by: ByHand,
) -> None:
    """Post the receipt: on the pull request the plan came from, else the drift issue."""
    if not _wrote(job, report):
        return
    number = (
        origin.number
        if origin is not None
        else await drift_issue_for_receipts(client, ctx, key=key)
    )
    results = list(report.results)
    await post_receipt(
        client,
        ctx,
        number,
        key=key,
        checksum=report.plan.checksum,
        results=results,
        forced=force,
        verdict=report.verdict,
        by=by,
        recorded=job.approved.checksum if job.approved is not None else None,
    )
    job.journal.receipt(actor=by.actor, how=by.how, reason=by.reason, told=f"#{number}")
    write_summary(
        ctx.step_summary,
        receipt(key, report.plan.checksum, results, run_url=ctx.run_url, forced=force, by=by),
    )
    print(f"receipt posted on #{number}", file=sys.stderr)


def _tell_locally(job: ApplyJob, key: str, report: ApplyReport, *, force: bool, by: ByHand) -> None:
    """No GitHub credentials: the receipt goes to the journal and stdout, and the run
    says GitHub could not be told."""
    if not _wrote(job, report):
        return
    job.journal.receipt(actor=by.actor, how=by.how, reason=by.reason, told=None)
    written = sum(1 for r in report.results if r.ok)
    forced = " (forced)" if force else ""
    print(
        f"Receipt{forced}: {by.actor} applied plan {report.plan.checksum} for {key} by hand "
        f"with {by.how} ({written} written, {len(report.failed)} failed); reason: "
        f"{by.reason or 'none given'}."
    )
    print(
        "GitHub could not be told (no GITHUB_TOKEN and GITHUB_REPOSITORY here): no pull "
        "request or drift issue has this receipt; it is in the journal "
        f"{job.journal.path}.",
        file=sys.stderr,
    )


def _wrote(job: ApplyJob, report: ApplyReport) -> bool:
    """Whether the run tried a write to Ledgy (not only prepared files, not nothing)."""
    prepared = job.preparer.prepared_report() if job.preparer is not None else None
    return bool(report.results) and prepared is None

"""Earlier approved merges that no apply answered, applied with this merge's plan.

GitHub keeps at most one pending run per concurrency group and cancels the pending
one when another queues
(https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs),
so of three quick merges the middle one's apply never runs; a run may also fail before
it answers. So the apply on a merge looks back, newest first, over the merges in the
base branch's history up to the pushed commit (its last :data:`MOST_COMMITS` commits)
for the pull requests of this config (:func:`reconciler.commands.approved.of_config`)
that no apply answered, or whose apply did not finish (a receipt with failed writes;
:mod:`reconciler.github.answers`). It stops at the newest one an apply answered in
full: that run looked further back itself. A merge refused before (a "Not applied"
note) is never tried again.

Oldest first, each is judged as its own run would have judged it: its own approved
plan, its own base branch's rules, its own approving reviews. The approved ones join
this merge's approval: the plan now is the effect of every merged config, and each of
its changes must be one that this merge or one of them approved
(:func:`reconciler.engine.approval.combined`). The others are told why on their pull
request, once (the note answers them). Each applied one gets a receipt with its share
of the writes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from reconciler.commands.approved import merged_approval, of_config
from reconciler.commands.repository import repo_path
from reconciler.commands.rules import approval, merge_base, rules_at
from reconciler.config.keys import key_of
from reconciler.domain.writes import WriteResult
from reconciler.engine.approval import Approved, combined
from reconciler.engine.plan import Plan
from reconciler.errors import NotApprovedError, PlanFileError
from reconciler.github.answers import Said, answers, status
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.models import Comment, PullRequest
from reconciler.github.publish import post_note, post_receipt
from reconciler.render.backlog import applied_by, refused_earlier

MOST_COMMITS = 100
"""How far back an apply on merge looks: the base branch's last 100 commits (one page
of GitHub's commit list), and the 100 most recently updated closed pull requests."""


@dataclass(frozen=True)
class Owed:
    """An earlier approved merge of this config whose plan has not landed in full."""

    number: int
    approved: Approved


@dataclass(frozen=True)
class Backlog:
    """The earlier merges applied with this one (oldest first), and those refused now."""

    owed: tuple[Owed, ...] = ()
    refused: tuple[int, ...] = ()

    def approval(self, own: Approved | None) -> Approved | None:
        """This merge's approval (``None``: left out, its plan landed already) together
        with the owed merges'; ``own`` when none is owed."""
        if not self.owed:
            return own
        numbers = ", ".join(f"#{o.number}" for o in self.owed)
        where = f"the approved plans of the earlier merges {numbers}"
        if own is not None:
            where = f"{own.where} and {where}"
        mine = [own] if own is not None else []
        return combined([*mine, *(o.approved for o in self.owed)], where)


async def find_backlog(
    client: GitHubClient, ctx: ActionsContext, pull: PullRequest, config: Path
) -> Backlog:
    """The earlier merges of this config to apply with ``pull``'s; the unapproved ones
    are told why on their pull request now."""
    key = key_of(config)
    waiting = await _unanswered(client, ctx, pull, key)
    owed: list[Owed] = []
    refused: list[int] = []
    for earlier, comments in reversed(waiting):  # oldest first
        number = earlier.number
        found, why = await _judged(client, ctx, earlier, config, comments)
        if found is not None and not found.writes:
            continue  # nothing was approved to write: nothing owed, nothing to say
        if found is not None and why is None:
            owed.append(Owed(number, found))
            print(
                f"#{number} was merged with its approvals, but its apply did not run or did "
                f"not finish: its approved plan is applied with #{pull.number}'s",
                file=sys.stderr,
            )
            continue
        text = refused_earlier(key, pull.number, why or "no reviewed plan")
        checksum = found.checksum if found is not None else None
        await post_note(client, number, key=key, text=text, said=Said("refused", checksum))
        print(
            f"#{number} was merged, never applied, and is not applied now: {why}", file=sys.stderr
        )
        refused.append(number)
    return Backlog(tuple(owed), tuple(refused))


async def _unanswered(
    client: GitHubClient, ctx: ActionsContext, pull: PullRequest, key: str
) -> list[tuple[PullRequest, list[Comment]]]:
    """The earlier merges of config ``key`` still owed an answer, newest first, each
    with its comments."""
    history = await client.history(str(ctx.sha), most=MOST_COMMITS)
    place = {sha: n for n, sha in enumerate(history)}
    base = pull.base_ref or None
    closed = await client.pulls(base=base, state="closed", sort="updated", most=MOST_COMMITS)
    merged = [
        p for p in closed if p.merged and p.number != pull.number and p.merge_commit_sha in place
    ]
    merged.sort(key=lambda p: place[str(p.merge_commit_sha)])
    waiting = []
    for earlier in merged:
        comments = await client.comments(earlier.number)
        if not of_config(earlier, comments, key, bot=ctx.bot):
            continue
        state = status(answers(comments, key, bot=ctx.bot), None)
        if state in ("landed", "answered"):
            break  # answered in full: that run looked further back itself
        if state in ("unanswered", "incomplete"):
            waiting.append((earlier, comments))
    return waiting


async def _judged(
    client: GitHubClient,
    ctx: ActionsContext,
    pull: PullRequest,
    config: Path,
    comments: list[Comment],
) -> tuple[Approved | None, str | None]:
    """An earlier merge's approved plan, and why it may not be applied (``None``: it may),
    as its own run would have judged it."""
    number = pull.number
    try:
        found = await merged_approval(
            client, ctx, pull, config, sha=str(pull.merge_commit_sha), comments=comments
        )
    except (NotApprovedError, PlanFileError) as error:
        return None, error.message
    if found is None:
        return None, f"#{number} has no reviewed plan for `{key_of(config)}`"
    if found.digests is None:
        return found, (
            f"the plan comment of #{number} records no change digests (too many changes), so "
            "its changes cannot be told apart from this merge's"
        )
    full = await client.pull(number)  # its commits and its head, which the reviews are on
    rules = await rules_at(client, repo_path(config), await merge_base(client, full))
    short = (await approval(client, full, rules, bot=ctx.bot)).problem(number)
    return found, short


def share(plan: Plan, results: list[WriteResult], approved: Approved) -> list[WriteResult]:
    """The results of the writes that carry out changes ``approved`` approved."""
    digests = approved.digests or frozenset()
    mine = {
        (change.action, change.identifier.casefold())
        for change, digest in zip(plan.changes, plan.digests, strict=True)
        if digest in digests
    }
    return [r for r in results if (r.write.action, (r.write.identifier or "").casefold()) in mine]


async def post_receipts(
    client: GitHubClient,
    ctx: ActionsContext,
    backlog: Backlog,
    *,
    key: str,
    current: int,
    plan: Plan,
    results: list[WriteResult],
) -> list[str]:
    """A receipt on each owed merge: its share of the writes; complete only when no
    write of the run failed (then a later run does not stop at this one). Returns the
    checksums that landed in full."""
    complete = all(r.ok for r in results)
    landed = []
    for owed in backlog.owed:
        await post_receipt(
            client,
            ctx,
            owed.number,
            key=key,
            checksum=owed.approved.checksum,
            results=share(plan, results, owed.approved),
            forced=False,
            recorded=owed.approved.checksum,
            complete=complete,
            context=applied_by(current, complete=complete),
        )
        if complete:
            landed.append(owed.approved.checksum)
    return landed

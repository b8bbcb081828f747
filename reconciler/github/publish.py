"""What a run posts on GitHub: the sticky plan comment, the drift issue, receipts.

The visible bodies come from :mod:`reconciler.render.comment`, the hidden lines from
:mod:`reconciler.github.sticky`; this module finds the right pull request, comment
or issue and writes to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from reconciler.domain.writes import WriteResult
from reconciler.engine.approval import Approved, Verdict
from reconciler.engine.effect import Effect
from reconciler.engine.plan import Plan
from reconciler.errors import GitHubError
from reconciler.github.answers import Said, outcome_line, with_outcome
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.drift import DRIFT_LABEL, drift_issues, ensure_drift_label
from reconciler.github.models import Comment, Issue, PullRequest
from reconciler.github.sticky import (
    CommentState,
    Sticky,
    drift_marker,
    find_sticky,
    next_state,
    plan_marker,
    receipt_marker,
    room_for,
    upsert_sticky,
    with_marker,
)
from reconciler.render.comment import (
    ByHand,
    comparison,
    drift_issue,
    drift_opened_for_receipts,
    drift_resolved,
    plan_comment,
    receipt,
    unplanned_comment,
)


def client_for(ctx: ActionsContext) -> GitHubClient:
    """A client for the run's repository and API (GitHub Enterprise included)."""
    return GitHubClient(ctx.api_url, ctx.token, ctx.repository)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M")


def pull_number(ctx: ActionsContext) -> int:
    """The pull request of a ``pull_request`` event."""
    number = ctx.pull_number
    if number is None:
        raise GitHubError(
            f"--comment needs a pull request, but the event is {ctx.event_name or 'unknown'}",
            remedy="run plan --comment on pull_request events only",
        )
    return number


def sticky_body(
    plan: Plan,
    previous: CommentState,
    *,
    key: str,
    at: str,
    sha: str | None,
    effect: Effect | None = None,
    refusal: str | None = None,
    run_url: str | None = None,
    approvals: int = 1,
    rules: str | None = None,
) -> str:
    """The whole sticky comment: marker, what reviewers see, and the next state."""
    state = next_state(plan, previous, at=at, sha=sha)
    marker = plan_marker(key)
    visible = plan_comment(
        plan,
        key=key,
        revisions=state.revisions,
        effect=effect,
        refusal=refusal,
        run_url=run_url,
        approvals=approvals,
        rules=rules,
        limit=room_for(marker, state),
    )
    return with_marker(marker, visible, state)


async def publish_plan(
    client: GitHubClient,
    ctx: ActionsContext,
    plan: Plan,
    *,
    key: str,
    effect: Effect | None,
    refusal: str | None,
    approvals: int = 1,
    rules: str | None = None,
) -> Comment:
    """Upsert the sticky plan comment on the event's pull request."""
    number = pull_number(ctx)

    def body(previous: CommentState) -> str:
        return sticky_body(
            plan,
            previous,
            key=key,
            at=_now(),
            sha=ctx.head_sha,
            effect=effect,
            refusal=refusal,
            run_url=ctx.run_url,
            approvals=approvals,
            rules=rules,
        )

    return await upsert_sticky(client, number, key, body, bot=ctx.bot)


async def publish_unplanned(
    client: GitHubClient, ctx: ActionsContext, *, key: str, rules: str
) -> Comment:
    """Upsert the sticky comment of a pull request that was not planned: the rules, no
    plan, and a state without a checksum (an earlier revision's no longer counts)."""
    number = pull_number(ctx)
    marker = plan_marker(key)

    def body(previous: CommentState) -> str:
        state = CommentState(previous.revisions)
        visible = unplanned_comment(
            key,
            rules,
            revisions=state.revisions,
            run_url=ctx.run_url,
            limit=room_for(marker, state),
        )
        return with_marker(marker, visible, state)

    return await upsert_sticky(client, number, key, body, bot=ctx.bot)


async def publish_drift(
    client: GitHubClient,
    ctx: ActionsContext,
    plan: Plan,
    *,
    key: str,
    sync_url: str | None = None,
) -> Issue | None:
    """Keep one open drift issue up to date; close it when nothing is pending.

    The issue is found by its label or its hidden marker; before one is opened, the
    label is created if the repository lacks it (:mod:`reconciler.github.drift`).
    """
    marker = drift_marker(key)
    mine = await drift_issues(client, marker)
    if plan.in_step:  # a prepared upload not in Ledgy yet keeps the issue open
        for issue in mine:
            await client.update_issue(
                issue.number,
                body=with_marker(marker, drift_resolved(key, run_url=ctx.run_url)),
                state="closed",
                state_reason="completed",
            )
        return None
    title, visible = drift_issue(
        key, plan, run_url=ctx.run_url, sync_url=sync_url, limit=room_for(marker)
    )
    body = with_marker(marker, visible)
    if mine:
        return await client.update_issue(mine[0].number, title=title, body=body)
    await ensure_drift_label(client)
    return await client.create_issue(title, body, [DRIFT_LABEL])


async def merged_pull(client: GitHubClient, sha: str) -> PullRequest | None:
    """The merged pull request whose merge (or head) commit is ``sha``; never an open one."""
    pulls = await client.pulls_of_commit(sha)
    merged = [p for p in pulls if p.merged]
    exact = [p for p in merged if p.merge_commit_sha == sha]
    found = exact or merged
    return found[0] if found else None


async def reviewed(client: GitHubClient, ctx: ActionsContext, number: int, key: str) -> Sticky:
    """The sticky comment of a pull request written by the workflow's own identity."""
    return await find_sticky(client, number, key, bot=ctx.bot)


async def post_receipt(
    client: GitHubClient,
    ctx: ActionsContext,
    number: int,
    *,
    key: str,
    checksum: str,
    results: list[WriteResult],
    forced: bool,
    verdict: Verdict | None = None,
    by: ByHand | None = None,
    recorded: str | None = None,
    complete: bool | None = None,
    context: Sequence[str] = (),
) -> Comment:
    """Tell the pull request (or, by hand, the drift issue) what the apply did.

    Its outcome line records that the plan ``recorded`` (the approved one; by default
    ``checksum``) landed in full, or not (``complete``; by default, whether every
    write of ``results`` landed; :mod:`reconciler.github.answers`). ``context``: lines
    that say why this run applied it.
    """
    marker = receipt_marker(key)
    whole = all(r.ok for r in results) if complete is None else complete
    said = Said("landed" if whole else "incomplete", recorded or checksum)
    visible = receipt(
        key,
        checksum,
        results,
        run_url=ctx.run_url,
        forced=forced,
        verdict=verdict,
        by=by,
        context=context,
        limit=room_for(marker) - len(outcome_line(said)) - 2,
    )
    return await client.create_comment(number, with_outcome(with_marker(marker, visible), said))


async def drift_issue_for_receipts(client: GitHubClient, ctx: ActionsContext, *, key: str) -> int:
    """The drift issue of ``key``, where an apply with no pull request posts its receipt.

    The open one; else the last closed one (a comment on a closed issue is still its
    history); else a new one, which the next drift run updates or closes.
    """
    marker = drift_marker(key)
    found = await drift_issues(client, marker)
    if not found:
        closed = await client.issues(label=DRIFT_LABEL, state="closed")
        found = [i for i in closed if i.body.startswith(marker + "\n")]
    if found:
        return found[0].number
    await ensure_drift_label(client)
    title, visible = drift_opened_for_receipts(key, run_url=ctx.run_url)
    made = await client.create_issue(title, with_marker(marker, visible), [DRIFT_LABEL])
    return made.number


async def post_note(
    client: GitHubClient, number: int, *, key: str, text: str, said: Said | None = None
) -> Comment:
    """A short receipt-marked note on the pull request: refusals, forced runs; ``said``
    is its outcome (by default a note in passing, no answer)."""
    body = with_marker(receipt_marker(key), text)
    return await client.create_comment(number, with_outcome(body, said or Said("note")))


async def post_comparison(
    client: GitHubClient,
    ctx: ActionsContext,
    number: int,
    *,
    key: str,
    approved: Approved,
    now: Plan,
) -> Comment:
    """Tell the merged pull request why nothing was applied (an answer: refused)."""
    marker = receipt_marker(key)
    said = Said("refused", approved.checksum)
    room = room_for(marker) - len(outcome_line(said)) - 2
    visible = comparison(key, approved, now, run_url=ctx.run_url, limit=room)
    return await client.create_comment(number, with_outcome(with_marker(marker, visible), said))

"""The hidden lines of what the reconciler posts, and the sticky comment they find again.

Every body starts with a marker naming its kind and config (``<!-- reconciler:plan
examples/company.yaml -->``). The sticky plan comment also ends with its state: the
plan revisions, the approved checksum, counts and the keyed digest of each change
(never a value). Only comments written by the workflow's own identity count: a
comment by anyone else that carries the marker is not the reconciler's, and is
neither edited nor trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from reconciler.engine.approval import DIGEST, Approved, check_checksum
from reconciler.engine.plan import Plan
from reconciler.github.client import GitHubClient
from reconciler.github.context import BOT
from reconciler.github.models import Comment
from reconciler.render.comment import LIMIT, Revision

MAX_REVISIONS = 20
STATE_LIMIT = 20_000
"""Past this, the state keeps the checksum and counts but drops the change digests."""
HYPHEN = "\\u002d"
_STATE = re.compile(r"<!-- reconciler:state (.*?) -->", re.S)


def plan_marker(key: str) -> str:
    """The hidden line that identifies the sticky plan comment of one config."""
    return f"<!-- reconciler:plan {key} -->"


def drift_marker(key: str) -> str:
    """The hidden line that identifies the drift issue of one config."""
    return f"<!-- reconciler:drift {key} -->"


def receipt_marker(key: str) -> str:
    """The hidden line of an apply receipt."""
    return f"<!-- reconciler:receipt {key} -->"


def sync_marker(key: str) -> str:
    """The hidden line of the sync pull request of one config."""
    return f"<!-- reconciler:sync {key} -->"


@dataclass(frozen=True)
class CommentState:
    """What a sticky comment remembers between pushes."""

    revisions: tuple[Revision, ...] = ()
    checksum: str | None = None
    summary: dict[str, int] = field(default_factory=dict)
    digests: tuple[str, ...] | None = None
    """The keyed digest of each change of the approved plan; ``None`` if too many."""

    def approved(self, where: str) -> Approved | None:
        """The approval this state records (``None`` when it has no checksum)."""
        if self.checksum is None:
            return None
        checksum = check_checksum(self.checksum, where)
        digests = None if self.digests is None else frozenset(self.digests)
        return Approved(checksum, where, self.summary, digests)


def read_state(body: str) -> CommentState:
    """The state hidden in a comment body (empty state if none or unreadable)."""
    match = _STATE.search(body)
    if match is None:
        return CommentState()
    try:
        raw = json.loads(match.group(1))
        revisions = tuple(Revision(**r) for r in raw.get("revisions", []))
        found = raw.get("digests")
        digests = None if found is None else tuple(str(d) for d in found)
        if digests is not None and not all(DIGEST.fullmatch(d) for d in digests):
            return CommentState(revisions)
        return CommentState(revisions, raw.get("checksum"), dict(raw.get("summary", {})), digests)
    except (ValueError, TypeError, KeyError, AttributeError):
        return CommentState()


def state_line(state: CommentState) -> str:
    """The state as one hidden line; without digests when they would be too long."""
    data: dict[str, object] = {
        "v": 2,
        "checksum": state.checksum,
        "summary": state.summary,
        "revisions": [asdict(r) for r in state.revisions],
    }
    if state.digests is not None:
        data["digests"] = list(state.digests)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    if len(text) > STATE_LIMIT and state.digests is not None:
        lean = CommentState(state.revisions[:5], state.checksum, state.summary, None)
        return state_line(lean)
    # "--" would end the HTML comment; \u002d is the same character to JSON.
    safe = text.replace("--", "-" + HYPHEN)
    return f"<!-- reconciler:state {safe} -->"


def next_state(plan: Plan, previous: CommentState, *, at: str, sha: str | None) -> CommentState:
    """The state after this push: this plan reviewed, its revision on top.

    The same plan planned again for the same commit (a re-run) keeps one row.
    """
    counts = plan.summary()
    revision = Revision(
        at, plan.checksum, counts["create"], counts["update"], counts["skipped"], sha
    )
    kept = [r for r in previous.revisions if r.checksum != plan.checksum or r.sha != sha]
    return CommentState((revision, *kept)[:MAX_REVISIONS], plan.checksum, counts, plan.digests)


def with_marker(marker: str, visible: str, state: CommentState | None = None) -> str:
    """A body: the marker, what a reader sees, and (for the sticky comment) the state."""
    parts = [marker, visible.rstrip("\n")]
    if state is not None:
        parts.append(state_line(state))
    return "\n\n".join(parts) + "\n"


def room_for(marker: str, state: CommentState | None = None, limit: int = LIMIT) -> int:
    """How many characters the visible part may take beside its hidden lines."""
    hidden = len(marker) + (len(state_line(state)) + 2 if state is not None else 0)
    return limit - hidden - 4


@dataclass(frozen=True)
class Sticky:
    """The existing sticky comment, if any, and the state it carries."""

    comment_id: int | None
    state: CommentState
    ignored: int = 0
    """Comments with the marker written by someone else (not trusted, not edited)."""


async def find_sticky(client: GitHubClient, number: int, key: str, *, bot: str = BOT) -> Sticky:
    """The newest comment on the PR that carries this config's marker and is ``bot``'s.

    Its id is the one to edit; the state is that of the newest such comment whose
    state is readable (a garbled newer one does not hide the approval).
    """
    return sticky_in(await client.comments(number), key, bot=bot)


def sticky_in(comments: list[Comment], key: str, *, bot: str = BOT) -> Sticky:
    """The sticky comment of config ``key`` among a pull request's ``comments`` (see
    :func:`find_sticky`)."""
    marker = plan_marker(key)
    marked = [c for c in comments if _has_marker(c, marker)]
    mine = [c for c in marked if c.user.login == bot]
    ignored = len(marked) - len(mine)
    if not mine:
        return Sticky(None, CommentState(), ignored)
    mine.sort(key=lambda c: (c.created_at, c.id), reverse=True)
    states = [read_state(c.body) for c in mine]
    valid = next((state for state in states if state.checksum is not None), states[0])
    return Sticky(mine[0].id, valid, ignored)


def _has_marker(comment: Comment, marker: str) -> bool:
    """The marker is the body's first line: a quote of it elsewhere is no sticky comment."""
    return comment.body.startswith(marker + "\n")


async def upsert_sticky(
    client: GitHubClient,
    number: int,
    key: str,
    body_for: Callable[[CommentState], str],
    *,
    bot: str = BOT,
) -> Comment:
    """Create the sticky comment, or edit it in place; ``body_for`` gets the previous state."""
    sticky = await find_sticky(client, number, key, bot=bot)
    body = body_for(sticky.state)
    if sticky.comment_id is None:
        return await client.create_comment(number, body)
    return await client.update_comment(sticky.comment_id, body)

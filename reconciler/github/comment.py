"""The sticky plan comment: found by its hidden marker, edited in place, never doubled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.github.client import GitHubClient
from reconciler.render.comment import CommentState, plan_marker, read_state

Json = dict[str, Any]


@dataclass(frozen=True)
class Sticky:
    """The existing sticky comment, if any, and the state it carries."""

    comment_id: int | None
    state: CommentState


async def find_sticky(client: GitHubClient, number: int, key: str) -> Sticky:
    """The newest comment on the PR that carries this config's marker."""
    marker = plan_marker(key)
    mine = [c for c in await client.comments(number) if marker in (c.get("body") or "")]
    if not mine:
        return Sticky(None, CommentState())
    newest = mine[-1]
    return Sticky(int(newest["id"]), read_state(newest.get("body") or ""))


async def upsert_sticky(
    client: GitHubClient, number: int, key: str, body_for: Callable[[CommentState], str]
) -> Json:
    """Create the sticky comment, or edit it in place; ``body_for`` gets the previous state."""
    sticky = await find_sticky(client, number, key)
    body = body_for(sticky.state)
    if sticky.comment_id is None:
        return await client.create_comment(number, body)
    return await client.update_comment(sticky.comment_id, body)

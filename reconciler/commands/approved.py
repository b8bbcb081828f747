"""What a merged pull request approved, read only from trusted places.

The saved plan file as the merge commit holds it, when the merge changed that file
(the sync pull request); otherwise the sticky plan comment of the pull request written
by the workflow's own identity (a comment by anyone else carrying the marker is
ignored, and the run says so).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reconciler.commands.repository import branch_of, plan_file_of, repo_path
from reconciler.config.keys import key_of
from reconciler.engine.approval import Approved, read_saved
from reconciler.engine.what_changed import with_inputs
from reconciler.errors import NotApprovedError, PlanFileError
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.models import Comment, PullRequest
from reconciler.github.sticky import sticky_in


async def merged_approval(
    client: GitHubClient,
    ctx: ActionsContext,
    pull: PullRequest,
    config: Path,
    *,
    sha: str,
    comments: list[Comment] | None = None,
) -> Approved | None:
    """The plan ``pull`` approved, as its merge commit ``sha`` holds it; ``comments``
    are the pull request's when already read. ``None``: no reviewed plan."""
    number = pull.number
    key = key_of(config)
    path = repo_path(plan_file_of(config))
    merged = await client.commit(sha)
    if path in merged.files:
        found = await client.get_file(path, sha)
        if found is None:
            raise NotApprovedError(
                f"#{number} deleted {path}; nothing was applied",
                remedy="restore the saved plan file, or let the sync workflow write a new one",
            )
        data = _json(found.text, path)
        # Its input fingerprints let a refusal name what changed since the review.
        approved = read_saved(data, where=f"{path} as merged in #{number}", config=key)
        return with_inputs(approved, data)
    if comments is None:
        comments = await client.comments(number)
    sticky = sticky_in(comments, key, bot=ctx.bot)
    if sticky.ignored:
        print(
            f"ignored {sticky.ignored} comment(s) on #{number} that carry the plan marker but "
            f"were not written by {ctx.bot}",
            file=sys.stderr,
        )
    return sticky.state.approved(f"the plan comment of #{number}")


def of_config(pull: PullRequest, comments: list[Comment], key: str, *, bot: str) -> bool:
    """Whether a merged pull request is one of config ``key``'s: its sync pull request
    (opened by the workflow from the config's sync branch), or one the plan workflow
    planned (a sticky plan comment of this config by the workflow's identity)."""
    if pull.user.login == bot and pull.head_ref == branch_of(key):
        return True
    return sticky_in(comments, key, bot=bot).comment_id is not None


def _json(text: str, path: str) -> object:
    try:
        return json.loads(text)
    except ValueError as error:
        raise PlanFileError(f"{path}: not JSON ({error})", remedy="plan and save again") from None

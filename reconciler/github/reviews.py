"""The approval rule: which reviews of a merged pull request count. Pure.

As GitHub counts them, each reviewer's last verdict: a later CHANGES_REQUESTED or
DISMISSED review undoes an approval, a COMMENTED one does not. Stricter than GitHub
where an insider could otherwise approve on their own:

- the author's own reviews never count;
- a bot's never count (``user.type`` ``Bot``, and the workflow's own identity by its
  login, whatever its type says): a workflow token may approve pull requests when
  the repository lets GitHub Actions do so;
- only reviews of the head commit count (an approval of an older commit approved
  other changes);
- a review submitted after the merge is no part of it: GitHub accepts an approval of
  a merged pull request through its API (https://github.com/cli/cli/issues/5038).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from reconciler.github.models import PullRequest, Review

VERDICTS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


def approvers(reviews: Iterable[Review], pull: PullRequest, *, bot: str) -> set[str]:
    """The people who approve ``pull`` now, by login (``bot``: the workflow's login)."""
    merged_at = _moment(pull.merged_at)
    last: dict[str, Review] = {}
    for review in reviews:
        if review.state not in VERDICTS or _late(review, merged_at):
            continue
        last[review.user.login] = review
    return {
        login
        for login, review in last.items()
        if review.state == "APPROVED"
        and review.commit_id == pull.head_sha
        and login not in ("", pull.user.login, bot)
        and not review.user.is_bot
    }


def ignored(reviews: Iterable[Review], pull: PullRequest, *, bot: str) -> dict[str, int]:
    """How many approvals do not count, by why: ``bot``, ``after the merge``."""
    merged_at = _moment(pull.merged_at)
    counts = {"by a bot": 0, "after the merge": 0}
    for review in reviews:
        if review.state != "APPROVED":
            continue
        if review.user.is_bot or review.user.login == bot:
            counts["by a bot"] += 1
        elif _late(review, merged_at):
            counts["after the merge"] += 1
    return {why: n for why, n in counts.items() if n}


def _late(review: Review, merged_at: datetime | None) -> bool:
    """Submitted after the merge, or at an unknown time. GitHub's times are to the
    second: the same second is not after."""
    if merged_at is None:
        return False
    submitted = _moment(review.submitted_at)
    return submitted is None or submitted > merged_at


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None

"""Which reviews of a merged pull request count toward its approval. Pure.

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

from collections.abc import Iterable, Mapping
from datetime import datetime

from reconciler.domain.json import JsonView

VERDICTS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


def approvers(reviews: Iterable[JsonView], pull: JsonView, *, bot: str) -> set[str]:
    """The people who approve ``pull`` now, by login (``bot``: the workflow's login)."""
    author = _login(pull.get("user"))
    head = str((pull.get("head") or {}).get("sha", ""))
    merged_at = _moment(pull.get("merged_at"))
    last: dict[str, JsonView] = {}
    for review in reviews:
        if review.get("state") not in VERDICTS or _late(review, merged_at):
            continue
        last[_login(review.get("user"))] = review
    return {
        login
        for login, review in last.items()
        if review.get("state") == "APPROVED"
        and review.get("commit_id") == head
        and login not in ("", author, bot)
        and not is_bot(review.get("user"))
    }


def ignored(reviews: Iterable[JsonView], pull: JsonView, *, bot: str) -> dict[str, int]:
    """How many approvals do not count, by why: ``bot``, ``after the merge``."""
    merged_at = _moment(pull.get("merged_at"))
    counts = {"by a bot": 0, "after the merge": 0}
    for review in reviews:
        if review.get("state") != "APPROVED":
            continue
        if is_bot(review.get("user")) or _login(review.get("user")) == bot:
            counts["by a bot"] += 1
        elif _late(review, merged_at):
            counts["after the merge"] += 1
    return {why: n for why, n in counts.items() if n}


def is_bot(user: object) -> bool:
    """Whether a GitHub user object is a bot (an App or the Actions identity)."""
    if not isinstance(user, Mapping):
        return False
    return user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")


def _late(review: JsonView, merged_at: datetime | None) -> bool:
    """Submitted after the merge, or at an unknown time. GitHub's times are to the
    second: the same second is not after."""
    if merged_at is None:
        return False
    submitted = _moment(review.get("submitted_at"))
    return submitted is None or submitted > merged_at


def _login(user: object) -> str:
    return str(user.get("login", "")) if isinstance(user, Mapping) else ""


def _moment(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None

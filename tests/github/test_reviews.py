"""Which reviews count: people's last verdicts on the head commit, before the merge."""

from __future__ import annotations

from typing import Any

from reconciler.github.models import PullRequest, Review
from reconciler.github.reviews import approvers as _approvers
from reconciler.github.reviews import ignored as _ignored

BOT = "github-actions[bot]"
MERGED = "2025-03-03T10:00:00Z"


def _review(
    login: str, state: str = "APPROVED", *, commit: str = "h2", at: str = "2025-03-03T09:00:00Z",
    kind: str = "User",
) -> dict[str, Any]:  # fmt: skip
    return {"user": {"login": login, "type": kind}, "state": state, "commit_id": commit,
            "submitted_at": at}  # fmt: skip


PULL = {"number": 1, "user": {"login": "ada"}, "head": {"sha": "h2"}, "merged_at": MERGED}


def approvers(reviews: list[dict[str, Any]], pull: dict[str, Any], *, bot: str) -> set[str]:
    """The rule over GitHub's answers, parsed as the client parses them."""
    parsed = [Review.from_api(r, "GET /reviews") for r in reviews]
    return _approvers(parsed, PullRequest.from_api(pull, "GET /pulls/1"), bot=bot)


def ignored(reviews: list[dict[str, Any]], pull: dict[str, Any], *, bot: str) -> dict[str, int]:
    parsed = [Review.from_api(r, "GET /reviews") for r in reviews]
    return _ignored(parsed, PullRequest.from_api(pull, "GET /pulls/1"), bot=bot)


def test_approvals_count_as_github_counts_them() -> None:
    reviews = [
        _review("ada"),  # the author's own
        _review("bob", commit="h1"),  # on an older commit
        _review("cy"),
        _review("cy", "COMMENTED"),  # a comment keeps the approval
        _review("dee"),
        _review("dee", "CHANGES_REQUESTED"),  # a later verdict undoes it
        _review("eve", "CHANGES_REQUESTED"),
        _review("eve"),
    ]
    assert approvers(reviews, PULL, bot=BOT) == {"cy", "eve"}


def test_a_bots_approval_never_counts() -> None:
    reviews = [
        _review(BOT, kind="Bot"),
        _review("people-sync[bot]", kind="Bot"),  # a GitHub App
        _review("renovate", kind="Bot"),  # a bot whatever its login
        _review("my-app[bot]", kind="User"),  # a bot by its login, whatever its type
    ]
    assert approvers(reviews, PULL, bot=BOT) == set()
    assert approvers([_review("sync-app")], PULL, bot="sync-app") == set()  # the workflow's own
    assert ignored(reviews, PULL, bot=BOT) == {"by a bot": 4}


def test_an_approval_after_the_merge_is_no_part_of_it() -> None:
    late = _review("grace", at="2025-03-03T10:00:01Z")
    same_second = _review("hal", at=MERGED)
    untimed = {**_review("ivy"), "submitted_at": None}
    assert approvers([late, same_second, untimed], PULL, bot=BOT) == {"hal"}
    assert ignored([late, untimed], PULL, bot=BOT) == {"after the merge": 2}
    # A later "changes requested" after the merge does not undo an approval before it.
    undo = _review("hal", "CHANGES_REQUESTED", at="2025-03-04T08:00:00Z")
    assert approvers([same_second, undo], PULL, bot=BOT) == {"hal"}


def test_an_open_pull_request_has_no_merge_time_to_hold_reviews_against() -> None:
    pull = {**PULL, "merged_at": None}
    assert approvers([_review("grace", at="2030-01-01T00:00:00Z")], pull, bot=BOT) == {"grace"}

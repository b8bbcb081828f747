"""The hidden outcome line of receipts and notes, and what a later run reads from it."""

from __future__ import annotations

from typing import Any

from reconciler.github.answers import (
    Said,
    answers,
    landed,
    outcome_line,
    read_outcome,
    status,
    with_outcome,
)
from reconciler.github.models import Comment
from reconciler.github.sticky import receipt_marker

KEY = "company.yaml"
BOT = "github-actions[bot]"
ONE = "hmac-sha256:" + "1" * 64
TWO = "hmac-sha256:" + "2" * 64


def _comment(said: Said | None, at: str, *, number: int = 7, by: str = BOT) -> Comment:
    return Comment.from_api(_answer(said, at, number=number, by=by), "GET /issues/comments")


def _answer(said: Said | None, at: str, *, number: int, by: str) -> dict[str, Any]:
    body = f"{receipt_marker(KEY)}\n\nSome receipt.\n"
    return {
        "id": 1,
        "body": with_outcome(body, said) if said is not None else body,
        "created_at": at,
        "user": {"login": by},
        "issue_url": f"https://api.github.com/repos/acme/people/issues/{number}",
    }


def test_an_outcome_line_reads_back_and_a_forged_or_broken_one_does_not() -> None:
    said = Said("landed", ONE)
    assert read_outcome(with_outcome("text\n", said)) == said
    assert read_outcome(outcome_line(Said("note"))) == Said("note")
    assert read_outcome('<!-- reconciler:outcome {"outcome":"won","checksum":null} -->') is None
    assert read_outcome('<!-- reconciler:outcome {"outcome":"landed","checksum":"x"} -->') is None
    assert read_outcome("<!-- reconciler:outcome {not json} -->") is None


def test_only_the_workflows_own_receipts_count() -> None:
    comments = [
        _comment(Said("landed", ONE), "2024-05-02T09:00:05Z", by="mallory"),
        _comment(Said("refused", ONE), "2024-05-02T09:00:06Z"),
    ]
    (found,) = answers(comments, KEY, bot=BOT)
    assert found.said == Said("refused", ONE) and found.number == 7
    assert status(answers(comments, KEY, bot=BOT), ONE) == "refused"


def test_a_landed_record_counts_strictly_after_the_merge_or_on_its_own_pull_request() -> None:
    merged = "2024-05-02T09:00:00Z"
    same_second = answers([_comment(Said("landed", ONE), merged, number=3)], KEY, bot=BOT)
    later = answers([_comment(Said("landed", ONE), "2024-05-02T09:00:01Z")], KEY, bot=BOT)
    assert landed(same_second, ONE, since=merged) is None  # may be an earlier merge's
    assert landed(same_second, ONE, since=merged, on=3) is not None  # its own receipt
    assert landed(later, ONE, since=merged) is not None
    assert landed(later, TWO) is None


def test_where_a_merged_pull_request_stands() -> None:
    def of(*said: Said | None) -> list[Any]:
        comments = [_comment(s, f"2024-05-02T09:00:0{n}Z") for n, s in enumerate(said)]
        return answers(comments, KEY, bot=BOT)

    assert status(of(), ONE) == "unanswered"
    assert status(of(Said("note")), ONE) == "unanswered"  # a note in passing answers nothing
    assert status(of(Said("incomplete", ONE)), ONE) == "incomplete"
    assert status(of(Said("incomplete", ONE), Said("landed", ONE)), ONE) == "landed"
    assert status(of(None), ONE) == "answered"  # a receipt from before the outcome line
    assert status(of(Said("prepared", ONE)), ONE) == "answered"

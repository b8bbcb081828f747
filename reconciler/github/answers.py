"""What an apply answered on a pull request (or the drift issue), as a hidden line.

Every note and receipt an apply posts starts with the receipt marker; since the
outcome line, it also ends with what it says, for a later run to read back:

    <!-- reconciler:outcome {"outcome":"landed","checksum":"hmac-sha256:…"} -->

``landed``: every write of the plan ``checksum`` (the approved one) has landed;
``incomplete``: some did not; ``refused``: nothing of that merge's plan was applied,
and no apply on merge tries it again; ``prepared``: files were prepared for an admin
to upload; ``note``: said in passing (a forced run starting, an apply by hand refused),
no answer. A receipt-marked comment without the line predates it, and counts as an
answer. Only what the workflow's own identity wrote counts.

The receipt on GitHub is the durable record that a plan landed: every runner reads
it, where the journal (:mod:`reconciler.artifacts.journal`) lives on one machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from reconciler.engine.approval import CHECKSUM
from reconciler.github.models import Comment
from reconciler.github.sticky import receipt_marker

Outcome = Literal["landed", "incomplete", "refused", "prepared", "note"]
OUTCOMES: tuple[Outcome, ...] = ("landed", "incomplete", "refused", "prepared", "note")
Status = Literal["landed", "answered", "refused", "incomplete", "unanswered"]
_LINE = re.compile(r"<!-- reconciler:outcome (\{[^\n]*?\}) -->")


@dataclass(frozen=True)
class Said:
    """What an apply says in one note or receipt: its outcome, for which plan."""

    outcome: Outcome
    checksum: str | None = None


@dataclass(frozen=True)
class Answer:
    """One note or receipt an apply posted, read back."""

    said: Said | None
    """``None``: a receipt from before the outcome line."""
    at: str
    """When it was posted (GitHub's ``created_at``)."""
    number: int | None = None
    """The issue or pull request it is on, when known."""

    @property
    def where(self) -> str:
        """For messages: ``the receipt on #12 (2024-05-02T09:00:00Z)``."""
        on = f" on #{self.number}" if self.number is not None else ""
        return f"the receipt{on} of {self.at}"


def outcome_line(said: Said) -> str:
    """The hidden last line of a note or receipt."""
    data = {"outcome": said.outcome, "checksum": said.checksum}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    return f"<!-- reconciler:outcome {text} -->"


def with_outcome(body: str, said: Said) -> str:
    """A note or receipt body with its outcome line."""
    return body.rstrip("\n") + "\n\n" + outcome_line(said) + "\n"


def read_outcome(body: str) -> Said | None:
    """The outcome line of a body (``None`` when there is none, or it is unreadable)."""
    match = _LINE.search(body)
    if match is None:
        return None
    try:
        data = json.loads(match.group(1))
    except ValueError:
        return None
    outcome = data.get("outcome") if isinstance(data, dict) else None
    checksum = data.get("checksum") if isinstance(data, dict) else None
    if outcome not in OUTCOMES:
        return None
    if checksum is not None and not (isinstance(checksum, str) and CHECKSUM.fullmatch(checksum)):
        return None
    return Said(outcome, checksum)


def answers(comments: Iterable[Comment], key: str, *, bot: str) -> list[Answer]:
    """The notes and receipts of config ``key`` among ``comments``, written by ``bot``
    (the workflow's login), in the order given."""
    marker = receipt_marker(key) + "\n"
    return [
        Answer(read_outcome(c.body), c.created_at, c.number)
        for c in comments
        if c.user.login == bot and c.body.startswith(marker)
    ]


def landed(
    found: Iterable[Answer], checksum: str, *, since: str | None = None, on: int | None = None
) -> Answer | None:
    """The newest answer that says the plan ``checksum`` landed in full: one on the pull
    request ``on`` (whose receipts all follow its merge), or one posted after ``since``
    (an ISO time, GitHub's form; strictly after, as GitHub's times are to the second
    and a receipt of that very second may be an earlier merge's of the same plan)."""
    start = moment(since) if since else None

    def counts(answer: Answer) -> bool:
        if start is None or (on is not None and answer.number == on):
            return True
        at = moment(answer.at)
        return at is not None and at > start

    hits = [
        a
        for a in found
        if a.said is not None
        and a.said.outcome == "landed"
        and a.said.checksum == checksum
        and counts(a)
    ]
    return max(hits, key=lambda a: a.at) if hits else None


def status(found: list[Answer], checksum: str | None) -> Status:
    """Where a merged pull request whose approved plan is ``checksum`` stands.

    ``landed``: a receipt says that plan landed in full. Else the newest answer says:
    ``refused``, ``incomplete`` (writes failed: the plan is still owed), ``answered``
    (files prepared, or a receipt from before outcome lines); with none,
    ``unanswered`` (its apply was cancelled, or failed before it could say so).
    """
    if checksum is not None and landed(found, checksum) is not None:
        return "landed"
    for answer in reversed(found):
        said = answer.said
        if said is None or said.outcome in ("prepared", "landed"):
            return "answered"
        if said.outcome == "refused":
            return "refused"
        if said.outcome == "incomplete":
            return "incomplete"
    return "unanswered"


def moment(text: object) -> datetime | None:
    """An ISO time as GitHub writes it (``2024-05-02T09:00:00Z``), or ``None``."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None

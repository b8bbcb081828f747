"""The apply journal: one JSON line per operation, written as each result arrives.

It records what was done (action, identifier, Ledgy id, which fields, success),
never a value, so it can be kept as a CI artifact. A re-run after an interruption
does not need it to converge (apply re-plans against a fresh read of Ledgy); it is
the record a people team can audit. Every apply, refused ones included, ends its
record with an ``end`` line carrying its outcome; a record without one was killed.

A run after which every write of an approved plan has landed adds a ``landed`` line
with that plan's checksum: a later apply of the same plan on this machine answers
"already applied" whatever Ledgy holds then (:func:`landed_at`). In CI a fresh runner
has no journal: there the receipt on GitHub is the record
(:mod:`reconciler.github.answers`).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from reconciler.domain.writes import WriteResult
from reconciler.engine.plan import Plan
from reconciler.errors import ReconcilerError

Outcome = Literal[
    "applied",
    "resumed",
    "already-applied",
    "nothing-to-apply",
    "incomplete",
    "refused",
    "failed",
    "interrupted",
]


class Journal:
    """Append-only JSON Lines file of apply runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.run = uuid.uuid4().hex[:12]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._unwritable(error) from None

    def _unwritable(self, error: OSError) -> ReconcilerError:
        return ReconcilerError(
            f"the journal {self.path} cannot be written ({error.strerror})",
            remedy="give a writable path with --journal",
        )

    def _write(self, entry: dict[str, object]) -> None:
        entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "run": self.run, **entry}
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, sort_keys=True) + "\n")
                handle.flush()
        except OSError as error:
            raise self._unwritable(error) from None

    def start(self, plan: Plan) -> None:
        """Note the plan about to be applied."""
        self._write({"event": "start", "checksum": plan.checksum, **plan.summary()})

    def record(self, result: WriteResult) -> None:
        """Note one operation's result."""
        write = result.write
        self._write(
            {
                "event": "write",
                "action": write.action,
                "identifier": write.identifier,
                "stakeholder_id": result.stakeholder_id,
                "fields": sorted(write.values),
                "ok": result.ok,
                "error": result.error,
            }
        )

    def receipt(self, *, actor: str, how: str, reason: str | None, told: str | None) -> None:
        """Note who ran an apply that did not come from an approved merge, how, why, and
        where the receipt was posted (``told``: ``#12``; ``None``: GitHub was not told)."""
        self._write(
            {"event": "receipt", "actor": actor, "how": how, "reason": reason, "told": told}
        )

    def landed(self, checksum: str) -> None:
        """Note that every write of the plan ``checksum`` (the approved one) has landed."""
        self._write({"event": "landed", "checksum": checksum})

    def end(self, outcome: Outcome, message: str, *, written: int = 0, failed: int = 0) -> None:
        """Note how the run ended: its outcome, in words too, and the writes counted."""
        self._write(
            {
                "event": "end",
                "outcome": outcome,
                "message": message,
                "written": written,
                "failed": failed,
            }
        )


def landed_at(path: Path, checksum: str, *, since: datetime | None = None) -> datetime | None:
    """When the journal at ``path`` last noted that the plan ``checksum`` landed in full
    (after ``since``); ``None`` when it never did, or there is no journal.

    Strictly after: GitHub's times are to the second, so a line of the very second of
    a merge may be an earlier run's, of an earlier merge of the same plan; not counting
    it only costs a re-plan, which converges."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    found: datetime | None = None
    for line in lines:
        try:
            entry = json.loads(line)
            if entry.get("event") != "landed" or entry.get("checksum") != checksum:
                continue
            at = datetime.fromisoformat(str(entry.get("at")))
        except (ValueError, AttributeError):
            continue  # a torn or foreign line: not a record
        if since is None or at > since:
            found = at
    return found

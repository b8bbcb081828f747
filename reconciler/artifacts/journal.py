"""The apply journal: one JSON line per operation, written as each result arrives.

It records what was done (action, identifier, Ledgy id, which fields, success),
never a value, so it can be kept as a CI artifact. A re-run after an interruption
does not need it to converge (apply re-plans against a fresh read of Ledgy); it is
the record a people team can audit. Every apply, refused ones included, ends its
record with an ``end`` line carrying its outcome; a record without one was killed.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

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

    def _write(self, entry: dict[str, Any]) -> None:
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

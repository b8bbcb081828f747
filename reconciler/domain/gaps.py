"""HR fields a read could not give anyone, and why: the plan leaves them unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Reason = Literal["endpoint_refused", "key_absent", "wrong_type"]


@dataclass(frozen=True, slots=True)
class Gap:
    """Fields no employee's record gave: an endpoint refused, or a key no record carries.

    Absent is not empty: a plan never changes such a field in Ledgy, for anyone. Every
    text here holds names (fields, keys, endpoints) and counts, never a value.
    """

    fields: tuple[str, ...]
    """Canonical HR field names (or ``raw.<key>``)."""
    reason: Reason
    endpoint: str
    """Where it was looked for, e.g. ``GET /team_members``."""
    message: str
    """What is unread and why, for the plan warning or the config error."""
    remedy: str
    """What to do: the ``hris.field_keys`` line, or the permission to grant."""
    key: str | None = None
    """The raw key looked for, when one was."""
    looks_like: tuple[str, ...] = ()
    """Keys the endpoint does carry that look like it, each with its type and fill."""
    field_keys: tuple[tuple[str, str], ...] = ()
    """The suggested ``hris.field_keys`` entries, (role, key)."""

    def to_dict(self) -> dict[str, object]:
        """The gap as the plan JSON's ``unread`` entries show it."""
        data: dict[str, object] = {
            "fields": list(self.fields),
            "reason": self.reason,
            "endpoint": self.endpoint,
            "message": self.message,
            "remedy": self.remedy,
        }
        if self.key is not None:
            data["key"] = self.key
        if self.looks_like:
            data["looks_like"] = list(self.looks_like)
        if self.field_keys:
            data["field_keys"] = dict(self.field_keys)
        return data

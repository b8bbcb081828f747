"""The values that cross into a target: a write, and what became of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from reconciler.domain.stakeholder import Value

Action = Literal["create", "update"]


@dataclass(frozen=True)
class Write:
    """One stakeholder write: a create with every value, or an update of some fields.

    ``values`` are by plan field name (``address.city``, ``custom_fields.Office``,
    ``hris.start_date``); ``None`` clears a field.
    """

    action: Action
    identifier: str | None
    values: Mapping[str, Value] = field(default_factory=dict)
    stakeholder_id: str | None = None


@dataclass(frozen=True)
class WriteResult:
    """What became of one write."""

    write: Write
    ok: bool
    stakeholder_id: str | None = None
    error: str | None = None


Progress = Callable[[WriteResult], None]
"""Told of each write's result as soon as it is known (for the journal)."""

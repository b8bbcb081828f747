"""The contract of a stakeholder target, and the values that cross it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from reconciler.stakeholder import TargetState, Value

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


class Target(Protocol):
    """A place stakeholders live: read them all, or write some.

    ``read`` must check that it reads the configured company before anything else.
    ``apply`` must return one result per write, in order, and must never create a
    stakeholder whose identifier already exists; it raises
    :class:`~reconciler.errors.TargetError` only when nothing can be written.
    """

    async def read(self) -> TargetState:
        """Return the company's natural-person stakeholders and custom field names."""
        ...

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Carry out the writes; report each one, to ``progress`` too as it lands."""
        ...

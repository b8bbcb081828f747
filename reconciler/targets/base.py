"""The contract of a stakeholder target, and the values that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from reconciler.domain.stakeholder import TargetState
from reconciler.domain.writes import Progress, Write, WriteResult
from reconciler.engine.plan import Plan

__all__ = ["Progress", "Target", "Write", "WriteResult"]


class Target(Protocol):
    """A place stakeholders live: read them all, or write some.

    ``read`` must check that it reads the configured company before anything else.
    ``apply`` must return one result per write, in order, and must never create a
    stakeholder whose identifier already exists; it raises
    :class:`~reconciler.errors.TargetError` only when nothing can be written.
    """

    async def preflight(self) -> frozenset[str]:
        """Cheap checks before the long reads; return the custom field names.

        Proves the key works and belongs to the configured company (raising
        :class:`~reconciler.errors.TargetError` otherwise) in a round trip or two,
        so a config error is found before the long reads start.
        """
        ...

    async def read(self) -> TargetState:
        """Return the company's natural-person stakeholders and custom field names."""
        ...

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Carry out the writes; report each one, to ``progress`` too as it lands."""
        ...


@runtime_checkable
class PreparingTarget(Protocol):
    """A target that writes nothing itself but prepares files for a person to upload
    (Ledgy's workbook driver). Apply names the files after the plan and reports
    "Prepared", never "Applied"."""

    def prepare_for(self, plan: Plan) -> None:
        """Name what the next ``apply`` prepares after this plan, key its record with the
        plan's key, and drop the records the plan shows settled."""
        ...

    def prepared_report(self) -> list[str] | None:
        """What the last ``apply`` prepared, where, and the steps left to a person."""
        ...

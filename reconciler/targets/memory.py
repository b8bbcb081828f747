"""InMemoryTarget: a real, tiny target holding stakeholders in memory.

It keeps the contract every target keeps (one result per write, no duplicate
identifier ever created), so tests and property checks exercise the same rules
as the drivers without a server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.domain.writes import Progress, Write, WriteResult


class InMemoryTarget:
    """Stakeholders in a list; writes change it."""

    def __init__(self, state: TargetState) -> None:
        self.state = state
        self._next = len(state.stakeholders) + 1

    async def preflight(self) -> frozenset[str]:
        """Nothing to check; the custom field names."""
        return self.state.custom_fields

    async def read(self) -> TargetState:
        """The current state."""
        return self.state

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Carry out each write; refuse a create whose identifier exists."""
        results = [self._one(w) for w in writes]
        for result in results:
            if progress is not None:
                progress(result)
        return results

    def _one(self, write: Write) -> WriteResult:
        people = list(self.state.stakeholders)
        if write.action == "create":
            taken = {(s.identifier or "").casefold() for s in people if s.identifier}
            if (write.identifier or "").casefold() in taken:
                return WriteResult(
                    write, False, None, f"identifier {write.identifier} already exists"
                )
            created = Stakeholder.from_flat(write.values, f"mem_{self._next:06d}")
            self._next += 1
            self.state = replace(self.state, stakeholders=(*people, created))
            return WriteResult(write, True, created.id)
        index = next((i for i, s in enumerate(people) if s.id == write.stakeholder_id), None)
        if index is None:
            return WriteResult(write, False, write.stakeholder_id, "no such stakeholder")
        people[index] = people[index].with_values(write.values)
        self.state = replace(self.state, stakeholders=tuple(people))
        return WriteResult(write, True, write.stakeholder_id)

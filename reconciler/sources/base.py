"""The contract of an HR source."""

from __future__ import annotations

from typing import Protocol

from reconciler.employee import Employee


class Source(Protocol):
    """Reads every employee of one company from an HR system.

    ``read`` must return every employee, leavers included, exactly once, or raise
    :class:`~reconciler.errors.SourceError`; it must never return a partial list,
    since an incomplete read would look like people leaving. It must not write.
    """

    async def read(self) -> tuple[Employee, ...]:
        """Return every employee, normalised."""
        ...

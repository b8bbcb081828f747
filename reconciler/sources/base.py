"""The contract of an HR source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from reconciler.domain.employee import Employee


@dataclass(frozen=True, slots=True)
class Gap:
    """Fields a source could not read because the HR system refused an endpoint."""

    endpoint: str
    fields: tuple[str, ...]
    permission: str
    """What the API key must be allowed to see, in the HR system's words."""

    @property
    def message(self) -> str:
        """The plan warning: what is left unsynced, and what to grant."""
        return (
            f"CharlieHR refused {self.endpoint} to this API key (403), so "
            f"{', '.join(self.fields)} {'is' if len(self.fields) == 1 else 'are'} left "
            f"unsynced; grant the key access to {self.permission} to sync "
            f"{'it' if len(self.fields) == 1 else 'them'}"
        )


class Source(Protocol):
    """Reads every employee of one company from an HR system.

    ``read`` must return every employee, leavers included, exactly once, or raise
    :class:`~reconciler.errors.SourceError`; it must never return a partial list,
    since an incomplete read would look like people leaving. It must not write.
    After a read, ``gaps`` lists the fields it could not read (an endpoint the HR
    system refused); those are left unsynced, never cleared.
    """

    gaps: tuple[Gap, ...]

    async def preflight(self) -> None:
        """Cheap checks before the long read (the credentials work), or raise."""
        ...

    async def read(self) -> tuple[Employee, ...]:
        """Return every employee, normalised."""
        ...

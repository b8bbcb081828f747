"""The contract of an HR source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from reconciler.domain.employee import Employee
from reconciler.domain.gaps import Gap

__all__ = ["Early", "Gap", "Source"]


class Source(Protocol):
    """Reads every employee of one company from an HR system.

    ``read`` must return every employee, leavers included, exactly once, or raise
    :class:`~reconciler.errors.SourceError`; it must never return a partial list,
    since an incomplete read would look like people leaving. It must not write.
    After a read, ``gaps`` lists the fields it could not read for anyone (an endpoint
    the HR system refused, a key no record carries); those are left unchanged, never
    cleared. A field one employee's record does not give is in that employee's
    ``unread``.
    """

    gaps: tuple[Gap, ...]

    async def preflight(self) -> None:
        """Cheap checks before the long read (the credentials work), or raise."""
        ...

    async def read(self, early: Early | None = None) -> tuple[Employee, ...]:
        """Return every employee, normalised.

        ``early``, when given, may be handed employees as the read has them so far (for
        work done ahead of need, which must not depend on them being final); a
        source may also never call it.
        """
        ...


Early = Callable[[Sequence[Employee]], None]
"""Takes employees as a read has them so far (see :meth:`Source.read`)."""

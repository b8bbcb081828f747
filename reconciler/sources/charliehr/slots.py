"""The client's connections, lent to waiting requests by priority, then in arrival order.

A plan reads every CharlieHR list at once through a fixed number of connections. Which
list's pages go first decides what can overlap the waiting: when the team members
arrive before the long salary ledger, they are normalised while the salaries are still
coming in; the other way round, all of that work waits for the last page.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Sequence
from typing import Generic, TypeVar

C = TypeVar("C")


class Slots(Generic[C]):
    """Lend each connection to one request at a time; a lower priority number goes first."""

    def __init__(self, connections: Sequence[C]) -> None:
        self._idle = list(connections)
        self._waiting: list[tuple[int, int, asyncio.Future[C]]] = []
        self._arrival = itertools.count()

    async def take(self, priority: int = 0) -> C:
        """Wait for a connection; give it back with :meth:`give`."""
        if self._idle and not self._waiting:
            return self._idle.pop()
        turn: asyncio.Future[C] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrival), turn))
        try:
            return await turn
        except asyncio.CancelledError:
            # Cancelled after being handed a connection: pass it on, or it is lost.
            if turn.done() and not turn.cancelled():
                self.give(turn.result())
            raise

    def give(self, connection: C) -> None:
        """Return a connection: to the first waiting request, or to the idle ones."""
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(connection)
                return
        self._idle.append(connection)

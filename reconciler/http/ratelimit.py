"""A client-side sliding-window rate limiter, so we stay under an API's published limit."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
MIN_PAUSE = 0.001
"""The shortest wait, in seconds: a wait must move the clock."""


class SlidingWindow:
    """At most ``limit`` acquisitions in any ``window`` seconds.

    ``margin`` widens the window a little: the server counts arrivals, we count
    departures, and network jitter must not push the two apart.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        margin: float = 0.1,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.window = window + margin
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.waited = 0.0

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, then count it."""
        async with self._lock:
            while True:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                # At least MIN_PAUSE: near a large clock reading a float's step is
                # coarse, the pause to the window's edge can end a hair short of it,
                # and a pause of 0.0 would then repeat for ever.
                pause = max(self._sent[0] + self.window - now, MIN_PAUSE)
                self.waited += pause
                await self._sleep(pause)

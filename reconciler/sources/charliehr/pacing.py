"""Client-side pacing of CharlieHR requests, shared by every endpoint of one client.

CharlieHR publishes no rate limit (reference §6); it answers a too-fast caller 429.
So the pace is ``hris.requests_per_second`` when the config sets one (unset: as
fast as ``hris.concurrency`` allows), and it adapts: a 429 halves the rate (from
the rate actually observed when there was none) and pauses every request for the
``Retry-After`` the server asked; each success then wins a little speed back, up
to the configured rate (additive increase, multiplicative decrease).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

SLOWEST = 0.2
"""Requests per second the pacer never goes below (one every five seconds)."""
RECOVERY = 0.05
"""Requests per second won back with each success after a slow-down."""
OBSERVED_WINDOW = 2.0
"""Seconds of recent requests that measure the pace actually reached."""


class Pacer:
    """Spaces requests at most ``rate`` per second; slows down on 429."""

    def __init__(
        self,
        rate: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.ceiling = rate
        self.rate = rate
        """The pace now (requests per second); ``None``: not paced."""
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._sent: deque[float] = deque()
        self.slowdowns = 0
        self.waited = 0.0

    async def acquire(self) -> None:
        """Wait for this request's turn."""
        now = self._clock()
        start = max(now, self._next, self._paused_until)
        if self.rate is not None:
            self._next = start + 1.0 / self.rate
        self._sent.append(start)
        while now - self._sent[0] > OBSERVED_WINDOW:
            self._sent.popleft()
        wait = start - now
        if wait > 0:
            self.waited += wait
            await self._sleep(wait)

    def throttled(self, retry_after: float | None) -> None:
        """CharlieHR answered 429: pause everyone for ``retry_after``, halve the pace."""
        now = self._clock()
        if retry_after is not None:
            self._paused_until = max(self._paused_until, now + retry_after)
        current = self.rate if self.rate is not None else self._observed(now)
        self.rate = max(SLOWEST, current / 2)
        self._next = max(self._next, self._paused_until)
        self.slowdowns += 1
        logger.info("CharlieHR asked us to slow down; now %.2f requests per second", self.rate)

    def succeeded(self) -> None:
        """A request went through: win back a little speed, up to the configured pace."""
        if self.rate is None or self.slowdowns == 0:
            return
        faster = self.rate + RECOVERY
        self.rate = faster if self.ceiling is None else min(self.ceiling, faster)

    def _observed(self, now: float) -> float:
        while self._sent and now - self._sent[0] > OBSERVED_WINDOW:
            self._sent.popleft()
        span = max(now - self._sent[0], 1.0) if self._sent else 1.0
        return max(SLOWEST, len(self._sent) / span)

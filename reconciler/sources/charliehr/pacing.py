"""Client-side pacing of CharlieHR requests, shared by every endpoint of one client.

CharlieHR publishes no rate limit; it answers a too-fast caller 429 (as Truto's
Charlie integration notes say). So the pace is ``hris.requests_per_second`` when
the config sets one (unset: as fast as ``hris.concurrency`` allows), and a 429 is
read as "not now", not as "slower for ever":

- its ``Retry-After`` pauses every request, once, together: a request waiting for
  its turn waits for the pause, and the 429s of requests already sent when the
  pause began only make it as long as the last of them asks;
- the pace is cut to half the pace that drew the 429, then doubles back every
  :data:`DOUBLING` seconds (time-based recovery), up to the configured pace or,
  unpaced, until no pacing is left. A pause of a second or more has won the speed
  back by the time it ends, so a 429 costs its pause and never the rest of the run;
- only a 429 answering a request sent since the last cut cuts again: the others
  answer the pace the cut already left behind.

A server that keeps refusing at a steady share of requests (a busy service, not our
speed) thus costs one pause per round of requests, where halving on every 429 and
winning back a little per success left the pace near :data:`SLOWEST` for good.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

SLOWEST = 0.2
"""Requests per second a cut never goes below (one every five seconds)."""
DOUBLING = 1.0
"""Seconds in which a cut pace doubles back towards the full pace."""
OBSERVED_WINDOW = 2.0
"""Seconds of recent requests that measure the pace actually reached."""
MOST_DOUBLINGS = 64.0


class Pacer:
    """Spaces requests at most ``rate`` per second; pauses and slows down on 429."""

    def __init__(
        self,
        rate: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.ceiling = rate
        """The configured pace (requests per second); ``None``: not paced."""
        self._clock = clock
        self._sleep = sleep
        self._next = -math.inf
        self._paused_until = -math.inf
        self._cut: float | None = None
        self._cut_at = -math.inf
        self._top: float = math.inf
        self._sent: deque[float] = deque()
        self.refused = 0
        """429s answered, stale ones included."""
        self.refused_at = -math.inf
        """When the last 429 came."""
        self.cuts = 0
        """429s that cut the pace."""
        self.waited = 0.0
        """Seconds requests spent waiting for their turn, added up."""

    @property
    def rate(self) -> float | None:
        """The pace now (requests per second); ``None``: not paced."""
        return self.rate_at(self._clock())

    def rate_at(self, now: float) -> float | None:
        """The pace at ``now``: the last cut, doubled back once per :data:`DOUBLING` s."""
        if self._cut is None:
            return self.ceiling
        doublings = min(MOST_DOUBLINGS, (now - self._cut_at) / DOUBLING)
        grown = self._cut * 2**doublings
        if grown < self._top:
            return grown
        return self.ceiling

    def resume_in(self) -> float:
        """Seconds until the pause a 429 asked for is over (0: none in force)."""
        return max(0.0, self._paused_until - self._clock())

    async def acquire(self) -> float:
        """Wait for this request's turn; the time it leaves (give it to :meth:`throttled`)."""
        while True:
            now = self._clock()
            turn = max(now, self._next, self._paused_until)
            if turn <= now:
                break
            self.waited += turn - now
            # Woken, look again: a pause may have begun while this request slept.
            await self._sleep(turn - now)
        rate = self.rate_at(now)
        if rate is not None:
            self._next = now + 1.0 / rate
        self._sent.append(now)
        self._forget(now)
        return now

    def throttled(self, retry_after: float | None, sent_at: float) -> bool:
        """CharlieHR answered 429 to a request sent at ``sent_at``; ``True`` when it cut.

        ``Retry-After`` pauses everyone until it is over. A 429 to a request sent
        since the last cut halves the pace (from the pace observed when there was
        none); one to a request sent before it was answered by that cut already.
        """
        now = self._clock()
        self.refused += 1
        self.refused_at = now
        if retry_after is not None:
            self._paused_until = max(self._paused_until, now + retry_after)
        if sent_at < self._cut_at:
            return False
        current = self.rate_at(now)
        if current is None:
            current = self._observed(now)
        self._cut = max(SLOWEST, current / 2)
        self._top = self.ceiling if self.ceiling is not None else current
        self._cut_at = now
        self.cuts += 1
        return True

    def _observed(self, now: float) -> float:
        self._forget(now)
        span = max(now - self._sent[0], 1.0) if self._sent else 1.0
        return max(SLOWEST, len(self._sent) / span)

    def _forget(self, now: float) -> None:
        while self._sent and now - self._sent[0] > OBSERVED_WINDOW:
            self._sent.popleft()

"""How long a CharlieHR read may wait, and what it says while it waits or when it stops.

A read has a deadline (``hris.read_deadline_seconds``) from its first request: a
wait that would end past it ends the read at once, and a request still in flight is
abandoned when it passes. The error then names what the read was still waiting for.
While CharlieHR rate-limits the read, a progress display and the log say so, with
counts and paces only, never a value.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from reconciler.errors import SourceError
from reconciler.sources.charliehr.pacing import Clock, Pacer, Sleep

logger = logging.getLogger(__name__)

READ_DEADLINE = 900.0
"""Seconds a read may take from its first request (``hris.read_deadline_seconds``)."""
LOG_EVERY = 30.0
"""Seconds between two warnings that CharlieHR is rate-limiting (the rest are info)."""
SHOW_FOR = 10.0
"""Seconds a progress display keeps saying so after the last 429."""
RATE_LIMITED = (
    "CharlieHR is rate-limiting this key: run again later, set hris.requests_per_second "
    "(e.g. 2) so that fewer requests are refused"
)


class PastDeadline(Exception):
    """The read's deadline is past, or a wait would end past it."""


class Deadline:
    """A read's deadline, and the requests it is still waiting for, by endpoint."""

    def __init__(self, seconds: float | None, *, clock: Clock, sleep: Sleep) -> None:
        self.seconds = seconds
        """The time a read may take; ``None``: no deadline."""
        self._clock = clock
        self._sleep = sleep
        self._at = math.inf
        self.outstanding: Counter[str] = Counter()

    @contextmanager
    def request(self, endpoint: str) -> Iterator[None]:
        """Count a request as outstanding while inside; the first one starts the clock."""
        if self.seconds is not None and self._at == math.inf:
            self._at = self._clock() + self.seconds
        self.outstanding[endpoint] += 1
        try:
            yield
        finally:
            self.outstanding[endpoint] -= 1

    def remaining(self) -> float | None:
        """Seconds left; ``None``: no deadline (or none started)."""
        return None if self._at == math.inf else self._at - self._clock()

    async def sleep(self, seconds: float) -> None:
        """Sleep, unless the deadline would pass first: then the read is over now."""
        if self._clock() + seconds > self._at:
            raise PastDeadline
        await self._sleep(seconds)

    def missed(self, *, sent: int, pacer: Pacer) -> SourceError:
        """The error of a read past its deadline: what it waited for, and what to do."""
        waiting = ", ".join(f"/{path} {n}" for path, n in sorted(self.outstanding.items()) if n)
        resume = pacer.resume_in()
        paused = f"; CharlieHR asked for a pause of {resume:.0f} s more" if resume >= 1 else ""
        message = (
            f"CharlieHR: the read did not finish within {self.seconds:g} s "
            f"(hris.read_deadline_seconds); it was still waiting for "
            f"{_requests(sum(self.outstanding.values()))} (GET {waiting}) after sending "
            f"{_requests(sent)}, {pacer.refused} of them answered 429{paused}; nothing was planned"
        )
        if pacer.refused:
            remedy = f"{RATE_LIMITED}, or raise hris.read_deadline_seconds to wait longer"
        else:
            remedy = (
                "CharlieHR answers slowly: run again later, or raise "
                "hris.read_deadline_seconds to wait longer"
            )
        return SourceError(message, remedy=remedy)


class Throttling:
    """Says that CharlieHR is rate-limiting the read: on request, and in the log."""

    def __init__(self, pacer: Pacer, clock: Clock) -> None:
        self._pacer = pacer
        self._clock = clock
        self._warned_at = -math.inf

    def status(self) -> str | None:
        """The words for a progress display while 429s come; ``None`` otherwise."""
        pacer = self._pacer
        if pacer.resume_in() > 0 or self._clock() - pacer.refused_at < SHOW_FOR:
            return self.summary()
        return None

    def summary(self) -> str:
        """``CharlieHR is rate-limiting: 12 requests refused so far, pace 3.1/s, …``."""
        pacer = self._pacer
        rate = pacer.rate
        pace = "full pace" if rate is None else f"pace {rate:.1f}/s"
        resume = pacer.resume_in()
        retrying = f", retrying in {math.ceil(resume)} s" if resume > 0 else ""
        refused = _requests(pacer.refused)
        return f"CharlieHR is rate-limiting: {refused} refused so far, {pace}{retrying}"

    def log(self) -> None:
        """Log the slow-down: a warning now and then, info lines in between."""
        now = self._clock()
        warn = now - self._warned_at >= LOG_EVERY
        if warn:
            self._warned_at = now
        logger.log(logging.WARNING if warn else logging.INFO, "%s", self.summary())


def _requests(count: int) -> str:
    return f"{count} request{'' if count == 1 else 's'}"

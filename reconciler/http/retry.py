"""When and how long to wait before trying an HTTP request again, and when to stop.

Exponential backoff with full jitter, and the server's ``Retry-After`` (seconds or an
HTTP date) honoured when it is given. Every retry is bounded three ways: tries of one
request (more for "not now" answers, 429, than for failures), seconds one request may
spend waiting between its tries, and, optionally, retries of a whole read against the
requests it sent, so a server refusing most requests ends the read soon instead of
late.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")

SPARE_RETRIES = 20
"""Retries a read may make whatever its size, on top of ``retries_per_request``."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often to retry, and how long to wait between attempts (seconds)."""

    attempts: int = 6
    """Tries of a request that fails (timed out, 5xx, unreadable)."""
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_retry_after: float = 120.0
    """A server asking to wait longer than this is an error, not a wait."""
    throttled_attempts: int | None = None
    """Tries of a request the server keeps answering "not now" (429, ``throttled``);
    ``None``: ``attempts``. A 429 is no failure of the request, so it may earn more."""
    max_wait: float = 600.0
    """Most seconds from a request's first try to its last, waits included."""
    retries_per_request: float | None = None
    """Most retries of one :class:`Retrier` (one read) per request it was given, plus
    :data:`SPARE_RETRIES`; ``None``: no such bound."""

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay before retry number ``attempt`` (1-based): full jitter on 2^n."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return rng.uniform(0, ceiling)

    def tries(self, failure: Transient) -> int:
        """How many tries this kind of failure allows in all."""
        if failure.throttled and self.throttled_attempts is not None:
            return self.throttled_attempts
        return self.attempts


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or ``None`` if absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


class Transient(Exception):
    """A failure worth another try. ``wait`` is what the server asked for, if anything.

    ``maybe_applied`` says the request may have been carried out although it failed
    (a timeout or a 5xx after sending), which matters for writes that are not
    idempotent. ``throttled`` says the server answered "not now" (429): the request
    was not carried out and may be tried again later.
    """

    def __init__(
        self,
        reason: str,
        wait: float | None = None,
        *,
        maybe_applied: bool = False,
        throttled: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.maybe_applied = maybe_applied
        self.throttled = throttled


Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass
class Retrier:
    """Runs an attempt again on :class:`Transient` failures, as a policy says."""

    policy: RetryPolicy
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    retries: int = 0
    clock: Clock = time.monotonic
    requests: int = 0
    """Requests given to :meth:`run` (first tries), for the read's retry bound."""

    async def pause(self, failure: Transient, attempt: int, label: str) -> None:
        """Wait before the next attempt: the server's wish, else jittered backoff."""
        await self._wait(self.delay(failure, attempt), failure, attempt, label)

    async def _wait(self, wait: float, failure: Transient, attempt: int, label: str) -> None:
        self.retries += 1
        logger.info("%s: %s; retry %d in %.2fs", label, failure.reason, attempt, wait)
        await self.sleep(wait)

    def delay(self, failure: Transient, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt``."""
        if failure.wait is not None:
            return failure.wait
        return self.policy.backoff(attempt, self.rng)

    async def run(
        self,
        attempt_once: Callable[[], Awaitable[T]],
        *,
        label: str,
        give_up: Callable[[int, Transient], Exception],
    ) -> T:
        """The result of the first attempt that does not fail transiently."""
        self.requests += 1
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return await attempt_once()
            except Transient as failure:
                wait = self.delay(failure, attempt)
                spent = self._spent(failure, attempt, self.clock() - started + wait)
                if spent is not None:
                    raise give_up(attempt, spent) from None
                await self._wait(wait, failure, attempt, label)

    def _spent(self, failure: Transient, attempt: int, waited: float) -> Transient | None:
        """The failure to give up with, its reason saying which bound it met; or ``None``."""
        if attempt >= self.policy.tries(failure):
            return failure
        if waited > self.policy.max_wait:
            why = f"a next try {waited:.0f} s after the first is past {self.policy.max_wait:.0f} s"
            return _amended(failure, why)
        share = self.policy.retries_per_request
        if share is not None and self.retries >= SPARE_RETRIES + share * self.requests:
            why = f"{self.retries} retries already for {self.requests} requests"
            return _amended(failure, why)
        return None


def _amended(failure: Transient, why: str) -> Transient:
    return Transient(
        f"{failure.reason}; {why}",
        failure.wait,
        maybe_applied=failure.maybe_applied,
        throttled=failure.throttled,
    )

"""When and how long to wait before trying an HTTP request again.

Exponential backoff with full jitter, bounded attempts, and the server's
``Retry-After`` (seconds or an HTTP date) honoured when it is given.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often to retry, and how long to wait between attempts (seconds)."""

    attempts: int = 6
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_retry_after: float = 120.0
    """A server asking to wait longer than this is an error, not a wait."""

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay before retry number ``attempt`` (1-based): full jitter on 2^n."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return rng.uniform(0, ceiling)


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
    idempotent.
    """

    def __init__(
        self, reason: str, wait: float | None = None, *, maybe_applied: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.maybe_applied = maybe_applied


Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Retrier:
    """Runs an attempt again on :class:`Transient` failures, as a policy says."""

    policy: RetryPolicy
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    retries: int = 0

    async def pause(self, failure: Transient, attempt: int, label: str) -> None:
        """Wait before the next attempt: the server's wish, else jittered backoff."""
        wait = failure.wait if failure.wait is not None else self.policy.backoff(attempt, self.rng)
        self.retries += 1
        logger.info("%s: %s; retry %d in %.2fs", label, failure.reason, attempt, wait)
        await self.sleep(wait)

    async def run(
        self,
        attempt_once: Callable[[], Awaitable[T]],
        *,
        label: str,
        give_up: Callable[[int, Transient], Exception],
    ) -> T:
        """The result of the first attempt that does not fail transiently."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await attempt_once()
            except Transient as failure:
                if attempt >= self.policy.attempts:
                    raise give_up(attempt, failure) from None
                await self.pause(failure, attempt, label)

"""GitHub's rate limits, read from an answer and waited out as GitHub asks.

As documented at https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
("Exceeding the rate limit" and "Handle rate limit errors appropriately"):

- the *primary* limit (requests per hour) answers 403 or 429 with
  ``x-ratelimit-remaining: 0`` and ``x-ratelimit-reset``, the moment it lifts in epoch
  seconds;
- a *secondary* limit (too many requests at once or too fast) answers 403 or 429,
  perhaps with ``retry-after``, perhaps with neither header, and a message that says
  "secondary rate limit".

GitHub's advice, followed here: if ``retry-after`` is there, wait that many seconds;
else if ``x-ratelimit-remaining`` is 0, wait until ``x-ratelimit-reset``; else wait
at least one minute, and longer (doubling) each time the limit answers again. The
waits of one client are bounded in number and in total; past the bound the request
fails with an error that says "rate limited" and when to run again. A 403 with none
of these signs is a refusal (a missing permission), not a limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

from reconciler.errors import GitHubError
from reconciler.http.retry import parse_retry_after

logger = logging.getLogger(__name__)
Kind = Literal["primary", "secondary"]
Clock = Callable[[], float]
"""The current time in epoch seconds (``time.time``; a test passes its own)."""


@dataclass(frozen=True, slots=True)
class RateLimitPolicy:
    """How long one client waits out rate limits, at most (seconds)."""

    first_wait: float = 60.0
    """The wait when GitHub names none (GitHub: "at least one minute"); doubled each time
    the same request is limited again."""
    max_waits: int = 5
    """Rate-limit waits one client makes in all before it gives up."""
    max_total: float = 900.0
    """Seconds one client spends waiting out rate limits in all; a wait that would pass
    this is not started (the error says when the limit lifts instead)."""


@dataclass(eq=False)  # an exception stays hashable, compared by identity
class RateLimited(Exception):
    """An answer that is a rate limit: which one, and how long GitHub asks to wait."""

    where: str
    """``GitHub GET /path answered 403``."""
    kind: Kind
    wait: float | None
    """Seconds GitHub asked for (``retry-after`` or the reset); ``None``: it named none."""
    why: str
    """What in the answer said so (header names and values, never the body)."""
    lifts_at: float | None = None
    """When the primary limit resets (epoch seconds), if GitHub said."""


def rate_limited(response: httpx.Response, where: str, now: float) -> RateLimited | None:
    """The rate limit a 403 or 429 answer signals, or ``None`` when it is none (a refusal)."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = parse_retry_after(headers.get("retry-after"))
    exhausted = headers.get("x-ratelimit-remaining", "").strip() == "0"
    said = _message(response).lower()
    if retry_after is not None:
        kind: Kind = "primary" if exhausted and "secondary" not in said else "secondary"
        return RateLimited(where, kind, retry_after, f"retry-after: {retry_after:.0f}")
    if exhausted:
        reset = headers.get("x-ratelimit-reset", "").strip()
        if reset.isdigit():
            # +1: the reset is a whole second, and our clock may run a little ahead of GitHub's.
            wait = max(0.0, float(reset) - now) + 1.0
            why = f"x-ratelimit-remaining: 0, resets at {_clock_time(float(reset))}"
            return RateLimited(where, "primary", wait, why, float(reset))
        return RateLimited(where, "primary", None, "x-ratelimit-remaining: 0, no reset given")
    # "abuse detection" is how GitHub worded secondary limits before it named them.
    if response.status_code == 429 or "rate limit" in said or "abuse detection" in said:
        return RateLimited(where, "secondary", None, "a secondary rate limit, no wait named")
    return None


class Waits:
    """The rate-limit waits of one client: how many, how long in all, and the next one."""

    def __init__(self, policy: RateLimitPolicy) -> None:
        self.policy = policy
        self.count = 0
        self.total = 0.0

    def next_wait(self, limit: RateLimited, backoffs: int) -> float:
        """Seconds to wait before sending again, or a :class:`GitHubError` past the bound.

        ``backoffs``: how many waits without a named time this request has made already.
        """
        wait = limit.wait if limit.wait is not None else self.policy.first_wait * 2**backoffs
        if self.count >= self.policy.max_waits:
            raise gave_up(limit, f"still limited after {self.count} wait(s), {self.total:.0f} s")
        if self.total + wait > self.policy.max_total:
            raise gave_up(
                limit,
                f"it asks for {wait:.0f} s more, past the {self.policy.max_total:.0f} s "
                "a run waits in all",
            )
        self.count += 1
        self.total += wait
        logger.warning("%s: rate limited (%s); waiting %.0f s", limit.where, limit.why, wait)
        return wait


def gave_up(limit: RateLimited, detail: str) -> GitHubError:
    """The error of a request that stayed rate limited: what limit, and when to run again."""
    if limit.kind == "primary":
        when = (
            f"after {_clock_time(limit.lifts_at)}" if limit.lifts_at is not None else "in an hour"
        )
        remedy = (
            f"run again {when}, when GitHub's hourly request budget for this token resets; "
            "every workflow using the same token shares that budget"
        )
    else:
        remedy = (
            "run again in a few minutes, and avoid starting many reconciler runs at once "
            "(GitHub's secondary limits count requests made together or too fast)"
        )
    return GitHubError(
        f"{limit.where}: rate limited by GitHub's {limit.kind} rate limit ({limit.why}); {detail}",
        remedy=remedy,
    )


def _clock_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%H:%M:%S UTC")


def _message(response: httpx.Response) -> str:
    """GitHub's ``message``, only to look for "rate limit" in it (it is never shown)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else ""

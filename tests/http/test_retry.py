from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from reconciler.http.retry import (
    SPARE_RETRIES,
    Retrier,
    RetryPolicy,
    Transient,
    parse_retry_after,
)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Wed, 25 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None) is None


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    rng = random.Random(1)
    delays = [[policy.backoff(n, rng) for _ in range(200)] for n in (1, 2, 3, 6)]
    assert [max(d) <= c for d, c in zip(delays, (1, 2, 4, 5), strict=True)] == [True] * 4
    assert max(delays[3]) > 4


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _retrier(policy: RetryPolicy) -> tuple[Retrier, Clock]:
    clock = Clock()
    return Retrier(policy, clock.sleep, random.Random(0), clock=clock), clock


def _failing(*failures: Transient) -> Callable[[], Awaitable[str]]:
    queue = list(failures)

    async def attempt() -> str:
        if queue:
            raise queue.pop(0)
        return "done"

    return attempt


def _gave_up(attempts: int, failure: Transient) -> Exception:
    return RuntimeError(f"gave up after {attempts} tries ({failure.reason})")


async def _run(retrier: Retrier, attempt: Callable[[], Awaitable[str]]) -> str:
    return await retrier.run(attempt, label="GET /x", give_up=_gave_up)


@pytest.mark.anyio
async def test_a_429_may_be_tried_more_often_than_a_failure() -> None:
    policy = RetryPolicy(attempts=3, throttled_attempts=5)
    retrier, _ = _retrier(policy)
    busy = [Transient("HTTP 429", 1.0, throttled=True) for _ in range(4)]
    assert await _run(retrier, _failing(*busy)) == "done"
    with pytest.raises(RuntimeError, match=r"after 5 tries \(HTTP 429\)"):
        await _run(retrier, _failing(*busy, *busy))
    with pytest.raises(RuntimeError, match=r"after 3 tries \(HTTP 503\)"):
        await _run(retrier, _failing(*[Transient("HTTP 503")] * 4))


@pytest.mark.anyio
async def test_a_request_stops_once_its_next_try_would_come_past_max_wait() -> None:
    retrier, clock = _retrier(RetryPolicy(throttled_attempts=100, max_wait=10.0))
    slow = [Transient("HTTP 429", 3.0, throttled=True) for _ in range(10)]
    with pytest.raises(RuntimeError) as caught:
        await _run(retrier, _failing(*slow))
    assert str(caught.value) == (
        "gave up after 4 tries (HTTP 429; a next try 12 s after the first is past 10 s)"
    )
    assert clock.now == 9.0  # three waits of 3 s; the fourth would end past 10 s


@pytest.mark.anyio
async def test_a_read_retries_at_most_as_its_requests_allow() -> None:
    retrier, _ = _retrier(RetryPolicy(attempts=100, retries_per_request=1.0, base_delay=0))
    for _ in range(SPARE_RETRIES):  # the spare retries go to any request
        assert await _run(retrier, _failing(Transient("HTTP 503"))) == "done"
    assert retrier.retries == SPARE_RETRIES and retrier.requests == SPARE_RETRIES
    # the 21st request may retry once for itself and once for each of the others
    with pytest.raises(RuntimeError) as caught:
        await _run(retrier, _failing(*[Transient("HTTP 503")] * 100))
    assert str(caught.value) == (
        f"gave up after {SPARE_RETRIES + 2} tries (HTTP 503; "
        f"{2 * SPARE_RETRIES + 1} retries already for {SPARE_RETRIES + 1} requests)"
    )


@pytest.mark.anyio
async def test_without_a_read_bound_only_the_tries_of_each_request_count() -> None:
    retrier, _ = _retrier(RetryPolicy(attempts=3, base_delay=0))
    for _ in range(50):
        assert await _run(retrier, _failing(Transient("x"), Transient("x"))) == "done"
    assert retrier.retries == 100

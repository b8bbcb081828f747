from __future__ import annotations

import random
from datetime import UTC, datetime

from reconciler.http.retry import RetryPolicy, parse_retry_after


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

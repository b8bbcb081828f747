"""The client-side sliding window, on a fake clock: a request waits only as long as
the window needs."""

from __future__ import annotations

import asyncio

from reconciler.http.ratelimit import SlidingWindow
from tests.github.clock import START, FakeTime


def _window(time: FakeTime, limit: int = 2, window: float = 1.0) -> SlidingWindow:
    return SlidingWindow(limit, window, margin=0.5, clock=time.clock, sleep=time.sleep)


def test_requests_within_the_limit_never_wait() -> None:
    time = FakeTime()
    limiter = _window(time)

    async def two() -> None:
        await limiter.acquire()
        await limiter.acquire()

    asyncio.run(two())
    assert time.slept == [] and limiter.waited == 0


def test_one_more_waits_until_the_oldest_leaves_the_widened_window() -> None:
    time = FakeTime()
    limiter = _window(time)

    async def three() -> None:
        await limiter.acquire()
        time.now += 0.25
        await limiter.acquire()
        await limiter.acquire()

    asyncio.run(three())
    # The window is 1 s plus the 0.5 s margin, counted from the first request.
    assert time.slept == [1.25] and limiter.waited == 1.25
    assert time.now == START + 1.5


def test_requests_that_left_the_window_no_longer_count() -> None:
    time = FakeTime()
    limiter = _window(time, limit=1)

    async def spaced() -> None:
        await limiter.acquire()
        time.now += 1.5
        await limiter.acquire()

    asyncio.run(spaced())
    assert time.slept == []


def test_concurrent_requests_are_let_through_one_at_a_time_within_the_limit() -> None:
    time = FakeTime()
    limiter = _window(time, limit=2)
    let_through: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        let_through.append(time.now - START)

    async def five() -> None:
        await asyncio.gather(*(one() for _ in range(5)))

    asyncio.run(five())
    assert let_through == [0.0, 0.0, 1.5, 1.5, 3.0]


def test_a_wait_always_moves_the_clock_even_where_floats_are_coarse() -> None:
    # At 1.8e9 s a float's step is about 2.4e-7 s: the pause to the window's edge can
    # end a hair short of it, and the next pause is then 0.0, which never moves the
    # clock. Every pause is at least a millisecond.
    time = FakeTime(now=1_800_000_651.5929728)
    limiter = SlidingWindow(1, 1.0, margin=0.1, clock=time.clock, sleep=time.sleep)

    async def two() -> None:
        await limiter.acquire()
        await limiter.acquire()

    asyncio.run(asyncio.wait_for(two(), timeout=5))
    assert len(time.slept) == 2 and time.slept[1] == 0.001

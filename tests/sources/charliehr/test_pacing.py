"""Pacing on a fake clock: the configured rate, the slow-down on 429, the recovery."""

from __future__ import annotations

import pytest

from reconciler.sources.charliehr.pacing import SLOWEST, Pacer

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_configured_rate_spaces_requests_evenly() -> None:
    clock = Clock()
    pacer = Pacer(4.0, clock=clock, sleep=clock.sleep)
    for _ in range(9):
        await pacer.acquire()
    assert clock.now == pytest.approx(102.0)  # 9 requests at 4 a second: 2 s of spacing


async def test_without_a_rate_nothing_waits_until_a_429() -> None:
    clock = Clock()
    pacer = Pacer(None, clock=clock, sleep=clock.sleep)
    for _ in range(50):
        await pacer.acquire()
    assert clock.slept == [] and pacer.rate is None


async def test_a_429_pauses_everyone_for_retry_after_then_halves_the_observed_pace() -> None:
    clock = Clock()
    pacer = Pacer(None, clock=clock, sleep=clock.sleep)
    for _ in range(8):
        await pacer.acquire()  # 8 requests at once
    pacer.throttled(3.0)
    assert pacer.rate == pytest.approx(4.0)  # 8 observed in the last second, halved
    await pacer.acquire()
    assert clock.now == pytest.approx(103.0)  # the Retry-After is kept
    await pacer.acquire()
    assert clock.now == pytest.approx(103.25)


async def test_successes_win_speed_back_up_to_the_configured_rate_only() -> None:
    clock = Clock()
    pacer = Pacer(2.0, clock=clock, sleep=clock.sleep)
    pacer.throttled(None)
    assert pacer.rate == pytest.approx(1.0)
    for _ in range(100):
        pacer.succeeded()
    assert pacer.rate == pytest.approx(2.0)


async def test_the_pace_never_drops_below_the_slowest() -> None:
    pacer = Pacer(0.3)
    for _ in range(10):
        pacer.throttled(None)
    assert pacer.rate == SLOWEST

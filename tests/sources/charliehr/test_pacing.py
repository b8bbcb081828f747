"""Pacing on a fake clock: the configured rate, the pause and cut on 429, the recovery."""

from __future__ import annotations

import random

import pytest

from reconciler.sources.charliehr.pacing import DOUBLING, SLOWEST, Pacer

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


def paced(rate: float | None) -> tuple[Pacer, Clock]:
    clock = Clock()
    return Pacer(rate, clock=clock, sleep=clock.sleep), clock


async def test_a_configured_rate_spaces_requests_evenly() -> None:
    pacer, clock = paced(4.0)
    for _ in range(9):
        await pacer.acquire()
    assert clock.now == pytest.approx(102.0)  # 9 requests at 4 a second: 2 s of spacing


async def test_without_a_rate_nothing_waits_until_a_429() -> None:
    pacer, clock = paced(None)
    for _ in range(50):
        await pacer.acquire()
    assert clock.slept == [] and pacer.rate is None


async def test_a_429_pauses_everyone_for_retry_after_then_halves_the_observed_pace() -> None:
    pacer, clock = paced(None)
    sent = [await pacer.acquire() for _ in range(8)]  # 8 requests at once
    assert pacer.throttled(3.0, sent[0])
    assert pacer.rate == pytest.approx(4.0)  # 8 observed in the last second, halved
    assert pacer.resume_in() == pytest.approx(3.0)
    await pacer.acquire()
    assert clock.now == pytest.approx(103.0)  # the Retry-After is kept


async def test_the_429s_of_requests_already_sent_pause_once_and_cut_once() -> None:
    pacer, clock = paced(8.0)
    sent = [await pacer.acquire() for _ in range(8)]
    clock.now += 0.1
    cut = [pacer.throttled(1.0, at) for at in sent]  # all eight refused, one after another
    assert cut == [True] + [False] * 7
    assert pacer.rate == pytest.approx(4.0) and pacer.cuts == 1 and pacer.refused == 8
    clock.now += 0.2  # a straggler's 429 arrives later: the pause ends a second after it
    assert not pacer.throttled(1.0, sent[0])
    assert pacer.resume_in() == pytest.approx(1.0)
    started = clock.now
    await pacer.acquire()
    assert clock.now == pytest.approx(started + 1.0)  # one pause, not eight


async def test_a_429_to_a_request_sent_after_the_cut_cuts_again() -> None:
    pacer, clock = paced(8.0)
    pacer.throttled(None, await pacer.acquire())
    assert pacer.rate == pytest.approx(4.0)
    later = await pacer.acquire()
    clock.now += 0.05
    assert pacer.throttled(None, later)
    regained = 4.0 * 2 ** ((clock.now - 100.0) / DOUBLING)  # since the first cut
    assert pacer.cuts == 2 and pacer.rate == pytest.approx(regained / 2)


async def test_a_cut_pace_doubles_back_each_second_up_to_the_configured_rate() -> None:
    pacer, clock = paced(8.0)
    pacer.throttled(None, await pacer.acquire())
    assert pacer.rate == pytest.approx(4.0)
    clock.now += DOUBLING / 2
    assert pacer.rate == pytest.approx(4.0 * 2**0.5)
    clock.now += DOUBLING / 2
    assert pacer.rate == pytest.approx(8.0)
    clock.now += 3600 * 24  # never past the configured rate, whatever the time
    assert pacer.rate == pytest.approx(8.0)


async def test_unpaced_the_pace_comes_back_to_none_once_it_has_doubled_back() -> None:
    pacer, clock = paced(None)
    sent = [await pacer.acquire() for _ in range(6)]
    pacer.throttled(1.0, sent[-1])
    assert pacer.rate == pytest.approx(3.0)
    clock.now += DOUBLING * 0.99
    assert pacer.rate is not None
    clock.now += DOUBLING * 0.02
    assert pacer.rate is None


async def test_a_pause_of_a_second_wins_the_speed_back_by_its_end() -> None:
    pacer, clock = paced(10.0)
    pacer.throttled(1.0, await pacer.acquire())
    await pacer.acquire()
    assert clock.now == pytest.approx(101.0) and pacer.rate == pytest.approx(10.0)


async def test_a_cut_never_goes_below_the_slowest() -> None:
    pacer, _ = paced(0.3)
    for _ in range(10):
        pacer.throttled(None, await pacer.acquire())
        assert pacer.rate is not None and pacer.rate >= SLOWEST


async def test_random_429s_at_30_percent_cost_their_pauses_but_never_sink_the_pace() -> None:
    """One request at a time, 50 ms each, 30 % answered 429 Retry-After: 1 whatever the pace.

    Halving on every 429 and winning back 0.05 per success took about 500 s for 100
    answers here (the pace sank to the 0.2 a second floor); each 429 now costs its
    pause of a second and nothing more.
    """
    pacer, clock = paced(None)
    chance = random.Random(3)
    started, answered, refused = clock.now, 0, 0
    while answered < 100:
        sent = await pacer.acquire()
        await clock.sleep(0.05)
        if chance.random() < 0.3:
            refused += 1
            pacer.throttled(1.0, sent)
        else:
            answered += 1
    took = clock.now - started
    assert took < 100 * 0.05 + refused * 1.0 + 10
    assert took < 60
    assert pacer.rate is None or pacer.rate > 5

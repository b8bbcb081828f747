"""A CharlieHR read's deadline and what it says while rate-limited, on a fake clock."""

from __future__ import annotations

import asyncio
import logging

import pytest

from reconciler.sources.charliehr.pacing import Pacer
from reconciler.sources.charliehr.waits import (
    LOG_EVERY,
    RATE_LIMITED,
    SHOW_FOR,
    Deadline,
    PastDeadline,
    Throttling,
)
from tests.github.clock import FakeTime


def test_the_deadline_starts_with_the_first_request_and_counts_what_is_outstanding() -> None:
    time = FakeTime()
    deadline = Deadline(60, clock=time.clock, sleep=time.sleep)
    assert deadline.remaining() is None
    with deadline.request("employees"), deadline.request("employees"):
        time.now += 15
        assert deadline.outstanding["employees"] == 2
        assert deadline.remaining() == 45
    assert deadline.outstanding["employees"] == 0


def test_a_wait_that_would_end_past_the_deadline_ends_the_read_at_once() -> None:
    time = FakeTime()
    deadline = Deadline(10, clock=time.clock, sleep=time.sleep)
    with deadline.request("employees"):
        asyncio.run(deadline.sleep(4))
        with pytest.raises(PastDeadline):
            asyncio.run(deadline.sleep(7))
    assert time.slept == [4]


def test_without_a_deadline_every_wait_is_slept() -> None:
    time = FakeTime()
    deadline = Deadline(None, clock=time.clock, sleep=time.sleep)
    with deadline.request("employees"):
        asyncio.run(deadline.sleep(10_000))
    assert deadline.remaining() is None and time.slept == [10_000]


def test_a_missed_deadline_names_what_it_waited_for_and_the_remedy() -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    deadline = Deadline(900, clock=time.clock, sleep=time.sleep)
    with deadline.request("team_members/abc/salaries"), deadline.request("team_members"):
        slow = deadline.missed(sent=1, pacer=pacer)
        pacer.throttled(30, sent_at=time.now)
        limited = deadline.missed(sent=12, pacer=pacer)
    assert slow.message == (
        "CharlieHR: the read did not finish within 900 s (hris.read_deadline_seconds); it "
        "was still waiting for 2 requests (GET /team_members 1, /team_members/abc/salaries 1) "
        "after sending 1 request, 0 of them answered 429; nothing was planned"
    )
    assert "answers slowly" in (slow.remedy or "")
    assert limited.message.endswith(
        "after sending 12 requests, 1 of them answered 429; CharlieHR asked for a pause of "
        "30 s more; nothing was planned"
    )
    assert (limited.remedy or "").startswith(RATE_LIMITED)


def test_the_status_shows_while_429s_come_and_for_a_while_after() -> None:
    time = FakeTime()
    pacer = Pacer(4.0, clock=time.clock, sleep=time.sleep)
    throttling = Throttling(pacer, time.clock)
    assert throttling.status() is None
    pacer.throttled(3, sent_at=time.now)  # the pace is halved, and everyone pauses 3 s
    assert throttling.status() == (
        "CharlieHR is rate-limiting: 1 request refused so far, pace 2.0/s, retrying in 3 s"
    )
    time.now += SHOW_FOR - 1
    assert throttling.status() is not None and "retrying" not in (throttling.status() or "")
    time.now += 1
    assert throttling.status() is None


def test_the_log_warns_now_and_then_and_says_info_in_between(
    caplog: pytest.LogCaptureFixture,
) -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    throttling = Throttling(pacer, time.clock)
    with caplog.at_level(logging.INFO, logger="reconciler.sources.charliehr.waits"):
        throttling.log()
        time.now += LOG_EVERY - 1
        throttling.log()
        time.now += 1
        throttling.log()
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.INFO, logging.WARNING]

"""The emulators' latency: a round trip with the server's work inside it; the 429 fault;
the rate limit's window on the traffic's clock."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from tests.github.clock import FakeTime

pytestmark = pytest.mark.anyio
LATENCY = 0.4


class SlowApp:
    """An ASGI app that notes when it is called and answers after ``work`` seconds."""

    def __init__(self, work: float) -> None:
        self.work = work
        self.called: list[float] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called.append(time.monotonic())
        time.sleep(self.work)  # the emulator's own work, blocking as JSON encoding does
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})


async def _get(app: SlowApp) -> float:
    """Seconds from sending one request through the latency to its whole answer."""
    middleware = MisbehaviourMiddleware(app, Knobs(latency=LATENCY))
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        sent = time.monotonic()
        assert (await client.get("/")).status_code == 200
    return time.monotonic() - sent


async def test_the_app_sees_the_request_halfway_and_its_work_counts_within_the_latency() -> None:
    app = SlowApp(work=0.1)
    sent = time.monotonic()
    elapsed = await _get(app)
    assert LATENCY / 2 <= app.called[0] - sent < LATENCY  # the work starts halfway
    assert elapsed >= LATENCY  # never before the latency is up...
    assert elapsed < LATENCY + 0.1  # ...and the work is inside it, not added to it


async def test_work_longer_than_the_latency_delays_the_answer() -> None:
    elapsed = await _get(SlowApp(work=LATENCY))
    assert elapsed >= LATENCY / 2 + LATENCY


@pytest.mark.parametrize(("retry_after", "header"), [(1, "1"), (7, "7"), (None, None)])
async def test_a_429_fault_carries_the_retry_after_asked_for_or_none(
    retry_after: int | None, header: str | None
) -> None:
    knobs = Knobs(fault_rate=1.0, faults=("429",), retry_after=retry_after)
    middleware = MisbehaviourMiddleware(SlowApp(work=0), knobs)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        response = await client.get("/")
    assert response.status_code == 429
    assert response.headers.get("retry-after") == header
    assert middleware.traffic.faulted == 1


async def test_the_rate_limit_window_is_timed_by_the_traffics_clock() -> None:
    fake = FakeTime(now=0.0)
    knobs = Knobs(rate_limit=2, rate_window=5.0)
    middleware = MisbehaviourMiddleware(SlowApp(work=0), knobs, Traffic(clock=fake.clock))
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        first = [(await client.get("/")).status_code for _ in range(3)]
        fake.now += 4.0  # still inside the window of the first two
        refused = await client.get("/")
        fake.now += 1.0  # the window has moved past them
        again = [(await client.get("/")).status_code for _ in range(3)]
    assert first == [200, 200, 429]
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert again == [200, 200, 429]
    assert middleware.traffic.limited == 3

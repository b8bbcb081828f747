"""Slots: connections lent by priority, then in arrival order, never lost to a cancel."""

from __future__ import annotations

import asyncio

import pytest

from reconciler.sources.charliehr.slots import Slots

pytestmark = pytest.mark.anyio


async def _order_served(requests: list[tuple[str, int]]) -> list[str]:
    """Queue ``requests`` (name, priority) behind one busy connection; the order served."""
    slots = Slots(["only"])
    held = await slots.take()
    served: list[str] = []

    async def request(name: str, priority: int) -> None:
        connection = await slots.take(priority)
        served.append(name)
        slots.give(connection)

    tasks = [asyncio.create_task(request(name, p)) for name, p in requests]
    await asyncio.sleep(0)  # every request is waiting now
    slots.give(held)
    await asyncio.gather(*tasks)
    return served


async def test_a_lower_priority_number_goes_first_and_equals_keep_their_arrival_order() -> None:
    requests = [("salary 1", 1), ("member 1", 0), ("salary 2", 1), ("member 2", 0)]
    assert await _order_served(requests) == ["member 1", "member 2", "salary 1", "salary 2"]


async def test_an_idle_connection_is_taken_at_once() -> None:
    slots = Slots(["a", "b"])
    assert {await slots.take(1), await slots.take(0)} == {"a", "b"}


async def test_a_cancelled_request_loses_no_connection() -> None:
    slots = Slots(["only"])
    held = await slots.take()
    waiting = asyncio.create_task(slots.take())
    await asyncio.sleep(0)
    slots.give(held)  # handed to the waiting request...
    waiting.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await asyncio.wait_for(slots.take(), timeout=5) == "only"


async def test_a_request_cancelled_while_waiting_is_skipped() -> None:
    slots = Slots(["only"])
    held = await slots.take()
    gone = asyncio.create_task(slots.take(0))
    later = asyncio.create_task(slots.take(1))
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.sleep(0)
    slots.give(held)
    assert await asyncio.wait_for(later, timeout=5) == "only"

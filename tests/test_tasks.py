"""map_in_turns: the same result as a list comprehension, with the event loop run between slices."""

from __future__ import annotations

import asyncio

import pytest

from reconciler.tasks import PER_TURN, map_in_turns

pytestmark = pytest.mark.anyio


async def test_the_result_is_the_plain_mapping_in_order() -> None:
    items = list(range(PER_TURN * 3 + 7))
    assert await map_in_turns(str, items) == [str(i) for i in items]
    assert await map_in_turns(str, []) == []


async def test_other_tasks_run_between_slices() -> None:
    # An answer arriving meanwhile must be taken in within a slice, not after the list.
    converted: list[int] = []
    seen: list[int] = []

    async def other() -> None:
        while len(converted) < 100:
            seen.append(len(converted))
            await asyncio.sleep(0)

    watcher = asyncio.create_task(other())
    await map_in_turns(converted.append, list(range(100)))
    await watcher
    assert seen == list(range(PER_TURN, 100, PER_TURN))  # one turn after each slice

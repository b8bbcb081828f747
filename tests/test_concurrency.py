"""map_in_turns: the same result as a list comprehension, with the event loop run between turns."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

import reconciler
from reconciler.concurrency import TURN, all_or_nothing, map_in_turns, run, settled

pytestmark = pytest.mark.anyio


async def test_the_result_is_the_plain_mapping_in_order() -> None:
    items = list(range(1000))
    assert await map_in_turns(str, items) == [str(i) for i in items]
    assert await map_in_turns(str, []) == []


async def test_other_tasks_run_after_each_turn_of_work() -> None:
    # An answer arriving meanwhile must be taken in within a turn, not after the list.
    # The clock moves 0.4 turn per reading and is read once after each item: a turn
    # ends after three items (1.2 turns after it began).
    ticks = itertools.count()
    converted: list[int] = []
    seen: list[int] = []

    async def other() -> None:
        while len(converted) < 100:
            seen.append(len(converted))
            await asyncio.sleep(0)

    watcher = asyncio.create_task(other())
    clock = lambda: next(ticks) * TURN * 0.4  # noqa: E731 - a fake clock
    await map_in_turns(converted.append, list(range(100)), clock=clock)
    await watcher
    assert seen == list(range(3, 100, 3))


async def test_settled_gives_the_result_or_raises_its_error_in_the_callers_order() -> None:
    async def fails_late() -> int:
        await asyncio.sleep(0.01)
        raise LookupError("asked first, failed last")

    async def fails_early() -> int:
        raise ValueError("asked second, failed first")

    async def works() -> int:
        return 7

    first, second, third = await asyncio.gather(
        fails_late(), fails_early(), works(), return_exceptions=True
    )
    assert settled(third) == 7
    with pytest.raises(LookupError, match="asked first"):
        settled(first)
    with pytest.raises(ValueError):
        settled(second)


async def test_all_or_nothing_gives_each_result_in_order_typed_as_its_awaitable() -> None:
    async def number() -> int:
        return 1

    async def text() -> str:
        return "a"

    one, letter = await all_or_nothing(number(), text())
    total: int = one + 1  # mypy holds these to the awaitables' types
    joined: str = letter + "b"
    assert (total, joined) == (2, "ab")
    assert list(await all_or_nothing(*(number() for _ in range(4)))) == [1, 1, 1, 1]


async def test_all_or_nothing_cancels_the_rest_when_one_fails() -> None:
    cancelled: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append("slow")
            raise

    async def failing() -> None:
        await asyncio.sleep(0)
        raise ValueError("no answer")

    with pytest.raises(ValueError, match="no answer"):
        await all_or_nothing(slow(), failing())
    assert cancelled == ["slow"]


class _Costly:
    """A result whose repr is counted (a reading of 10,000 people is slow to format)."""

    reprs = 0

    def __repr__(self) -> str:
        _Costly.reprs += 1
        return "costly"


def test_run_gives_the_result_and_never_formats_it() -> None:
    async def read() -> _Costly:
        return _Costly()

    _Costly.reprs = 0
    assert isinstance(run(read()), _Costly)
    assert _Costly.reprs == 0


def test_asyncio_run_formats_the_result_on_its_way_out() -> None:
    # Why run() exists: if this stops failing on a future Python, run() can go.
    async def read() -> _Costly:
        return _Costly()

    _Costly.reprs = 0
    asyncio.run(read())
    assert _Costly.reprs >= 1


def test_run_raises_what_the_awaitable_raises() -> None:
    async def fail() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        run(fail())


def test_no_command_calls_asyncio_run_itself() -> None:
    package = Path(reconciler.__file__).parent
    calls = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "concurrency.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "asyncio.run(" in line
    ]
    assert calls == [], "call reconciler.concurrency.run instead (see its docstring)"

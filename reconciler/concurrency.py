"""Running awaitables together, all or nothing; long CPU work in slices between them,
or ahead of need in a thread while requests are in flight."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
TURN = 0.00025
"""Seconds of conversion between two turns of the event loop. Taking in one answer
crosses several turns (the socket read, the waiting task, the next request), each of
which waits out a turn of conversion: 1 ms turns made requests 5 ms slower while the
members were normalised, a quarter of that none (bench/e2e.py)."""


def run(main: Awaitable[T]) -> T:
    """``asyncio.run(main)``, with the result kept off the main task.

    On its way out ``asyncio.run`` (Python 3.11) looks up the Ctrl-C handler it put in
    place, and ``signal.getsignal`` formats that handler's repr while doing so. The
    handler names the main task, and a finished task's repr holds its result's: the
    whole reading of a company, formatted and thrown away (0.1 to 0.2 s at 10,000
    employees, bench/e2e.py). The main task here returns ``None``.
    """
    kept: list[T] = []

    async def keep() -> None:
        kept.append(await main)

    asyncio.run(keep())
    return kept[0]


@overload
async def all_or_nothing(first: Awaitable[A], second: Awaitable[B], /) -> tuple[A, B]: ...


@overload
async def all_or_nothing(
    first: Awaitable[A], second: Awaitable[B], third: Awaitable[C], /
) -> tuple[A, B, C]: ...


@overload
async def all_or_nothing(*awaitables: Awaitable[T]) -> Sequence[T]: ...


async def all_or_nothing(*awaitables: Awaitable[object]) -> Sequence[object]:
    """Await all concurrently; when one fails, cancel the rest and wait for them.
    The results come in the order given, each typed as its awaitable says (two or
    three of kinds of their own, or any number of one kind).

    ``asyncio.gather`` leaves the others running after a failure: a failed read
    would go on sending requests (and leave connections open) after the run gave up.
    """
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return tuple(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def settled(result: T | BaseException) -> T:
    """One result of ``asyncio.gather(..., return_exceptions=True)``, or its error raised.

    For requests sent together but judged in turn: the first to fail in the caller's
    order is the one reported, whichever failed first in time.
    """
    if isinstance(result, BaseException):
        raise result
    return result


async def map_in_turns(
    convert: Callable[[T], R], items: Sequence[T], *, clock: Callable[[], float] = time.perf_counter
) -> list[R]:
    """``[convert(item) for item in items]``, letting the event loop run between slices.

    For work done while requests are in flight: each answer that arrives is taken in
    (and its connection reused) within a slice, not after the whole list. One long
    block held every connection idle for its length (bench/e2e.py).

    A turn is bounded by time, not by a count of items: an item's cost varies, and an
    answer waiting behind a slice of 20 waited up to 7 ms.
    """
    converted: list[R] = []
    until = clock() + TURN
    for item in items:
        converted.append(convert(item))
        if clock() >= until:
            await asyncio.sleep(0)
            until = clock() + TURN
    return converted


class Ahead:
    """Work done ahead of need in a daemon thread: :meth:`start` it while requests are in
    flight, :meth:`join` before what it made is used.

    For imports a run needs only once its reads are back: made while the process waits
    on the network, they no longer stand between its start and its first request. An
    error here is dropped: the import fails again where the module is used, and is
    reported there as it always was.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self._work = work
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the work (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ahead", daemon=True)
            self._thread.start()

    def join(self) -> None:
        """Wait until the work is done, if it was started."""
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        with contextlib.suppress(Exception):
            self._work()

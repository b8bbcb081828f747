"""Time that passes without waiting, for tests of pacing, retries and deadlines.

:class:`SkippedSleeps` is for runs over loopback: each sleep returns at once and moves
the clock on by its length (sleeps of concurrent requests add up, so the clock runs
ahead of the time a real run would take). :class:`VirtualLoop` is exact, for runs
that do no real I/O (emulators in process through ``httpx.ASGITransport``): an
event loop whose clock stands still while anything is ready to run and jumps to the
next timer when nothing is, so concurrent waits overlap as they would for real.
"""

from __future__ import annotations

import asyncio
import selectors
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
from starlette.types import ASGIApp

T = TypeVar("T")


class SkippedSleeps:
    """A monotonic clock that a sleep moves forward at once: waits cost no real time.

    Real time still passes underneath (requests over loopback take it), so the
    clock reads the real monotonic time plus every second slept so far.
    """

    def __init__(self) -> None:
        self.slept = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.slept

    async def sleep(self, seconds: float) -> None:
        self.slept += max(0.0, seconds)
        await asyncio.sleep(0)


class _Selector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Never blocks: where the loop would wait ``timeout`` for I/O, the clock moves on."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready: list[tuple[selectors.SelectorKey, int]] = super().select(0)
        if not ready and timeout is not None and timeout > 0:
            self.now += timeout
        return ready


class VirtualLoop(asyncio.SelectorEventLoop):
    """An event loop on virtual time; ``time()`` is its clock, starting at 0."""

    def __init__(self) -> None:
        self._virtual = _Selector()
        super().__init__(selector=self._virtual)

    def time(self) -> float:
        return self._virtual.now


def run_virtually(main: Coroutine[Any, Any, T]) -> tuple[T, float]:
    """Run a coroutine on a fresh :class:`VirtualLoop`; its result and the seconds it took."""
    loop = VirtualLoop()
    try:
        return loop.run_until_complete(main), loop.time()
    finally:
        loop.close()


class RoundTrip(httpx.AsyncBaseTransport):
    """An in-process transport to an ASGI app whose answers take ``seconds`` each, as over
    a network (on a :class:`VirtualLoop`, virtual seconds)."""

    def __init__(self, app: ASGIApp, seconds: float = 0.02) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self._seconds)
        return await self._inner.handle_async_request(request)

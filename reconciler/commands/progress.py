"""A progress display for the reads of both systems, on a terminal only (rich, on stderr).

Each side's first ``read`` gets a row that pulses while it runs and says what it
read when done. While a side waits (CharlieHR rate-limiting the read), its row says
so, with counts: a side's ``status()`` gives those words. Later reads (``apply``
re-reads Ledgy just before writing) are not shown, since ``apply`` then shows its
own bar and rich allows one live display.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, cast

from reconciler.pipeline import Sides
from reconciler.sources.base import Source
from reconciler.targets.base import Target

if TYPE_CHECKING:
    from rich.console import Console

FORCING = ("FORCE_COLOR", "TTY_COMPATIBLE")
"""The variables by which rich takes a file for a terminal that is not one."""


class ReadProgress:
    """One live display with a row per side being read; stops when the last read ends."""

    def __init__(self, console: Console) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._running = 0

    def begin(self, label: str) -> int:
        """Show a row for a read that starts now."""
        if self._running == 0:
            self._bar.start()
        self._running += 1
        return int(self._bar.add_task(f"reading {label}", total=None))

    def say(self, task: int, text: str) -> None:
        """Change what a running read's row says, on the screen at once."""
        self._bar.update(task, description=text)  # type: ignore[arg-type]
        self._bar.refresh()

    def end(self, task: int, text: str) -> None:
        """Mark a read done; the display goes away once every read is done."""
        self._bar.update(task, description=text, total=1, completed=1)  # type: ignore[arg-type]
        self._running -= 1
        if self._running == 0:
            self._bar.stop()

    def stop(self) -> None:
        """Take the display down (the run is over, or failed)."""
        self._bar.stop()


STATUS_EVERY = 0.5
"""Seconds between two looks at what a read waits for."""


class _Reported:
    """A source or target whose first ``read`` shows on the display; the rest passes through."""

    def __init__(self, inner: Any, progress: ReadProgress, label: str, noun: str) -> None:
        self._inner = inner
        self._progress = progress
        self._label = label
        self._noun = noun
        self._shown = False

    async def read(self, *early: Any) -> Any:
        if self._shown:
            return await self._inner.read(*early)
        self._shown = True
        task = self._progress.begin(self._label)
        text = f"{self._label}: failed"
        try:
            async with self._watching(task):
                result = await self._inner.read(*early)
            count = len(getattr(result, "stakeholders", result))
            text = f"{self._label}: {count} {self._noun}"
            return result
        finally:
            self._progress.end(task, text)

    @contextlib.asynccontextmanager
    async def _watching(self, task: int) -> AsyncIterator[None]:
        """While inside, the row says what the read waits for (when the side can tell)."""
        status: Callable[[], str | None] | None = getattr(self._inner, "status", None)
        if status is None:
            yield
            return
        watcher = asyncio.create_task(self._watch(task, status))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def _watch(self, task: int, status: Callable[[], str | None]) -> None:
        """Keep the row saying what the read waits for, or that it is reading."""
        said = ""
        while True:
            text = status() or f"reading {self._label}"
            if text != said:
                self._progress.say(task, text)
                said = text
            await asyncio.sleep(STATUS_EVERY)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def with_read_progress(sides: Sides, console: Console | None = None) -> Sides:
    """The same sides, showing their reads on a terminal; unchanged anywhere else.

    rich is imported only where it may find a terminal: in CI it cost 30 ms before the
    first request, to learn that stderr is not one.
    """
    if console is None:
        if not _may_be_terminal():
            return sides
        from rich.console import Console

        console = Console(stderr=True)
    if not console.is_terminal:
        return sides
    progress = ReadProgress(console)
    source = _Reported(sides.source, progress, "CharlieHR", "employees")
    target = _Reported(sides.target, progress, "Ledgy", "stakeholders")
    return Sides(cast(Source, source), cast(Target, target), [progress.stop, *sides.closers])


def _may_be_terminal() -> bool:
    """False only where rich would find no terminal either: stderr is no tty, and no
    variable tells rich to take it for one."""
    try:
        if sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):  # replaced or closed
        return False
    return any(name in os.environ for name in FORCING)

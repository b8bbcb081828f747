"""Running awaitables together, all or nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


async def all_or_nothing(*awaitables: Awaitable[Any]) -> list[Any]:
    """Await all concurrently; when one fails, cancel the rest and wait for them.

    ``asyncio.gather`` leaves the others running after a failure: a failed read
    would go on sending requests (and leave connections open) after the run gave up.
    """
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise

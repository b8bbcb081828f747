"""Benchmark: fetch 10,000 employees from the CharlieHR emulator at 50 ms per request.

Not a test (shared machines are noisy): it prints a table. The floor is what
latency alone allows: ceil(requests / concurrency) x latency.

    .venv/bin/python bench/fetch.py [--size 10000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from reconciler.config.secrets import Secret
from reconciler.sandbox.charliehr import PREFIX, SANDBOX_ID, SANDBOX_SECRET
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials


async def _fetch(url: str, concurrency: int) -> tuple[int, float, int]:
    credentials = Credentials(Secret(SANDBOX_ID), Secret(SANDBOX_SECRET))
    async with CharlieHRClient(url + PREFIX, credentials, concurrency=concurrency) as client:
        started = time.perf_counter()
        members = await client.team_members()
        wall = time.perf_counter() - started
    return len(members), wall, client.stats.requests


@contextmanager
def _emulator(size: int, latency: float) -> Iterator[str]:
    """The emulator in its own process, as a real server would be (no shared GIL)."""
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--size",
        str(size),
        "--latency",
        str(latency),
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split(": ", 1)[1].strip()
            yield url.removesuffix(PREFIX)
        finally:
            stop(process)


def stop(process: subprocess.Popen[str], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout``: started in the background a process
    ignores SIGINT, so Ctrl-C's signal would leave the emulator (and us) hanging."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    rows = []
    with _emulator(args.size, args.latency) as url:
        for concurrency in (8, 1):
            count, wall, requests = asyncio.run(_fetch(url, concurrency))
            floor = math.ceil(requests / concurrency) * args.latency
            rows.append((concurrency, count, requests, wall, floor))
    print(f"CharlieHR fetch: {args.size} employees, {args.latency * 1000:.0f} ms per request")
    header = ("concurrency", "employees", "requests", "wall s", "floor s", "wall/floor")
    print(" ".join(f"{h:>11}" for h in header))
    for concurrency, count, requests, wall, floor in rows:
        cells = (
            f"{concurrency}",
            f"{count}",
            f"{requests}",
            f"{wall:.2f}",
            f"{floor:.2f}",
            f"{wall / floor:.2f}",
        )
        print(" ".join(f"{c:>11}" for c in cells))
    speedup = rows[1][3] / rows[0][3]
    print(f"concurrent is {speedup:.1f}x faster than one request at a time")


if __name__ == "__main__":
    main()

"""Benchmark: apply 5,000 stakeholder updates to the Ledgy emulator under its rate limit.

Not a test: it prints a table. Ledgy documents 20 requests per 5 seconds, so the
floor for R requests is (ceil(R / 20) - 1) x 5 s: the first 20 go at once, every
further 20 wait for the window to move on.

    .venv/bin/python bench/apply.py [--updates 5000] [--batch-size 50]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time

from reconciler.config.secrets import Secret
from reconciler.domain.writes import Write
from reconciler.sandbox.faults import Traffic
from reconciler.sandbox.ledgy import PATH, RATE_LIMIT, SANDBOX_KEY, create_app
from reconciler.sandbox.ledgy_data import LedgyData, stakeholder_record
from reconciler.sandbox.server import serve_in_thread
from reconciler.targets.ledgy.client import LedgyClient
from reconciler.targets.ledgy.operations import load_operations
from reconciler.targets.ledgy.target import LedgyApiTarget


def _company(size: int) -> LedgyData:
    people = [
        stakeholder_record(
            {
                "id": f"sh_{i:06d}",
                "name": f"Person {i}",
                "identifier": f"p{i}@acme.test",
                "group": "Employees",
            }
        )
        for i in range(size)
    ]
    return LedgyData({"id": "co_1", "name": "Acme Ltd"}, ["Office"], people)


async def _apply(url: str, updates: int, batch_size: int) -> tuple[float, int, int, float]:
    client = LedgyClient(url + PATH, Secret(SANDBOX_KEY), load_operations(), batch_size=batch_size)
    target = LedgyApiTarget(client, "Acme Ltd")
    writes = [
        Write(
            "update",
            f"p{i}@acme.test",
            {"custom_fields.Office": "Berlin", "group": "Alumni"},
            f"sh_{i:06d}",
        )
        for i in range(updates)
    ]
    started = time.perf_counter()
    results = await target.apply(writes)
    wall = time.perf_counter() - started
    await target.aclose()
    assert all(r.ok for r in results)
    waited = client._limiter.waited if client._limiter else 0.0
    return wall, client.stats.requests, client.stats.throttled, waited


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()
    traffic = Traffic()
    app = create_app(_company(args.updates), rate_limit=RATE_LIMIT, traffic=traffic)
    with serve_in_thread(app) as url:
        wall, requests, throttled, waited = asyncio.run(_apply(url, args.updates, args.batch_size))
    limit, window = RATE_LIMIT
    floor = (math.ceil(requests / limit) - 1) * window
    print(f"Ledgy apply: {args.updates} updates, batch size {args.batch_size}, ", end="")
    print(f"limit {limit} requests per {window:.0f} s")
    header = ("updates", "requests", "429s", "wall s", "floor s", "wall/floor", "limiter wait s")
    cells = (
        args.updates,
        requests,
        traffic.limited,
        f"{wall:.2f}",
        f"{floor:.2f}",
        f"{wall / floor:.2f}" if floor else "-",
        f"{waited:.2f}",
    )
    print(" ".join(f"{h:>14}" for h in header))
    print(" ".join(f"{c!s:>14}" for c in cells))
    assert throttled == traffic.limited


if __name__ == "__main__":
    main()

"""Start the emulators on loopback for a test, with their traffic counters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from reconciler.config.secrets import Secret
from reconciler.retry import RetryPolicy
from reconciler.sandbox.charliehr import (
    PREFIX,
    SANDBOX_ID,
    SANDBOX_SECRET,
    Behaviour,
    CharlieHRData,
    create_app,
)
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.faults import Knobs, Traffic
from reconciler.sandbox.server import serve_in_thread
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials

TODAY = date(2026, 11, 25)
FAST = RetryPolicy(attempts=8, base_delay=0.005, max_delay=0.05)
CREDENTIALS = Credentials(Secret(SANDBOX_ID), Secret(SANDBOX_SECRET))


@dataclass
class Running:
    url: str
    traffic: Traffic
    data: CharlieHRData

    def client(self, **options: object) -> CharlieHRClient:
        options.setdefault("policy", FAST)
        return CharlieHRClient(self.url + PREFIX, CREDENTIALS, **options)  # type: ignore[arg-type]


@contextmanager
def charliehr(
    data: CharlieHRData | None = None,
    *,
    size: int = 30,
    behaviour: Behaviour | None = None,
    knobs: Knobs | None = None,
) -> Iterator[Running]:
    company = data or generate_company(size, today=TODAY)
    traffic = Traffic()
    app = create_app(company, behaviour=behaviour, knobs=knobs, traffic=traffic)
    with serve_in_thread(app) as url:
        yield Running(url, traffic, company)

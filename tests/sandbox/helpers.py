"""Start the emulators on loopback for a test, with their traffic counters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from reconciler.config.secrets import Secret
from reconciler.http.retry import RetryPolicy
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
from reconciler.sandbox.ledgy import PATH, SANDBOX_KEY, Refusals
from reconciler.sandbox.ledgy import Behaviour as LedgyBehaviour
from reconciler.sandbox.ledgy import create_app as create_ledgy_app
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import serve_in_thread
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials
from reconciler.targets.ledgy.client import LedgyClient
from reconciler.targets.ledgy.operations import load_operations
from reconciler.targets.ledgy.target import LedgyApiTarget

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


LEDGY_FAST = RetryPolicy(attempts=6, base_delay=0.005, max_delay=0.05)


@dataclass
class RunningLedgy:
    url: str
    traffic: Traffic
    data: LedgyData

    def client(self, **options: Any) -> LedgyClient:
        options.setdefault("policy", LEDGY_FAST)
        return LedgyClient(self.url + PATH, Secret(SANDBOX_KEY), load_operations(), **options)

    def target(self, company: str = "Acme Ltd", **options: Any) -> LedgyApiTarget:
        return LedgyApiTarget(self.client(**options), company)

    def writes(self) -> int:
        return sum(self.traffic.served.values())


@contextmanager
def ledgy(
    data: LedgyData | None = None,
    *,
    knobs: Knobs | None = None,
    custom_fields: tuple[str, ...] = (),
    published_only: bool = False,
    refusals: Refusals | None = None,
    behaviour: LedgyBehaviour | None = None,
) -> Iterator[RunningLedgy]:
    company = data or LedgyData({"id": "co_1", "name": "Acme Ltd"}, list(custom_fields))
    traffic = Traffic()
    app = create_ledgy_app(
        company,
        knobs=Knobs() if knobs is None else knobs,
        traffic=traffic,
        published_only=published_only,
        refusals=refusals,
        behaviour=behaviour,
    )
    with serve_in_thread(app) as url:
        yield RunningLedgy(url, traffic, company)

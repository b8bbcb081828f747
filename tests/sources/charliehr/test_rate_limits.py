"""CharlieHR answering 429: every read ends, soon, and says why it waits or why it stopped.

Runs over loopback skip their sleeps (the clock jumps instead); runs that measure how
long a user would wait use a virtual-time event loop with the emulator in process, so
a second of ``Retry-After`` costs no real time and concurrent waits overlap exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.config.load import load_config
from reconciler.config.secrets import hr_secrets
from reconciler.domain.employee import Employee
from reconciler.errors import SourceError
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
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.sandbox.server import serve_in_thread
from reconciler.sources.charliehr.client import CharlieHRClient
from reconciler.sources.charliehr.source import CharlieHRSource, charliehr_source
from reconciler.sources.charliehr.waits import RATE_LIMITED
from tests.sandbox.helpers import CREDENTIALS, TODAY
from tests.virtual_time import RoundTrip, SkippedSleeps, run_virtually

NO_TOTALS = Behaviour(meta_totals=False)


async def _read(client: CharlieHRClient) -> tuple[Employee, ...] | SourceError:
    """The employees read, or the error the read ended with; the client closed."""
    try:
        return tuple(await CharlieHRSource(client, today=TODAY).read())
    except SourceError as error:
        return error
    finally:
        await client.aclose()


def read_virtually(
    company: CharlieHRData, knobs: Knobs, seed: int = 0, **options: object
) -> tuple[tuple[Employee, ...] | SourceError, float]:
    """Read the company through the client on virtual time; what it gave and how long."""
    app = create_app(company, behaviour=NO_TOTALS, knobs=knobs)

    async def main() -> tuple[Employee, ...] | SourceError:
        loop = asyncio.get_running_loop()
        client = CharlieHRClient(
            "http://charliehr.test" + PREFIX,
            CREDENTIALS,
            transport=RoundTrip(app),
            clock=loop.time,
            rng=random.Random(seed),
            **options,  # type: ignore[arg-type]
        )
        return await _read(client)

    return run_virtually(main())


def _clean(error: SourceError) -> None:
    assert re.match(r"CharlieHR(:| GET /\S+)", error.message), error.message
    assert error.remedy
    assert "Traceback" not in error.diagnostics()


@pytest.fixture(scope="module")
def company() -> CharlieHRData:
    return generate_company(120, today=TODAY)


def test_a_120_person_read_with_30_percent_429s_and_no_totals_waits_under_a_minute(
    company: CharlieHRData,
) -> None:
    """The emulator's 429s carry ``Retry-After: 1``. Halving the pace on every 429
    took 442 s here; a 429 now costs its pause, and the read a few dozen of them."""
    expected, quiet = read_virtually(company, Knobs())
    assert isinstance(expected, tuple) and len(expected) == 120
    assert quiet < 1
    for seed in range(3):
        got, took = read_virtually(company, Knobs(fault_rate=0.3, faults=("429",), seed=seed))
        assert got == expected
        assert took < 60, f"seed {seed}: {took:.0f} s"


@pytest.mark.parametrize("retry_after", [1, None], ids=["retry-after", "no-retry-after"])
def test_at_50_percent_429s_every_read_ends_exact_or_cleanly_within_the_deadline(
    company: CharlieHRData, retry_after: int | None
) -> None:
    expected, _ = read_virtually(company, Knobs())
    for seed in range(3):
        knobs = Knobs(fault_rate=0.5, faults=("429",), seed=seed, retry_after=retry_after)
        got, took = read_virtually(company, knobs, seed)
        if isinstance(got, SourceError):
            _clean(got)
        else:
            assert got == expected
        assert took < 300, f"seed {seed}: {took:.0f} s"


def test_a_server_that_always_says_429_ends_at_the_deadline_naming_what_was_waited_for(
    company: CharlieHRData,
) -> None:
    knobs = Knobs(fault_rate=1.0, faults=("429",))
    patient = RetryPolicy(throttled_attempts=1000, max_wait=10_000)
    got, took = read_virtually(company, knobs, read_deadline=30.0, policy=patient)
    assert isinstance(got, SourceError)
    _clean(got)
    assert took <= 30.0
    message = got.message
    assert message.startswith(
        "CharlieHR: the read did not finish within 30 s (hris.read_deadline_seconds); "
        "it was still waiting for "
    )
    waiting = re.search(r"still waiting for (\d+) requests? \(GET ([^)]*)\)", message)
    assert waiting, message
    endpoints = dict(re.findall(r"/(\w+) (\d+)", waiting.group(2)))
    assert set(endpoints) <= {"team_members", "salaries", "teams", "offices"}
    assert sum(map(int, endpoints.values())) == int(waiting.group(1))
    sent = re.search(r"after sending (\d+) requests?, (\d+) of them answered 429", message)
    assert sent, message
    answered = int(sent.group(2))  # the rest were still on their way
    assert int(sent.group(1)) - int(waiting.group(1)) <= answered <= int(sent.group(1))
    assert message.endswith("nothing was planned")
    assert "hris.requests_per_second" in str(got.remedy)
    assert "hris.read_deadline_seconds" in str(got.remedy)


def test_a_server_refusing_nearly_everything_ends_the_read_soon_saying_it_rate_limits(
    company: CharlieHRData,
) -> None:
    got, took = read_virtually(company, Knobs(fault_rate=0.97, faults=("429",)))
    assert isinstance(got, SourceError)
    assert re.fullmatch(
        r"CharlieHR GET /\S+ failed \d+ times \(HTTP 429; \d+ retries already for \d+ requests\)",
        got.message,
    ), got.message
    assert got.remedy == RATE_LIMITED
    assert took < 60


def test_a_request_the_server_never_answers_ends_at_the_deadline(company: CharlieHRData) -> None:
    knobs = Knobs(fault_rate=1.0, faults=("timeout",), stall=10_000)
    got, took = read_virtually(company, knobs, read_deadline=45.0, timeout=1_000.0)
    assert isinstance(got, SourceError)
    assert took == pytest.approx(45.0)
    assert "did not finish within 45 s" in got.message
    assert "0 of them answered 429" in got.message
    assert got.remedy == (
        "CharlieHR answers slowly: run again later, or raise hris.read_deadline_seconds "
        "to wait longer"
    )


def test_a_retry_after_past_the_deadline_ends_the_read_at_once() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "100"}, json={"success": False})

    async def main() -> SourceError | tuple[Employee, ...]:
        loop = asyncio.get_running_loop()
        client = CharlieHRClient(
            "http://charliehr.test" + PREFIX,
            CREDENTIALS,
            transport=httpx.MockTransport(handler),
            clock=loop.time,
            read_deadline=60.0,
        )
        return await _read(client)

    got, took = run_virtually(main())
    assert isinstance(got, SourceError)
    assert took == 0.0
    assert "did not finish within 60 s" in got.message
    assert "CharlieHR asked for a pause of 100 s more" in got.message


def test_while_it_waits_the_client_says_so_with_counts_and_the_log_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = iter([429, 429, 200])
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == 429:
            return httpx.Response(429, headers={"Retry-After": "4"}, json={"success": False})
        return httpx.Response(200, json={"success": True, "data": {"name": "Acme"}})

    async def main() -> None:
        loop = asyncio.get_running_loop()
        client = CharlieHRClient(
            "http://charliehr.test" + PREFIX,
            CREDENTIALS,
            transport=httpx.MockTransport(handler),
            clock=loop.time,
            requests_per_second=8.0,
        )

        async def watch() -> None:
            await asyncio.sleep(0.001)  # the first answer is taken in first
            while True:
                seen.append(client.status())
                await asyncio.sleep(1.5)

        watcher = asyncio.create_task(watch())
        async with client:
            await client.company()  # 429 at 0 s and at 4 s, answered at 8 s
        watcher.cancel()
        seen.append(client.status())
        await asyncio.sleep(10)
        seen.append(client.status())

    with caplog.at_level(logging.INFO, logger="reconciler.sources.charliehr.waits"):
        run_virtually(main())
    said = "CharlieHR is rate-limiting: "
    assert seen == [
        f"{said}1 request refused so far, pace 4.0/s, retrying in 4 s",  # 0 s
        f"{said}1 request refused so far, pace 8.0/s, retrying in 3 s",  # 1.5 s: won back
        f"{said}1 request refused so far, pace 8.0/s, retrying in 1 s",
        f"{said}2 requests refused so far, pace 5.7/s, retrying in 4 s",  # 4.5 s: cut again
        f"{said}2 requests refused so far, pace 8.0/s, retrying in 2 s",
        f"{said}2 requests refused so far, pace 8.0/s, retrying in 1 s",
        f"{said}2 requests refused so far, pace 8.0/s",  # 8 s: answered
        None,  # 18 s: nothing refused for 10 s
    ]
    logged = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert logged == [
        (logging.WARNING, f"{said}1 request refused so far, pace 4.0/s, retrying in 4 s"),
        (logging.INFO, f"{said}2 requests refused so far, pace 4.0/s, retrying in 4 s"),
    ]


@pytest.fixture(scope="module")
def served(company: CharlieHRData) -> Iterator[tuple[str, MisbehaviourMiddleware]]:
    app = create_app(company, behaviour=NO_TOTALS)
    with serve_in_thread(app) as url:
        yield url, app


@pytest.mark.anyio
@pytest.mark.parametrize("share", [0.3, 0.5])
async def test_over_loopback_429s_and_no_totals_end_exact_or_with_a_clean_failure(
    served: tuple[str, MisbehaviourMiddleware], share: float
) -> None:
    url, app = served

    async def read(knobs: Knobs, seed: int) -> tuple[Employee, ...] | SourceError:
        app.reconfigure(knobs)
        clock = SkippedSleeps()
        client = CharlieHRClient(
            url + PREFIX,
            CREDENTIALS,
            sleep=clock.sleep,
            clock=clock,
            rng=random.Random(seed),
            transport=httpx.AsyncHTTPTransport(verify=False),  # plain HTTP: skip loading CAs
        )
        return await _read(client)

    expected = await read(Knobs(), 0)
    outcomes = {"exact": 0, "clean failure": 0}
    for seed in range(5):
        got = await read(Knobs(fault_rate=share, faults=("429",), seed=seed), seed)
        if isinstance(got, SourceError):
            _clean(got)
            outcomes["clean failure"] += 1
        else:
            assert got == expected, f"seed {seed}: a different read"
            outcomes["exact"] += 1
    assert outcomes["exact"] >= 4, outcomes


@pytest.mark.anyio
async def test_the_deadline_is_the_configs_read_deadline_seconds(
    tmp_path: Path, company: CharlieHRData
) -> None:
    path = tmp_path / "company.yaml"
    path.write_text(
        "version: 1\nhris:\n  provider: charliehr\n  client_id: env/HR_ID\n"
        "  client_secret: env/HR_SECRET\n  read_deadline_seconds: 0.5\n"
        "ledgy: {company: Acme Ltd, api_key: env/LEDGY_KEY}\n",
        encoding="utf-8",
    )
    app = create_app(company, knobs=Knobs(fault_rate=1.0, faults=("429",)))
    loaded = load_config(path)
    source = charliehr_source(
        loaded,
        hr_secrets(loaded, {"HR_ID": SANDBOX_ID, "HR_SECRET": SANDBOX_SECRET}),
        today=TODAY,
        transport=httpx.ASGITransport(app=app),
        base_url="http://charliehr.test" + PREFIX,
    )
    with pytest.raises(SourceError, match=r"did not finish within 0\.5 s \(hris\.read_deadline"):
        await source.read()  # the first Retry-After (1 s) would end past it: no waiting
    await source.client.aclose()


@pytest.mark.parametrize("paced", [True, False], ids=["configured", "adaptive"])
def test_a_read_completes_against_a_server_allowing_5_requests_a_second(
    tmp_path: Path, paced: bool
) -> None:
    """The config's ``requests_per_second`` keeps the read under the server's limit; without
    it the client meets the limit, slows down and still reads everyone (virtual time:
    the emulator's limit and the client's waits read the same clock)."""
    path = tmp_path / "company.yaml"
    pacing = "  requests_per_second: 4\n" if paced else ""
    path.write_text(
        "version: 1\nhris:\n  provider: charliehr\n  client_id: env/HR_ID\n"
        f"  client_secret: env/HR_SECRET\n{pacing}"
        "ledgy: {company: Acme Ltd, api_key: env/LEDGY_KEY}\n",
        encoding="utf-8",
    )
    loaded = load_config(path)
    secrets = hr_secrets(loaded, {"HR_ID": SANDBOX_ID, "HR_SECRET": SANDBOX_SECRET})

    async def main() -> tuple[int, Traffic]:
        loop = asyncio.get_running_loop()
        traffic = Traffic(clock=loop.time)
        knobs = Knobs(rate_limit=5, rate_window=1.0)
        app = create_app(generate_company(120, today=TODAY), knobs=knobs, traffic=traffic)
        source = charliehr_source(
            loaded,
            secrets,
            today=TODAY,
            transport=RoundTrip(app),
            base_url="http://charliehr.test" + PREFIX,
            clock=loop.time,
        )
        try:
            return len(await source.read()), traffic
        finally:
            await source.client.aclose()

    (employees, traffic), took = run_virtually(main())
    assert employees == 120
    arrivals = traffic.times
    assert len(arrivals) >= 10 and took >= 1.0  # more than the limit allows in one second
    if paced:
        assert traffic.limited == 0  # never over the server's limit
        gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
        assert min(gaps) >= 0.25 - 1e-9  # four a second, as configured
    else:
        assert traffic.limited > 0  # it met the limit, slowed down and finished

"""The read path under injected faults: the fault-free plan, or a clean failure. Never another plan.

One emulator per pagination mode (meta style, answer past the end, page size) serves
every run over loopback; each run reseeds its faults. Runs are cheap: a small company,
no latency, no real sleeping (the client's sleep is injected), a short timeout. The
default modes, with and without totals, get the most runs; the others fewer each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from reconciler.config.load import LoadedConfig, load_config
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.errors import IncompleteReadError, SourceError, SuspiciousSourceError
from reconciler.pipeline import Sides, plan, unsafe
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox.charliehr import PREFIX, Behaviour, create_app
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.faults import ALL_FAULTS, Knobs, MisbehaviourMiddleware
from reconciler.sandbox.server import serve_in_thread
from reconciler.sources.charliehr.client import CharlieHRClient
from reconciler.sources.charliehr.source import CharlieHRSource, needs_of
from reconciler.targets.ledgy.codec import stakeholder_from_json
from reconciler.targets.memory import InMemoryTarget
from tests.sandbox.helpers import CREDENTIALS, FAST, TODAY
from tests.virtual_time import SkippedSleeps

pytestmark = pytest.mark.anyio
RUNS = 100
FAULTS = tuple(f for f in ALL_FAULTS if f != "500_after")  # a read has no work to half-do
CONFIG = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID
  client_secret: env/HR_SECRET
ledgy:
  company: Acme Ltd
  api_key: env/LEDGY_KEY
stakeholders:
  group: Employees
  optional_fields: [manager, pay_rate]
"""


@dataclass(frozen=True)
class Mode:
    """How the emulator pages its lists, and the page size the client asks for."""

    name: str
    behaviour: Behaviour
    runs: int = 15
    page_size: int = 25

    @property
    def style(self) -> str:
        return self.behaviour.meta_style if self.behaviour.meta_totals else "next_url_only"


MODES = (
    Mode("totals", Behaviour(), RUNS),
    Mode("no-totals", Behaviour(meta_totals=False), RUNS),
    Mode("openapi-404", Behaviour(meta_style="page_per_page_total", past_end="not_found")),
    Mode("count-repeat", Behaviour(meta_style="count", past_end="repeat_last")),
    Mode("pages-404", Behaviour(meta_style="total_pages", past_end="not_found")),
    Mode("next-url-repeat", Behaviour(meta_style="next_url_only", past_end="repeat_last")),
    Mode("bare-404", Behaviour(meta_style="bare", past_end="not_found")),
    Mode("cut-to-25", Behaviour(meta_style="next_url_only", echo_page_size=False), page_size=100),
)
TOTALS = frozenset({"full", "page_per_page_total", "total_count", "count"})
"""Styles whose pages count the list's items."""


@dataclass
class Bench:
    """A served emulator, the config, and Ledgy's state for every run."""

    url: str
    app: MisbehaviourMiddleware
    loaded: LoadedConfig
    state: TargetState
    mode: Mode

    async def plan(self, knobs: Knobs) -> Plan:
        self.app.reconfigure(knobs)
        clock = SkippedSleeps()
        client = CharlieHRClient(
            self.url + PREFIX,
            CREDENTIALS,
            concurrency=8,
            timeout=0.05,
            page_size=self.mode.page_size,
            policy=FAST,
            sleep=clock.sleep,
            clock=clock,
            transport=httpx.AsyncHTTPTransport(verify=False),  # plain HTTP: skip loading CAs
        )
        needs = needs_of(self.loaded.config.stakeholders)
        source = CharlieHRSource(client, today=TODAY, needs=needs)
        sides = Sides(source, InMemoryTarget(self.state), [client.aclose])
        try:
            return await plan(self.loaded, sides, SANDBOX_KEY)
        finally:
            await sides.aclose()


@pytest.fixture(scope="module", params=MODES, ids=[m.name for m in MODES])
def bench(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    path = tmp_path_factory.mktemp("faults") / "company.yaml"
    path.write_text(CONFIG)
    loaded = load_config(path)
    company = generate_company(30, today=TODAY)
    ledgy = generate_ledgy(company, loaded.config, today=TODAY)
    people = tuple(stakeholder_from_json(ledgy_emulator.shown(s)) for s in ledgy.stakeholders)
    state = TargetState("Acme Ltd", people, frozenset(ledgy.custom_fields))
    mode: Mode = request.param
    app = create_app(company, behaviour=mode.behaviour)
    with serve_in_thread(app) as url:
        yield Bench(url, app, loaded, state, mode)


async def test_at_20_percent_faults_every_run_gives_the_fault_free_plan_or_fails_naming_the_cause(
    bench: Bench,
) -> None:
    expected = await bench.plan(Knobs())
    assert expected.has_changes and expected.orphaned  # a plan with something to lose
    outcomes: dict[str, int] = {"same plan": 0, "clean failure": 0}
    for seed in range(bench.mode.runs):
        knobs = Knobs(fault_rate=0.2, faults=FAULTS, seed=seed, stall=0.2)
        try:
            got = await bench.plan(knobs)
        except SourceError as error:
            assert re.search(r"CharlieHR GET /\S+", error.message), error.message
            assert "Traceback" not in error.diagnostics()
            outcomes["clean failure"] += 1
            continue
        assert got.checksum == expected.checksum, f"seed {seed}: a different plan"
        assert got.to_dict() == expected.to_dict()
        outcomes["same plan"] += 1
    assert outcomes["same plan"] > bench.mode.runs * 0.8, outcomes


async def test_a_list_page_that_always_comes_back_short_is_refused_naming_endpoint_and_page(
    bench: Bench,
) -> None:
    if bench.mode.style == "bare":
        pytest.skip("a page without meta cannot show it was cut: the reads are compared")
    with pytest.raises(IncompleteReadError) as caught:
        await bench.plan(Knobs(fault_rate=1.0, faults=("short_page",)))
    message = caught.value.message
    size = bench.mode.page_size
    found = re.search(
        rf"^CharlieHR GET /[a-z_]+\?page=(\d+)&per_page={size} failed 8 times", message
    )
    assert found, message
    page = found.group(1)
    assert re.search(rf"\(page {page} has \d+ (of {size} )?items (where|although)", message)
    assert message.endswith("nothing was planned from a partial list")


async def test_pages_that_always_come_back_empty_are_refused_or_read_as_an_empty_company(
    bench: Bench,
) -> None:
    """Totals give them away (a page count too, for a list of two pages). Without, every
    page saying "the list ends here" is what an empty company looks like; the safety
    check then refuses the plan."""
    knobs = Knobs(fault_rate=1.0, faults=("empty_page",))
    if bench.mode.style in (*TOTALS, "total_pages"):
        with pytest.raises(IncompleteReadError, match=r"page \d has 0 (of 25 )?items (where|alth)"):
            await bench.plan(knobs)
        return
    emptied = await bench.plan(knobs)
    assert emptied.counts.employees == 0
    assert isinstance(unsafe(emptied, bench.loaded), SuspiciousSourceError)

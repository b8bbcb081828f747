"""What a plan's first request does not need is imported later, while requests travel.

``reconciler plan`` is a process a user or CI waits for, start to exit: the imports
that stand before its first request lengthen every run (bench/e2e.py prints
``first_s``). These tests pin which modules stay out until then, and that what is
imported ahead happens as the long reads start. They time nothing.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from reconciler import pipeline
from reconciler.concurrency import Ahead
from reconciler.config.secrets import Secret
from reconciler.domain.countries import ASSIGNED, is_alpha2
from reconciler.domain.employee import Employee
from reconciler.domain.gaps import Gap
from reconciler.domain.stakeholder import TargetState
from reconciler.domain.writes import Progress, Write, WriteResult
from reconciler.sources.base import Early
from reconciler.targets.ledgy.client import LedgyClient

EXAMPLE = Path(__file__).parent.parent / "examples" / "company.yaml"
LATER = (
    "graphql",
    "pycountry",
    "deepdiff",
    "email_validator",
    "confusable_homoglyphs",
    "phonenumbers",
    "reconciler.targets.ledgy.operations",
    "reconciler.engine.build",
    "reconciler.engine.safety",
    "reconciler.engine.approval",
    "reconciler.render.text",
    "reconciler.render.markdown",
    "reconciler.render.json_plan",
    "reconciler.github.publish",
    "reconciler.commands.rules",
    "reconciler.config.index",
    "reconciler.commands.siblings",
    "reconciler.sandbox",
    "click",
    "pygments",
)
"""Modules a live plan needs only after its first request (or never). click and pygments
are installed here (development tools need them); httpx imports its command-line client,
and them, whenever they are, unless the package stops it."""

BEFORE_THE_FIRST_REQUEST = """
import json, sys
from pathlib import Path

from reconciler.main import build_parser
from reconciler.commands.plan import plan  # what `reconciler plan` imports
from reconciler.commands.context import open_run

build_parser()
env = {"CHARLIEHR_CLIENT_ID": "id", "CHARLIEHR_CLIENT_SECRET": "secret", "LEDGY_API_KEY": "key"}
run = open_run(Path(sys.argv[1]), sandbox=None, as_of=None, environ=env)
run.sides()  # the live clients, as the plan builds them just before its first request
asked = sys.argv[2:]
print(json.dumps(sorted(m for m in sys.modules if any(m == a or m.startswith(a + ".") for a in asked))))
"""


def _loaded_before_the_first_request(where: Path, *names: str) -> list[str]:
    """Of ``names``, the modules loaded once a live plan's sides are built (run in
    ``where``, a folder without an index of configs)."""
    command = [sys.executable, "-c", BEFORE_THE_FIRST_REQUEST, str(EXAMPLE), *names]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=where)
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_a_live_plan_builds_its_sides_without_what_comes_after_the_first_request(
    tmp_path: Path,
) -> None:
    assert _loaded_before_the_first_request(tmp_path, *LATER) == []


def test_the_check_sees_a_module_that_is_loaded(tmp_path: Path) -> None:
    # The probe itself works: modules the sides do need are reported.
    client = "reconciler.sources.charliehr.client"
    assert _loaded_before_the_first_request(tmp_path, client) == [client]


def test_ahead_runs_its_work_in_another_thread_only_once_started() -> None:
    ran: list[threading.Thread] = []
    ahead = Ahead(lambda: ran.append(threading.current_thread()))
    ahead.join()  # never started: nothing to wait for
    assert ran == []
    ahead.start()
    ahead.start()  # once
    ahead.join()
    assert len(ran) == 1
    assert ran[0] is not threading.current_thread()
    assert ran[0].daemon


def test_an_error_ahead_is_left_to_the_later_use() -> None:
    def broken() -> None:
        raise ImportError("no module named 'later'")

    ahead = Ahead(broken)
    ahead.start()
    ahead.join()  # no error here: the module's own import reports it where it is used


class _Source:
    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.gaps: tuple[Gap, ...] = ()

    async def preflight(self) -> None:
        self.events.append("CharlieHR preflight")

    async def read(self, early: Early | None = None) -> tuple[Employee, ...]:
        self.events.append("CharlieHR read")
        return ()


class _Target:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    async def preflight(self) -> frozenset[str]:
        self.events.append("Ledgy preflight")
        return frozenset()

    async def read(self) -> TargetState:
        self.events.append("Ledgy read")
        return TargetState("Acme", (), frozenset())

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        raise AssertionError("a read never writes")


def test_the_work_ahead_starts_once_the_cheap_checks_pass_as_the_long_reads_begin() -> None:
    events: list[str] = []
    sides = pipeline.Sides(_Source(events), _Target(events))
    asyncio.run(pipeline.read(sides, meanwhile=lambda: events.append("meanwhile")))
    assert events[:2] == ["CharlieHR preflight", "Ledgy preflight"]
    assert events[2] == "meanwhile"
    assert sorted(events[3:]) == ["CharlieHR read", "Ledgy read"]


def test_a_failed_check_starts_no_work_ahead() -> None:
    events: list[str] = []

    class Refused(_Source):
        async def preflight(self) -> None:
            raise PermissionError("refused")

    sides = pipeline.Sides(Refused(events), _Target(events))
    with pytest.raises(PermissionError):
        asyncio.run(pipeline.read(sides, meanwhile=lambda: events.append("meanwhile")))
    assert "meanwhile" not in events


def test_the_ledgy_client_loads_the_built_in_operations_on_first_use() -> None:
    client = LedgyClient("http://127.0.0.1:9/graphql", Secret("sandbox-ledgy-key"), None)
    assert client.operations.origin == "the built-in operations.graphql"
    asyncio.run(client.aclose())


def test_ready_loads_the_built_in_operations_once() -> None:
    async def run() -> tuple[str, bool]:
        client = LedgyClient("http://127.0.0.1:9/graphql", Secret("sandbox-ledgy-key"), None)
        await client.ready()
        first = client.operations
        await client.ready()
        await client.aclose()
        return first.origin, client.operations is first

    assert asyncio.run(run()) == ("the built-in operations.graphql", True)


def test_the_assigned_codes_are_pycountrys() -> None:
    import pycountry

    assert {country.alpha_2 for country in pycountry.countries} == ASSIGNED


@pytest.mark.parametrize(("text", "expected"), [("GB", True), ("de", True), ("XX", False)])
def test_a_code_is_judged_as_pycountry_judges_it(text: str, expected: bool) -> None:
    import pycountry

    assert is_alpha2(text) is expected
    assert (pycountry.countries.get(alpha_2=text.upper()) is not None) is expected


def test_httpx_is_imported_without_its_command_line_client() -> None:
    # click, rich and pygments are installed in the test environment, as they may be
    # wherever reconciler is installed beside other tools.
    code = "import reconciler, httpx, sys; print(sorted({'click', 'pygments', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    __import__("click"), __import__("pygments")  # they are installed: the test means something


def test_httpx_main_still_answers_that_the_cli_is_not_here() -> None:
    code = "import reconciler, httpx; httpx.main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1 and "httpx command line client could not run" in done.stdout

"""Reads show progress on a terminal, and nothing anywhere else."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
from datetime import date

import pytest
from rich.console import Console

from reconciler import pipeline
from reconciler.commands.context import open_run
from reconciler.commands.progress import FORCING, with_read_progress
from reconciler.commands.sandbox_choice import BUILTIN
from reconciler.domain.stakeholder import TargetState
from reconciler.pipeline import Sides
from reconciler.sandbox.charliehr import PREFIX, Behaviour, create_app
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.faults import Knobs
from reconciler.sources.charliehr.client import CharlieHRClient
from reconciler.sources.charliehr.source import CharlieHRSource
from reconciler.targets.memory import InMemoryTarget
from tests.conftest import ROOT
from tests.sandbox.helpers import CREDENTIALS, TODAY
from tests.virtual_time import RoundTrip, run_virtually

EXAMPLE = ROOT / "examples" / "company.yaml"


def test_a_terminal_sees_both_reads_and_what_they_read() -> None:
    run = open_run(EXAMPLE, sandbox=BUILTIN, as_of=date(2026, 11, 25))
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    sides = with_read_progress(run.sides(), terminal)

    async def read_and_close() -> pipeline.Reading:
        try:
            return await pipeline.read(sides)
        finally:
            await sides.aclose()

    reading = asyncio.run(read_and_close())
    shown = screen.getvalue()
    assert "CharlieHR" in shown and "Ledgy" in shown
    assert f"Ledgy: {len(reading.state.stakeholders)} stakeholders" in shown
    assert f"CharlieHR: {len(reading.employees)} employees" in shown


def test_anywhere_else_the_sides_are_left_alone() -> None:
    run = open_run(EXAMPLE, sandbox=BUILTIN, as_of=date(2026, 11, 25))
    sides = run.sides()
    log = Console(file=io.StringIO(), force_terminal=False)
    assert with_read_progress(sides, log) is sides


_NO_TERMINAL = """
import sys
from reconciler.commands.progress import FORCING, with_read_progress
from reconciler.pipeline import Sides
sides = Sides(object(), object(), [])  # type: ignore[arg-type]
wrapped = with_read_progress(sides) is not sides
print(wrapped, any(name.split(".")[0] == "rich" for name in sys.modules))
"""


@pytest.mark.parametrize(
    ("forced", "shown"),
    [
        ({}, "False False"),
        ({"FORCE_COLOR": "1"}, "True True"),
        ({"TTY_COMPATIBLE": "1"}, "True True"),
    ],
)
def test_off_a_terminal_rich_is_not_even_imported_unless_told_to_draw(
    forced: dict[str, str], shown: str
) -> None:
    # In CI stderr is a pipe: asking rich whether it is a terminal cost an import.
    environ = {k: v for k, v in os.environ.items() if k not in FORCING} | forced
    done = subprocess.run(
        [sys.executable, "-c", _NO_TERMINAL],
        capture_output=True,
        text=True,
        env=environ,
        check=True,
    )
    assert done.stdout.strip() == shown


def test_a_terminal_sees_the_read_wait_while_charliehr_rate_limits_it() -> None:
    company = generate_company(60, today=TODAY)
    knobs = Knobs(fault_rate=0.3, faults=("429",))
    app = create_app(company, behaviour=Behaviour(meta_totals=False), knobs=knobs)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)

    async def read() -> None:
        client = CharlieHRClient(
            "http://charliehr.test" + PREFIX,
            CREDENTIALS,
            transport=RoundTrip(app),
            clock=asyncio.get_running_loop().time,
        )
        empty = InMemoryTarget(TargetState("Acme Ltd", (), frozenset()))
        sides = Sides(CharlieHRSource(client, today=TODAY), empty, [client.aclose])
        shown = with_read_progress(sides, terminal)
        try:
            await shown.source.read()
        finally:
            await shown.aclose()

    _, took = run_virtually(read())
    shown = screen.getvalue()
    assert took > 5  # it did wait
    assert re.search(
        r"CharlieHR is rate-limiting: \d+ requests refused so far, pace [\d.]+/s, "
        r"retrying in 1 s",
        shown,
    ), shown
    assert "CharlieHR: 60 employees" in shown

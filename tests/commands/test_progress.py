"""Reads show progress on a terminal, and nothing anywhere else."""

from __future__ import annotations

import asyncio
import io
from datetime import date

from rich.console import Console

from reconciler import reconcile
from reconciler.commands.args import BUILTIN
from reconciler.commands.context import open_run
from reconciler.commands.progress import with_read_progress
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "company.yaml"


def test_a_terminal_sees_both_reads_and_what_they_read() -> None:
    run = open_run(EXAMPLE, sandbox=BUILTIN, as_of=date(2026, 11, 25))
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    sides = with_read_progress(run.sides(), terminal)

    async def read_and_close() -> reconcile.Reading:
        try:
            return await reconcile.read(sides)
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

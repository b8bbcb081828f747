"""``reconciler plan``: read both systems and show what an apply would do."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Literal

from reconciler import reconcile
from reconciler.commands.context import Run, open_run, use_colour, write_output
from reconciler.engine.plan import Plan
from reconciler.render.json_plan import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text

Format = Literal["text", "markdown", "json"]


async def compute(run: Run) -> Plan:
    """Read both sides once and build the plan."""
    sides = run.sides()
    try:
        return await reconcile.plan(run.loaded, sides)
    finally:
        await sides.aclose()


def render(plan: Plan, output_format: Format, *, show_values: bool, color: bool) -> str:
    """The plan in the asked format."""
    if output_format == "json":
        return render_json(plan, show_values=show_values)
    if output_format == "markdown":
        return render_markdown(plan, show_values=show_values)
    return render_text(plan, color=color, show_values=show_values)


def plan(
    config: Path,
    *,
    sandbox: Path | None = None,
    output_format: Format = "text",
    out: Path | None = None,
    detailed_exitcode: bool = False,
    show_values: bool = False,
    as_of: date | None = None,
) -> int:
    """Print the plan; exit 2 for changes with ``detailed_exitcode``, 1 when unsafe."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    result = asyncio.run(compute(run))
    write_output(render(result, output_format, show_values=show_values, color=use_colour(out)), out)
    refusal = reconcile.unsafe(result, run.loaded)
    if refusal is not None:
        raise refusal
    return 2 if detailed_exitcode and result.has_changes else 0

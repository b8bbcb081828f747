"""``reconciler explain``: why the plan does what it does for one person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reconciler import concurrency, pipeline
from reconciler.commands.context import open_run
from reconciler.commands.plan import read_once
from reconciler.engine.explain import explain as explain_one
from reconciler.errors import ReconcilerError
from reconciler.render.explain import render_explanation


def explain(
    config: Path,
    identifier: str,
    *,
    sandbox: Path | None = None,
    show_values: bool = False,
    as_of: date | None = None,
) -> int:
    """Print the explanation; exit 1 when no employee or stakeholder has the identifier."""
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    reading = concurrency.run(read_once(run))
    pipeline.check_custom_fields(run.loaded, reading.state)
    found = explain_one(
        identifier,
        reading.employees,
        reading.state,
        run.loaded.config,
        reading.recorded,
        key=run.key,
    )
    print(render_explanation(found, show_values=show_values), end="")
    if found.employee is None and found.orphan is None:
        raise ReconcilerError(
            f"no CharlieHR employee and no Ledgy stakeholder has the identifier {identifier}",
            remedy="give a work email (as CharlieHR holds it) or a CharlieHR team member id",
        )
    return 0

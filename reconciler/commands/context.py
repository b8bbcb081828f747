"""What every reading command shares: the config, the date, live or sandbox sides."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconciler.commands.args import BUILTIN
from reconciler.config.load import LoadedConfig, load_config
from reconciler.errors import ReconcilerError
from reconciler.reconcile import Sides, today
from reconciler.sandbox.session import Sandbox, open_sandbox, sandbox_sides
from reconciler.sources.charliehr.source import charliehr_source
from reconciler.targets.ledgy.target import ledgy_api_target
from reconciler.targets.ledgy.workbook import workbook_target


@dataclass
class Run:
    """One command's config, date and sides (live APIs or the sandbox)."""

    loaded: LoadedConfig
    today: date
    sandbox: Sandbox | None

    def sides(self) -> Sides:
        """Fresh clients for both systems."""
        if self.sandbox is not None:
            return sandbox_sides(self.sandbox, self.loaded, today=self.today)
        return live_sides(self.loaded, self.today)

    def default_journal(self) -> Path:
        """Where apply records its operations unless told otherwise."""
        if self.sandbox is not None and self.sandbox.directory is not None:
            return self.sandbox.directory / "journal.jsonl"
        return Path(".reconciler") / "journal.jsonl"


def open_run(config: Path, *, sandbox: Path | None, as_of: date | None) -> Run:
    """Load the config and, with ``--sandbox``, the sandbox data."""
    loaded = load_config(config)
    day = as_of or today()
    if sandbox is None:
        return Run(loaded, day, None)
    directory = None if sandbox == BUILTIN else sandbox
    opened = open_sandbox(directory, loaded, today=day)
    where = f"sandbox {directory}" if directory else "sandbox: the built-in demo company"
    print(
        f"{where} ({len(opened.charliehr.team_members)} employees in CharlieHR, "
        f"{len(opened.ledgy.stakeholders)} stakeholders in Ledgy)",
        file=sys.stderr,
    )
    return Run(loaded, day, opened)


def live_sides(loaded: LoadedConfig, day: date) -> Sides:
    """Clients for the real CharlieHR and Ledgy, as the config describes them."""
    source = charliehr_source(loaded, today=day)
    if loaded.config.ledgy.driver == "workbook":
        return Sides(source, workbook_target(loaded), [source.client.aclose])
    target = ledgy_api_target(loaded)
    return Sides(source, target, [source.client.aclose, target.aclose])


def write_output(text: str, out: Path | None) -> None:
    """Print, or write to ``--out``."""
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ReconcilerError(f"{out}: cannot be written ({error.strerror})") from None
    print(f"wrote {out}", file=sys.stderr)


def use_colour(out: Path | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return out is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ

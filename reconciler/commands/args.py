"""Argument groups that several commands share (octoDNS keeps its own in ``cmds/args.py``).

Nothing here imports a command module: building the parser must stay cheap, so that
``reconciler validate`` as a pre-commit hook starts fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

BUILTIN = Path("<built-in demo company>")
"""``--sandbox`` given without a directory."""

Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


class Parser(argparse.ArgumentParser):
    """An argument parser that never expands abbreviations (``--for`` is not ``--force``).

    ``add_subparsers`` builds its children with the parent's class, so every
    command and verb inherits this.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def split_sandbox_dir(argv: Sequence[str]) -> list[str]:
    """Read ``--sandbox=DIR`` as ``--sandbox-dir DIR``.

    ``--sandbox`` alone takes no value, so that it never swallows the config path
    that follows it; the ``=`` form is the one way to give it a directory.
    """
    out: list[str] = []
    for index, token in enumerate(argv):
        if token == "--":
            return [*out, *argv[index:]]
        if token.startswith("--sandbox="):
            out += ["--sandbox-dir", token.removeprefix("--sandbox=")]
        else:
            out.append(token)
    return out


def common_parent() -> Parser:
    """The options every command takes (a parent parser)."""
    parent = Parser(add_help=False)
    parent.add_argument(
        "-v", "--verbose", action="store_true", help="show debug logs and tracebacks"
    )
    return parent


def config_arg(parser: argparse.ArgumentParser) -> None:
    """The config path, the first positional of most commands."""
    parser.add_argument("config", type=Path, help="path of company.yaml")


def iso_date(text: str) -> date:
    """An argparse type for ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def reading_args(parser: argparse.ArgumentParser) -> None:
    """What every command that reads both systems takes: config, sandbox, date."""
    config_arg(parser)
    sandbox = parser.add_mutually_exclusive_group()
    sandbox.add_argument(
        "--sandbox",
        action="store_const",
        const=BUILTIN,
        help="use the bundled emulators with the built-in demo company (no credentials)",
    )
    sandbox.add_argument(
        "--sandbox-dir",
        dest="sandbox",
        type=Path,
        metavar="DIR",
        help="use the bundled emulators seeded from DIR (see `sandbox init`); "
        "--sandbox=DIR says the same",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="plan as if today were DATE (YYYY-MM-DD), for reproducible runs",
    )


def plan_output_args(parser: argparse.ArgumentParser) -> None:
    """Where a plan goes and in which form."""
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", dest="output_format"
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the plan to FILE")


def guard_args(parser: argparse.ArgumentParser) -> None:
    """The guards of every command that writes to Ledgy."""
    parser.add_argument(
        "--checksum",
        metavar="CHECKSUM",
        help="apply only if the plan has this checksum (hmac-sha256:...)",
    )
    parser.add_argument("--force", action="store_true", help="apply even when the plan is unsafe")

"""Argument groups that several commands share (octoDNS keeps its own in ``cmds/args.py``).

Nothing here imports a command module: building the parser must stay cheap, so that
``reconciler validate`` as a pre-commit hook starts fast.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

from reconciler.commands.sandbox_choice import BUILTIN
from reconciler.error_handler import EXIT_USAGE, exit_codes_epilog

Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


class Parser(argparse.ArgumentParser):
    """The parser of every command and verb (``add_subparsers`` reuses the parent's class).

    It never expands abbreviations (``--for`` is not ``--force``), ends ``--help`` with
    the exit codes, and exits 64 on a usage error, never 2, which ``plan
    --detailed-exitcode`` uses for "changes present".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("epilog", exit_codes_epilog())
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the problem, and exit with the usage error code."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse, and refuse what is left over here, where its verb's options are known.

        argparse hands a verb's leftovers up to the top parser, which no longer knows
        the verb's options; refused here, a mistyped option gets "did you mean".
        """
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggestion(extras)}")
        return parsed, extras

    def _suggestion(self, extras: Sequence[str]) -> str:
        """``; did you mean --xyz?`` for the first mistyped option that is close to one."""
        known = [o for action in self._actions for o in action.option_strings]
        for extra in extras:
            if not extra.startswith("--"):
                continue
            close = difflib.get_close_matches(extra.split("=", 1)[0], known, n=1, cutoff=0.6)
            if close:
                return f"; did you mean {close[0]}?"
        return ""


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


def common_parent(*, top: bool = False) -> Parser:
    """The options every command takes (a parent parser), before or after the command.

    A command's parser leaves ``--verbose`` unset unless given after the command
    (``argparse.SUPPRESS``), so that ``reconciler -v plan`` is not undone by the
    command's own default.
    """
    parent = Parser(add_help=False)
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show debug logs and tracebacks",
    )
    return parent


CONFIG_HELP = "a config's name (as reconciler.yaml names it) or the path of its file"


def config_path(text: str) -> Path:
    """An argparse type: a config given by name or by path, as the path of its file.

    A path is taken as it is (nothing to import, so ``validate PATH`` stays quick); a
    word that is not a file is looked up in the index at the working directory, the
    repository root.
    """
    given = Path(text)
    if "/" in text or "\\" in text or text.endswith((".yaml", ".yml")) or given.exists():
        return given
    from reconciler.config.index import resolve_config
    from reconciler.errors import ReconcilerError

    root = Path.cwd()
    try:
        return resolve_config(root, text).path
    except ReconcilerError as error:
        raise argparse.ArgumentTypeError(error.diagnostics()) from None


def config_arg(parser: argparse.ArgumentParser, *, every: bool = False) -> None:
    """The config, the first positional of most commands; with ``every``, optional
    (none given: every config the repository declares)."""
    if every:
        parser.add_argument(
            "config",
            nargs="?",
            type=config_path,
            help=f"{CONFIG_HELP}; default: every config the repository declares",
        )
        return
    parser.add_argument("config", type=config_path, help=CONFIG_HELP)


def iso_date(text: str) -> date:
    """An argparse type for ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def bounded(kind: type[int] | type[float], low: float, high: float | None = None) -> Any:
    """An argparse type: a number of ``kind`` between ``low`` and ``high`` (inclusive)."""
    name = "a whole number" if kind is int else "a number"
    span = f"at least {low:g}" if high is None else f"from {low:g} to {high:g}"

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {name}: {text!r}") from None
        too_high = high is not None and value > high
        if value != value or value < low or too_high:  # NaN is not equal to itself
            raise argparse.ArgumentTypeError(f"must be {span}, not {text}")
        return value

    return parse


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
    parser.add_argument(
        "--force",
        action="store_true",
        help="apply even when the plan is unsafe or not the approved one (apply: needs --reason)",
    )

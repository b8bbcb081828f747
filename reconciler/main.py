"""The command line: the argparse tree and the dispatch to one function per verb.

The verbs' parsers live in :mod:`reconciler.cli`, a module per kind of verb; each
verb's module is imported only when that verb runs, so ``reconciler validate`` (a
pre-commit hook) starts fast. Shared argument groups live in
:mod:`reconciler.cli.args`, exit codes and error reporting in
:mod:`reconciler.error_handler`.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from reconciler.cli.args import Parser, common_parent, split_sandbox_dir
from reconciler.cli.configs import add_configs
from reconciler.cli.ledgy import add_identifiers, add_ledgy_state
from reconciler.cli.review import (
    add_apply,
    add_explain,
    add_plan,
    add_show,
    add_sync,
    add_test,
    add_validate,
)
from reconciler.cli.sandbox import add_sandbox
from reconciler.cli.setup import add_doctor, add_init, add_keygen, add_schema
from reconciler.error_handler import ExitCode, error_handler
from reconciler.render.escape import TerminalLogFormatter

Handler = Callable[[argparse.Namespace], int]
VERBS = (
    add_validate,
    add_test,
    add_configs,
    add_plan,
    add_show,
    add_apply,
    add_sync,
    add_explain,
    add_identifiers,
    add_schema,
    add_sandbox,
    add_init,
    add_keygen,
    add_doctor,
    add_ledgy_state,
)
"""Each adds one verb to the tree, in the order ``--help`` lists them."""


class _Version(argparse.Action):
    """``--version``: the installed version, read only when asked (see ``reconciler``)."""

    HELP = "show program's version number and exit"

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from reconciler import __version__

        parser._print_message(f"{parser.prog} {__version__}\n", sys.stdout)  # as argparse's
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """Build the whole argparse tree."""
    common = common_parent()
    parser = Parser(
        prog="reconciler",
        parents=[common_parent(top=True)],
        description="Keep Ledgy stakeholders in step with CharlieHR employees.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help=_Version.HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in VERBS:
        add(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    # A plan holds every employee and stakeholder at once; collecting the young
    # generation every 700 allocations spent a sixth of the planning time finding
    # nothing to free (bench/e2e.py).
    gc.set_threshold(50_000, 20, 10)
    parsed = build_parser().parse_args(split_sandbox_dir(sys.argv[1:] if argv is None else argv))
    log_handler = logging.StreamHandler()
    log_handler.setFormatter(TerminalLogFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.DEBUG if parsed.verbose else logging.WARNING, handlers=[log_handler]
    )
    handler: Handler = parsed.handler
    try:
        with error_handler(verbose=parsed.verbose):
            code = handler(parsed)
            sys.stdout.flush()  # a closed pipe shows here, inside the handler
            return code
    except ExitCode as stop:
        return stop.code


def run() -> NoReturn:
    """The ``reconciler`` program: :func:`main`, then the process ends at once.

    Tearing the interpreter down (every module, and every object a plan of 10,000
    people made) took a tenth of a second after the output was written
    (bench/e2e.py). Once the output is flushed and the exit handlers have run,
    nothing is left that teardown would save; an unexpected error still ends the
    ordinary way, with its traceback.
    """
    try:
        code = main()
    except SystemExit as stop:  # argparse's --help, --version and usage errors
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:  # as Python itself reports sys.exit("message")
            print(stop.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # the reader went away at the very end
        pass
    logging.shutdown()
    atexit._run_exitfuncs()  # coverage, temporary directories' finalizers, a caller's hooks
    os._exit(code)

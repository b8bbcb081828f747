"""The command line: argparse tree, error handling and exit codes.

Exit codes (DESIGN.md §6): 0 ok (plan: no changes), 1 user error (bad config,
API refused, unsafe plan), 2 usage error or, with ``--detailed-exitcode``, a plan
with changes, 3 unexpected error. Tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from reconciler import __version__
from reconciler.config.schema import DEFAULT_PATH
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.github.actions import annotate
from reconciler.github.context import summary_file

EXIT_OK, EXIT_USER, EXIT_CHANGES, EXIT_BUG = 0, 1, 2, 3
EXAMPLE = Path("examples/company.yaml")
ISSUES_URL = "https://github.com/reconciler/reconciler/issues"

Handler = Callable[[argparse.Namespace], int]


class _ExitCode(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@contextmanager
def error_handler(*, verbose: bool) -> Iterator[None]:
    """Turn every exception into a message and an exit code, as pre-commit does."""
    try:
        yield
    except ReconcilerError as error:
        if isinstance(error, ConfigError) and os.environ.get("GITHUB_ACTIONS") == "true":
            for line in annotate(error.problems, summary_file(), title="reconciler"):
                print(line)
        print(f"error: {error.diagnostics()}", file=sys.stderr)
        raise _ExitCode(EXIT_USER) from None
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise _ExitCode(130) from None
    except Exception as error:
        # The message of an unexpected error may quote data; print only its type.
        print(
            f"unexpected error ({type(error).__name__}); this is a bug in reconciler "
            f"{__version__}. Please report it at {ISSUES_URL}",
            file=sys.stderr,
        )
        if verbose:
            traceback.print_exc()
        else:
            print("run again with --verbose to see the traceback", file=sys.stderr)
        raise _ExitCode(EXIT_BUG) from None


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", help="show debug logs and tracebacks"
    )
    return common


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", type=Path, help="path of company.yaml")


def _add_validate(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "validate", parents=[common], help="check company.yaml (no secrets needed)"
    )
    _config_arg(parser)
    parser.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        dest="output_format",
        help="github: print problems as workflow annotations",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.validate import validate

        return validate(args.config, output_format=args.output_format)

    parser.set_defaults(handler=run)


def _add_schema(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "schema", parents=[common], help="write the JSON Schema of company.yaml"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed schema is stale"
    )
    parser.add_argument(
        "--output", type=Path, default=Path(DEFAULT_PATH), help=f"default: {DEFAULT_PATH}"
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.schema import schema

        return schema(args.output, check=args.check)

    parser.set_defaults(handler=run)


def _add_sandbox(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("sandbox", parents=[common], help="run the local emulators")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    serve = verbs.add_parser("serve", parents=[common], help="serve the emulators on loopback")
    serve.add_argument(
        "directory", nargs="?", type=Path, help="sandbox directory (default: the demo company)"
    )
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    serve.add_argument(
        "--rate-limit", type=int, default=None, help="requests per second before 429"
    )
    serve.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests that fail (0..1)"
    )
    serve.add_argument(
        "--faults",
        type=lambda text: tuple(text.split(",")),
        default=None,
        help="comma-separated kinds of fault: 500, 503, drop, malformed, 429, timeout, "
        "short_page, empty_page (default: 500,503,drop,malformed)",
    )
    serve.add_argument(
        "--no-totals", action="store_true", help="CharlieHR list pages carry next_url only"
    )
    init = verbs.add_parser(
        "init", parents=[common], help="write the demo company into a directory"
    )
    init.add_argument("directory", type=Path)
    init.add_argument(
        "--config",
        type=Path,
        default=EXAMPLE if EXAMPLE.exists() else None,
        help="also write the Ledgy side as an earlier sync under this config left it "
        f"(default: {EXAMPLE} when present)",
    )
    for verb in (serve, init):
        verb.add_argument("--size", type=int, default=300, help="team members in the demo company")
        verb.add_argument("--seed", type=int, default=7)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands import sandbox
        from reconciler.sandbox.faults import Knobs

        if args.verb == "init":
            return sandbox.init(args.directory, size=args.size, seed=args.seed, config=args.config)
        knobs = Knobs(latency=args.latency, rate_limit=args.rate_limit, fault_rate=args.fault_rate)
        if args.faults:
            knobs = replace(knobs, faults=sandbox.fault_kinds(args.faults))
        return sandbox.serve(
            args.directory,
            port=args.port,
            size=args.size,
            seed=args.seed,
            knobs=knobs,
            totals=not args.no_totals,
        )

    parser.set_defaults(handler=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _reading_args(parser: argparse.ArgumentParser) -> None:
    from reconciler.commands.context import BUILTIN

    _config_arg(parser)
    parser.add_argument(
        "--sandbox",
        nargs="?",
        const=BUILTIN,
        type=Path,
        metavar="DIR",
        help="use the bundled emulators, seeded from DIR or the built-in demo company",
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="plan as if today were DATE (YYYY-MM-DD), for reproducible runs",
    )


def _plan_output_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", dest="output_format"
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the plan to FILE")


def _guard_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checksum", metavar="SHA", help="apply only if the plan has this checksum"
    )
    parser.add_argument("--force", action="store_true", help="apply even when the plan is unsafe")


def _add_plan(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("plan", parents=[common], help="show what an apply would change")
    _reading_args(parser)
    _plan_output_args(parser)
    parser.add_argument(
        "--detailed-exitcode", action="store_true", help="exit 2 when the plan has changes"
    )
    parser.add_argument(
        "--show-values",
        action="store_true",
        help="show personal values (never use this where others can read the output)",
    )
    github = parser.add_argument_group("GitHub Actions")
    github.add_argument(
        "--comment", action="store_true", help="upsert the sticky plan comment on the pull request"
    )
    github.add_argument(
        "--base-config",
        type=Path,
        metavar="FILE",
        help="the config as on the base branch, to show this PR's own effect",
    )
    github.add_argument(
        "--drift-issue",
        action="store_true",
        help="keep one open issue with the pending plan; close it when in step",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.plan import plan

        return plan(
            args.config,
            sandbox=args.sandbox,
            output_format=args.output_format,
            out=args.out,
            detailed_exitcode=args.detailed_exitcode,
            show_values=args.show_values,
            as_of=args.as_of,
            comment=args.comment,
            base=args.base_config,
            drift_issue=args.drift_issue,
        )

    parser.set_defaults(handler=run)


def _add_apply(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("apply", parents=[common], help="apply the plan to Ledgy")
    _reading_args(parser)
    _guard_args(parser)
    parser.add_argument(
        "--journal", type=Path, metavar="FILE", help="where to record each operation"
    )
    parser.add_argument(
        "--from-pr",
        action="store_true",
        help="(on push to main) apply only the plan reviewed on the merged pull request",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.apply import apply

        return apply(
            args.config,
            sandbox=args.sandbox,
            checksum=args.checksum,
            force=args.force,
            as_of=args.as_of,
            journal=args.journal,
            from_pr=args.from_pr,
        )

    parser.set_defaults(handler=run)


def _add_explain(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "explain", parents=[common], help="why the plan does what it does for one person"
    )
    _reading_args(parser)
    parser.add_argument("identifier", help="a work email or CharlieHR team member id")
    parser.add_argument("--show-values", action="store_true", help="show personal values")

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.explain import explain

        return explain(
            args.config,
            args.identifier,
            sandbox=args.sandbox,
            show_values=args.show_values,
            as_of=args.as_of,
        )

    parser.set_defaults(handler=run)


def _add_test(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("test", parents=[common], help="run the config's rule tests (offline)")
    _config_arg(parser)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.ruletest import test

        return test(args.config)

    parser.set_defaults(handler=run)


def _add_identifiers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "identifiers",
        parents=[common],
        help="give stakeholders made by hand their identifier, via a reviewed workbook",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    export = verbs.add_parser("export", parents=[common], help="write the review workbook")
    _reading_args(export)
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    load = verbs.add_parser(
        "import", parents=[common], help="plan (and apply) the reviewed identifiers"
    )
    _reading_args(load)
    load.add_argument("review", type=Path, metavar="FILE.xlsx")
    _plan_output_args(load)
    load.add_argument("--apply", action="store_true", help="apply the plan after showing it")
    _guard_args(load)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands import identifiers

        if args.verb == "export":
            return identifiers.export(args.config, args.out, sandbox=args.sandbox, as_of=args.as_of)
        return identifiers.import_(
            args.config,
            args.review,
            sandbox=args.sandbox,
            output_format=args.output_format,
            out=args.out,
            apply=args.apply,
            checksum=args.checksum,
            force=args.force,
            as_of=args.as_of,
        )

    parser.set_defaults(handler=run)


def build_parser() -> argparse.ArgumentParser:
    """Build the whole argparse tree."""
    common = _common()
    parser = argparse.ArgumentParser(
        prog="reconciler",
        parents=[common],
        description="Keep Ledgy stakeholders in step with CharlieHR employees.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_validate,
        _add_test,
        _add_plan,
        _add_apply,
        _add_explain,
        _add_identifiers,
        _add_schema,
        _add_sandbox,
    ):
        add(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.handler
    try:
        with error_handler(verbose=args.verbose):
            return handler(args)
    except _ExitCode as stop:
        return stop.code

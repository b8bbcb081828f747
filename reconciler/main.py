"""The command line: the argparse tree and the dispatch to one function per verb.

Each verb's module is imported only when that verb runs, so ``reconciler validate``
(a pre-commit hook) starts fast. Shared argument groups live in
:mod:`reconciler.commands.args`, exit codes and error reporting in
:mod:`reconciler.error_handler`.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reconciler import __version__
from reconciler.commands.args import (
    Parser,
    Subparsers,
    bounded,
    common_parent,
    config_arg,
    guard_args,
    plan_output_args,
    reading_args,
    split_sandbox_dir,
)
from reconciler.config.schema import DEFAULT_PATH
from reconciler.error_handler import ExitCode, error_handler, exit_codes_epilog
from reconciler.render.escape import TerminalLogFormatter

EXAMPLE = Path("examples/company.yaml")
SCAFFOLD = "reconciler.scaffold.files"

Handler = Callable[[argparse.Namespace], int]


def _add_validate(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "validate", parents=[common], help="check company.yaml (no secrets needed)"
    )
    config_arg(parser)
    parser.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        dest="output_format",
        help="github: print problems as workflow annotations; json: one document on stdout",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.validate import validate

        return validate(args.config, output_format=args.output_format)

    parser.set_defaults(handler=run)


def _add_schema(sub: Subparsers, common: Parser) -> None:
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


def _add_sandbox(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser("sandbox", parents=[common], help="run the local emulators")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    serve = verbs.add_parser("serve", parents=[common], help="serve the emulators on loopback")
    serve.add_argument(
        "directory", nargs="?", type=Path, help="sandbox directory (default: the demo company)"
    )
    serve.add_argument(
        "--port", type=bounded(int, 0, 65535), default=8765, help="0 picks a free port"
    )
    serve.add_argument(
        "--latency",
        type=bounded(float, 0, 60),
        default=0.0,
        help="seconds from each request to its answer (the emulator's work inside them)",
    )
    serve.add_argument(
        "--rate-limit", type=bounded(int, 1), default=None, help="requests per second before 429"
    )
    serve.add_argument(
        "--fault-rate", type=bounded(float, 0, 1), default=0.0, help="share of requests that fail"
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
    serve.add_argument(
        "--ledgy-published-only",
        action="store_true",
        help="serve only Ledgy's published API (auth, companyCaptable, companyTransactions), "
        "as a real account does today",
    )
    upload = verbs.add_parser(
        "upload",
        parents=[common],
        help="play the Ledgy admin: upload a prepared folder into a sandbox directory",
    )
    upload.add_argument("directory", type=Path)
    upload.add_argument("folder", type=Path, metavar="FOLDER", help="as `apply` printed it")
    for verb in (serve, init):
        verb.add_argument(
            "--config",
            type=Path,
            default=EXAMPLE if EXAMPLE.exists() else None,
            help="make the Ledgy side as an earlier sync under this config left it "
            f"(default: {EXAMPLE} when present; serve: only without a DIR holding ledgy.json)",
        )
        verb.add_argument(
            "--size",
            type=bounded(int, 1, 100_000),
            default=300,
            help="team members in the demo company",
        )
        verb.add_argument("--seed", type=bounded(int, 0), default=7)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands import sandbox
        from reconciler.sandbox.faults import Knobs

        if args.verb == "upload":
            return sandbox.upload(args.directory, args.folder)
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
            config=args.config,
            published_only=args.ledgy_published_only,
        )

    parser.set_defaults(handler=run)


def _add_ledgy_state(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "ledgy-state",
        parents=[common],
        help="keep Ledgy's stakeholder export in Git, age-encrypted (workbook driver)",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    update = verbs.add_parser(
        "update", parents=[common], help="encrypt a fresh export next to the config"
    )
    update.add_argument("export", type=Path, metavar="EXPORT.xlsx")
    show = verbs.add_parser(
        "show", parents=[common], help="decrypt the export in memory; say what it holds"
    )
    for verb in (update, show):
        verb.add_argument("--config", type=Path, required=True, metavar="CONFIG")
    unseal = verbs.add_parser(
        "open", parents=[common], help="decrypt a prepared upload folder (*.tar.age)"
    )
    unseal.add_argument("sealed", type=Path, metavar="FOLDER.tar.age")
    unseal.add_argument("--into", type=Path, required=True, metavar="DIR")

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands import ledgy_state

        if args.verb == "update":
            return ledgy_state.update(args.export, args.config)
        if args.verb == "show":
            return ledgy_state.show(args.config)
        return ledgy_state.open_folder(args.sealed, args.into)

    parser.set_defaults(handler=run)


def _add_plan(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "plan",
        parents=[common],
        help="show what an apply would change",
        epilog=exit_codes_epilog(changes=True),
    )
    reading_args(parser)
    plan_output_args(parser)
    parser.add_argument(
        "--detailed-exitcode", action="store_true", help="exit 2 when the plan has changes"
    )
    parser.add_argument(
        "--show-values",
        action="store_true",
        help="show personal values (never use this where others can read the output)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        metavar="FILE",
        help="also save the plan for review (masked, keyed checksum); apply it with --plan FILE",
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
            save=args.save,
        )

    parser.set_defaults(handler=run)


def _add_apply(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser("apply", parents=[common], help="apply the plan to Ledgy")
    reading_args(parser)
    guard_args(parser)
    parser.add_argument(
        "--journal", type=Path, metavar="FILE", help="where to record each operation"
    )
    parser.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        dest="plan_file",
        help="apply only what this saved plan approved (resumes an interrupted apply)",
    )
    parser.add_argument(
        "--from-pr",
        action="store_true",
        help="(on push to main) apply only the plan reviewed on the merged pull request",
    )
    parser.add_argument(
        "--auto-approve",
        action="store_true",
        help="apply without a reviewed plan and without asking (otherwise a terminal asks "
        "for yes, and CI refuses)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        dest="output_format",
        help="json: also write what the run did, as JSON, to --out",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="where --format json writes")

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.apply import apply

        if (args.output_format == "json") != (args.out is not None):
            parser.error("--format json and --out FILE go together")
        return apply(
            args.config,
            sandbox=args.sandbox,
            checksum=args.checksum,
            plan_file=args.plan_file,
            force=args.force,
            as_of=args.as_of,
            journal=args.journal,
            from_pr=args.from_pr,
            auto_approve=args.auto_approve,
            result=args.out,
        )

    parser.set_defaults(handler=run)


def _add_sync(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "sync",
        parents=[common],
        help="keep one pull request with the pending plan",
    )
    reading_args(parser)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.sync import sync

        return sync(args.config, sandbox=args.sandbox, as_of=args.as_of)

    parser.set_defaults(handler=run)


def _add_explain(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "explain", parents=[common], help="why the plan does what it does for one person"
    )
    reading_args(parser)
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


def _add_test(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser("test", parents=[common], help="run the config's rule tests (offline)")
    config_arg(parser)
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        dest="output_format",
        help="json: one document on stdout",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.ruletest import test

        return test(args.config, output_format=args.output_format)

    parser.set_defaults(handler=run)


def _add_identifiers(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "identifiers",
        parents=[common],
        help="give stakeholders made by hand their identifier, via a reviewed workbook",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    export = verbs.add_parser("export", parents=[common], help="write the review workbook")
    reading_args(export)
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    load = verbs.add_parser(
        "import", parents=[common], help="plan (and apply) the reviewed identifiers"
    )
    reading_args(load)
    load.add_argument("review", type=Path, metavar="FILE.xlsx")
    plan_output_args(load)
    load.add_argument("--apply", action="store_true", help="apply the plan after showing it")
    guard_args(load)

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


def _checked(module: str, name: str) -> Callable[[str], str]:
    """An argparse type from a ``checked_*`` function, imported only when used."""

    def convert(text: str) -> str:
        from importlib import import_module

        from reconciler.errors import ReconcilerError

        check: Callable[[str], str] = getattr(import_module(module), name)
        try:
            return check(text)
        except ReconcilerError as error:
            raise argparse.ArgumentTypeError(error.diagnostics()) from None

    convert.__name__ = name.removeprefix("checked_")
    return convert


def _add_init(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "init",
        parents=[common],
        help="scaffold a repository: config, schema, workflows, CODEOWNERS, SETUP.md",
    )
    parser.add_argument(
        "directory", nargs="?", type=Path, default=Path("."), help="repository root (default: .)"
    )
    parser.add_argument(
        "--config",
        default="company.yaml",
        type=_checked(SCAFFOLD, "checked_config"),
        help="the config's path in the repository",
    )
    parser.add_argument(
        "--company",
        default="Your Company Ltd",
        type=_checked(SCAFFOLD, "checked_company"),
        help="the company's name in Ledgy",
    )
    parser.add_argument(
        "--branch",
        default="main",
        type=_checked(SCAFFOLD, "checked_branch"),
        help="the branch merges apply from",
    )
    parser.add_argument(
        "--ref",
        type=_checked(SCAFFOLD, "checked_ref"),
        metavar="SHA",
        help="the reconciler commit the workflows call (default: the one installed)",
    )
    parser.add_argument(
        "--age-recipient",
        action="append",
        type=_checked(SCAFFOLD, "checked_recipient"),
        default=[],
        metavar="AGE1…",
        help="an age public key the Ledgy export is encrypted to in Git (repeat for each)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.init import init

        return init(
            args.directory,
            config=args.config,
            company=args.company,
            branch=args.branch,
            ref=args.ref,
            force=args.force,
            recipients=tuple(args.age_recipient),
        )

    parser.set_defaults(handler=run)


def _add_doctor(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "doctor",
        parents=[common],
        help="list what the repository's GitHub settings still lack (environments, "
        "secrets, branch protection)",
    )
    parser.add_argument(
        "config", nargs="?", type=Path, default=Path("company.yaml"), help="default: company.yaml"
    )
    parser.add_argument(
        "--repo",
        type=_checked("reconciler.commands.doctor", "checked_repository"),
        metavar="OWNER/NAME",
        help="default: GITHUB_REPOSITORY, else the origin remote",
    )
    parser.add_argument(
        "--branch", help="the branch merges apply from (default: the repository's default)"
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.doctor import doctor

        return doctor(args.config, repository=args.repo, branch=args.branch)

    parser.set_defaults(handler=run)


def build_parser() -> argparse.ArgumentParser:
    """Build the whole argparse tree."""
    common = common_parent()
    parser = Parser(
        prog="reconciler",
        parents=[common_parent(top=True)],
        description="Keep Ledgy stakeholders in step with CharlieHR employees.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_validate,
        _add_test,
        _add_plan,
        _add_apply,
        _add_sync,
        _add_explain,
        _add_identifiers,
        _add_schema,
        _add_sandbox,
        _add_init,
        _add_doctor,
        _add_ledgy_state,
    ):
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

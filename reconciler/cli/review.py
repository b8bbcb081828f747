"""The verbs of the review loop: validate, test, plan, apply, sync, explain."""

from __future__ import annotations

import argparse
from pathlib import Path

from reconciler.cli.args import (
    Parser,
    Subparsers,
    config_arg,
    guard_args,
    plan_output_args,
    reading_args,
)
from reconciler.error_handler import exit_codes_epilog


def add_validate(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "validate",
        parents=[common],
        help="check company.yaml (no secrets needed)",
        epilog=exit_codes_epilog(
            "the config is valid",
            "the config has problems (each at its line), or an age private key lies where "
            "Git would commit it",
        ),
    )
    config_arg(parser, every=True)
    parser.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        dest="output_format",
        help="github: print problems as workflow annotations; json: one document on stdout",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.validate import validate, validate_all

        if args.config is None:
            return validate_all(Path.cwd(), output_format=args.output_format)
        return validate(args.config, output_format=args.output_format)

    parser.set_defaults(handler=run)


def add_test(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "test",
        parents=[common],
        help="run the config's rule tests (offline)",
        epilog=exit_codes_epilog(
            "every rule test passed", "a rule test failed, or the config is invalid"
        ),
    )
    config_arg(parser, every=True)
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        dest="output_format",
        help="json: one document on stdout",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.ruletest import test, test_all

        if args.config is None:
            return test_all(Path.cwd(), output_format=args.output_format)
        return test(args.config, output_format=args.output_format)

    parser.set_defaults(handler=run)


def add_plan(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "plan",
        parents=[common],
        help="show what an apply would change",
        epilog=exit_codes_epilog(
            "the plan was made (with --detailed-exitcode: it has no changes)",
            "a problem you can fix: invalid config, an API refused or could not be read "
            "completely, an age private key where Git would commit it",
            changes=True,
        ),
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
        from reconciler.http.tls import load_ahead

        load_ahead()  # while the plan's modules and its config load
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


def add_show(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "show",
        parents=[common],
        help="show a saved plan (plan --save FILE), offline",
        epilog=exit_codes_epilog(
            "the saved plan was shown",
            "the file cannot be read, or is not a saved plan (a plan as `plan` prints it "
            "is named as such)",
        ),
    )
    parser.add_argument("plan_file", type=Path, metavar="PLANFILE", help="a saved plan file")
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", dest="output_format"
    )

    def run(args: argparse.Namespace) -> int:
        import os
        import sys

        from reconciler.commands.show import show

        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        return show(args.plan_file, output_format=args.output_format, color=color)

    parser.set_defaults(handler=run)


def add_apply(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "apply",
        parents=[common],
        help="apply the plan to Ledgy",
        epilog=exit_codes_epilog(
            "applied, already applied, or nothing to apply",
            "not applied, or not all: the plan is unsafe or not the approved one, --plan is "
            "not a saved plan, a write failed, invalid config, an API refused",
        ),
    )
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
    parser.add_argument(
        "--reason",
        metavar="TEXT",
        help="why this apply is run by hand (required with --force); it is in the receipt "
        "posted on the pull request or drift issue, and in the journal",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.apply import apply
        from reconciler.domain.text_checks import reason_problem

        if (args.output_format == "json") != (args.out is not None):
            parser.error("--format json and --out FILE go together")
        if args.force and args.reason is None:
            parser.error('--force needs --reason "why": a forced apply says who forced it and why')
        if args.reason is not None and (problem := reason_problem(args.reason)) is not None:
            parser.error(f"--reason: {problem}")
        return apply(
            args.config,
            sandbox=args.sandbox,
            checksum=args.checksum,
            plan_file=args.plan_file,
            force=args.force,
            reason=args.reason,
            as_of=args.as_of,
            journal=args.journal,
            from_pr=args.from_pr,
            auto_approve=args.auto_approve,
            result=args.out,
        )

    parser.set_defaults(handler=run)


def add_sync(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "sync",
        parents=[common],
        help="keep one pull request with the pending plan",
        epilog=exit_codes_epilog(
            "the sync pull request is in step (opened, updated, closed or left as it was)",
            "invalid config, or GitHub, CharlieHR or Ledgy refused or could not be read",
        ),
    )
    reading_args(parser)

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.sync import sync

        return sync(args.config, sandbox=args.sandbox, as_of=args.as_of)

    parser.set_defaults(handler=run)


def add_explain(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "explain",
        parents=[common],
        help="why the plan does what it does for one person",
        epilog=exit_codes_epilog(
            "explained",
            "no employee or stakeholder has the identifier, invalid config, an API refused",
        ),
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

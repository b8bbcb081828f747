"""The verbs that work on the Ledgy side by hand: identifiers, ledgy-state."""

from __future__ import annotations

import argparse
from pathlib import Path

from reconciler.cli.args import (
    CONFIG_HELP,
    Parser,
    Subparsers,
    config_path,
    guard_args,
    plan_output_args,
    reading_args,
)
from reconciler.error_handler import exit_codes_epilog

VERBS_OK = "success (each VERB's --help says what its codes mean)"


def add_identifiers(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "identifiers",
        parents=[common],
        help="give stakeholders made by hand their identifier, via a reviewed workbook",
        epilog=exit_codes_epilog(VERBS_OK),
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    export = verbs.add_parser(
        "export",
        parents=[common],
        help="write the review workbook",
        epilog=exit_codes_epilog(
            "the review workbook was written",
            "invalid config, an API refused, or the file cannot be written",
        ),
    )
    reading_args(export)
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    load = verbs.add_parser(
        "import",
        parents=[common],
        help="plan (and apply) the reviewed identifiers",
        epilog=exit_codes_epilog(
            "the plan was shown (with --apply: and applied)",
            "the workbook is not a valid review, the plan is refused or a write failed, "
            "invalid config, an API refused",
        ),
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


def add_ledgy_state(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "ledgy-state",
        parents=[common],
        help="keep Ledgy's stakeholder export in Git, age-encrypted (workbook driver)",
        epilog=exit_codes_epilog(VERBS_OK),
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    update = verbs.add_parser(
        "update",
        parents=[common],
        help="encrypt a fresh export next to the config",
        epilog=exit_codes_epilog(
            "the export was encrypted next to the config",
            "the export or the config cannot be read or used, or the file cannot be written",
        ),
    )
    update.add_argument("export", type=Path, metavar="EXPORT.xlsx")
    show = verbs.add_parser(
        "show",
        parents=[common],
        help="decrypt the export in memory; say what it holds",
        epilog=exit_codes_epilog(
            "the export was read", "the export or its key cannot be read, or it does not decrypt"
        ),
    )
    for verb in (update, show):
        verb.add_argument(
            "--config", type=config_path, required=True, metavar="CONFIG", help=CONFIG_HELP
        )
    unseal = verbs.add_parser(
        "open",
        parents=[common],
        help="decrypt a prepared upload folder (*.tar.age)",
        epilog=exit_codes_epilog(
            "the folder was decrypted into DIR",
            "not a prepared upload, it does not decrypt, or DIR cannot be written",
        ),
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

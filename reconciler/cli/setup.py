"""The verbs that set a repository up: init, keygen, doctor, schema."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from reconciler.cli.args import CONFIG_HELP, Parser, Subparsers, config_path
from reconciler.config.schema import DEFAULT_PATH
from reconciler.error_handler import exit_codes_epilog

SCAFFOLD = "reconciler.scaffold.files"


def checked(module: str, name: str) -> Callable[[str], str]:
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


def add_init(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "init",
        parents=[common],
        help="scaffold a repository: config, schema, workflows, CODEOWNERS, SETUP.md",
        epilog=exit_codes_epilog(
            "the files were written",
            "a file exists (--force overwrites it), or a file cannot be written",
        ),
    )
    parser.add_argument(
        "directory", nargs="?", type=Path, default=Path("."), help="repository root (default: .)"
    )
    parser.add_argument(
        "--config",
        default="company.yaml",
        type=checked(SCAFFOLD, "checked_config"),
        help="the config's path in the repository",
    )
    parser.add_argument(
        "--company",
        default="Your Company Ltd",
        type=checked(SCAFFOLD, "checked_company"),
        help="the company's name in Ledgy",
    )
    parser.add_argument(
        "--branch",
        default="main",
        type=checked(SCAFFOLD, "checked_branch"),
        help="the branch merges apply from",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--action",
        type=checked(SCAFFOLD, "checked_action"),
        metavar="OWNER/REPO@SHA",
        help="the repository your copy of the reconciler lives in, and the full commit SHA the "
        "workflows call (default: where this installation came from, if known)",
    )
    source.add_argument(
        "--ref",
        type=checked(SCAFFOLD, "checked_ref"),
        metavar="SHA",
        help="the full commit SHA the workflows call, of the repository this installation came "
        "from (default: the commit installed)",
    )
    parser.add_argument(
        "--age-recipient",
        action="append",
        type=checked(SCAFFOLD, "checked_recipient"),
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
            action=args.action,
        )

    parser.set_defaults(handler=run)


def add_keygen(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "keygen",
        parents=[common],
        help="make an age key for CI or an admin (outside the repository); print its public key",
        description="Write a new age identity (private key) with mode 0600 and print its "
        "public key (age1…) on stdout, the next steps on stderr. The private key is never "
        "printed: set a CI secret from the file (gh secret set NAME < FILE).",
        epilog=exit_codes_epilog(
            "the key was written",
            "FILE exists, lies where Git would commit it, or cannot be written",
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="where to write it (default: ~/.config/reconciler/ci.key, or under "
        "XDG_CONFIG_HOME); refused inside a Git work tree unless git-ignored; never replaced",
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.keygen import keygen

        return keygen(args.file)

    parser.set_defaults(handler=run)


def add_doctor(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "doctor",
        parents=[common],
        help="list what the repository's GitHub settings still lack (environments, "
        "secrets, branch protection); with --apis, what the real CharlieHR and Ledgy answer",
        epilog=exit_codes_epilog(
            "nothing is missing (--apis: a real run would go ahead)",
            "something is missing, or GitHub cannot be read (--apis: a real run would stop)",
        ),
    )
    parser.add_argument(
        "config",
        nargs="?",
        type=config_path,
        help=f"{CONFIG_HELP}; default: every config reconciler.yaml declares, else company.yaml",
    )
    parser.add_argument(
        "--repo",
        type=checked("reconciler.commands.doctor", "checked_repository"),
        metavar="OWNER/NAME",
        help="default: GITHUB_REPOSITORY, else the origin remote",
    )
    parser.add_argument(
        "--branch", help="the branch merges apply from (default: the repository's default)"
    )
    parser.add_argument(
        "--apis",
        action="store_true",
        help="instead: the first-contact report of CharlieHR and Ledgy with the real "
        "credentials (keys, types and fill rates, never a value; the field_keys lines to add)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="with --apis: also write the report as JSON"
    )

    def run(args: argparse.Namespace) -> int:
        if args.apis:
            from reconciler.commands.doctor_apis import doctor_apis

            return doctor_apis(args.config or Path("company.yaml"), out=args.out)
        if args.out is not None:
            parser.error("--out goes with --apis")
        from reconciler.commands.doctor import doctor

        return doctor(args.config, repository=args.repo, branch=args.branch)

    parser.set_defaults(handler=run)


def add_schema(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "schema",
        parents=[common],
        help="write the JSON Schema of company.yaml",
        epilog=exit_codes_epilog(
            "the schema was written (--check: it is up to date)",
            "--check: the committed schema is stale; or the file cannot be written",
        ),
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

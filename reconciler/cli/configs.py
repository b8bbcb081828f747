"""The verb that lists a repository's configs, for people and for the workflows' matrix."""

from __future__ import annotations

import argparse

from reconciler.cli.args import Parser, Subparsers
from reconciler.error_handler import exit_codes_epilog


def add_configs(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "configs",
        parents=[common],
        help="list the configs the repository declares (with --changed, those a change "
        "touches); --json prints the workflows' matrix",
        epilog=exit_codes_epilog(
            "the configs were listed",
            "the index cannot be read, or no config has that name",
        ),
    )
    parser.add_argument(
        "name", nargs="?", help="a config's name: that config alone (default: every config)"
    )
    parser.add_argument(
        "--changed",
        nargs=2,
        metavar=("BASE", "HEAD"),
        help="only the configs whose files the commits from BASE to HEAD change (every "
        "config when a shared file changes: the index, a workflow, the action)",
    )
    parser.add_argument(
        "--merged",
        action="store_true",
        help="with --changed: the configs a merge applies (shared files select none)",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON list: name, config, key, environments"
    )

    def run(args: argparse.Namespace) -> int:
        from reconciler.commands.configs import configs

        if args.merged and args.changed is None:
            parser.error("--merged goes with --changed")
        changed = tuple(args.changed) if args.changed else None
        return configs(args.name, changed=changed, merged=args.merged, as_json=args.json)

    parser.set_defaults(handler=run)

"""The sandbox verb: serve the emulators, make a demo company, play the admin."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from reconciler.cli.args import Parser, Subparsers, bounded
from reconciler.error_handler import exit_codes_epilog

EXAMPLE = Path("examples/company.yaml")


def add_sandbox(sub: Subparsers, common: Parser) -> None:
    parser = sub.add_parser(
        "sandbox",
        parents=[common],
        help="run the local emulators",
        epilog=exit_codes_epilog("success (each VERB's --help says what its codes mean)"),
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    serve = verbs.add_parser(
        "serve",
        parents=[common],
        help="serve the emulators on loopback",
        epilog=exit_codes_epilog(
            "the emulators ran until stopped",
            "the sandbox directory or --config cannot be read, or --faults names an unknown kind",
        ),
    )
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
        "init",
        parents=[common],
        help="write the demo company into a directory",
        epilog=exit_codes_epilog(
            "the sandbox directory was written",
            "--config cannot be read, or the directory cannot be written",
        ),
    )
    init.add_argument("directory", type=Path)
    serve.add_argument(
        "--ledgy-published-only",
        action="store_true",
        help="serve only Ledgy's published API (auth, companyCaptable, companyTransactions), "
        "as a real account does today",
    )
    serve.add_argument(
        "--ledgy-introspection",
        choices=("allowed", "disabled", "apollo"),
        default="allowed",
        help="disabled or apollo: Ledgy refuses introspection, as graphql-core's rule or "
        "Apollo Server would",
    )
    serve.add_argument(
        "--ledgy-export-headers",
        choices=("ours", "aliased", "no-hr", "no-key"),
        default="ours",
        help="how the export spells its columns: our table, other spellings (Stakeholder id, "
        "Full name, E-mail…), without the HR: columns, or without the Stakeholder ID column",
    )
    upload = verbs.add_parser(
        "upload",
        parents=[common],
        help="play the Ledgy admin: upload a prepared folder into a sandbox directory",
        epilog=exit_codes_epilog(
            "the folder's files were loaded into the sandbox directory",
            "the folder is not a prepared upload, or the directory cannot be read or written",
        ),
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
        from reconciler.sandbox.ledgy import Behaviour

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
            ledgy_behaviour=Behaviour(args.ledgy_introspection, args.ledgy_export_headers),
        )

    parser.set_defaults(handler=run)

"""Write reconciler/targets/ledgy/operations.printed.json: the built-in Ledgy operations,
checked against the schema with graphql-core and printed as they are sent.

    .venv/bin/python scripts/print_operations.py [--check]

Run it after editing reconciler/targets/ledgy/schema.graphql or operations.graphql;
``--check`` (and tests/targets/ledgy/test_printed.py) fails when the file is stale.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources

from reconciler.targets.ledgy.operations import printed_file_text
from reconciler.targets.ledgy.printed import FILE, PACKAGE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args()
    path = resources.files(PACKAGE).joinpath(FILE)
    wanted = printed_file_text()
    current = path.read_text("utf-8") if path.is_file() else None
    if args.check:
        if current != wanted:
            print(f"{FILE} is stale: run python scripts/print_operations.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        with resources.as_file(path) as real:
            real.write_text(wanted, encoding="utf-8")
        print(f"wrote {FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

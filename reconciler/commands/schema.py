"""``reconciler schema``: write or check schemas/company.schema.json."""

from __future__ import annotations

import sys
from pathlib import Path

from reconciler.config.schema import render_schema


def schema(output: Path, *, check: bool) -> int:
    """Write the schema to ``output``; with ``check``, exit 1 when it is stale."""
    fresh = render_schema()
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != fresh:
            print(
                f"{output} is out of date with the config model; run `reconciler schema` "
                "and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(fresh, encoding="utf-8")
    print(f"wrote {output}")
    return 0

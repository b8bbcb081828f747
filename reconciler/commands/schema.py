"""``reconciler schema``: write or check schemas/company.schema.json and, next to it,
schemas/reconciler.schema.json (the index's)."""

from __future__ import annotations

import sys
from pathlib import Path

from reconciler.config.schema import INDEX_SCHEMA, render_index_schema, render_schema


def schema(output: Path, *, check: bool) -> int:
    """Write both schemas (the config's to ``output``, the index's beside it); with
    ``check``, exit 1 when either is stale."""
    files = (
        (output, render_schema(), "config"),
        (output.parent / INDEX_SCHEMA, render_index_schema(), "index"),
    )
    if check:
        stale = 0
        for path, fresh, model in files:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != fresh:
                print(
                    f"{path} is out of date with the {model} model; run `reconciler schema` "
                    "and commit the result",
                    file=sys.stderr,
                )
                stale += 1
            else:
                print(f"{path} is up to date")
        return 1 if stale else 0
    output.parent.mkdir(parents=True, exist_ok=True)
    for path, fresh, _ in files:
        path.write_text(fresh, encoding="utf-8")
        print(f"wrote {path}")
    return 0

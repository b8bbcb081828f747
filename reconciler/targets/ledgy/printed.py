"""The built-in Ledgy operations as they are sent, printed ahead of time.

A read of Ledgy sends, for each operation, the text graphql-core prints once the
operations are checked against the schema. Importing graphql-core to check and
print them took a tenth of a second before the first Ledgy request, on every run.
So the built-in operations are checked and printed when the package is made
(``operations.printed.json``, written by ``python scripts/print_operations.py`` and
kept fresh by a test), and a run reads the texts from there.

The file names the digest of the schema and the operations it was printed from. A
package whose ``schema.graphql`` or ``operations.graphql`` no longer matches it is
checked at run time instead, as a config's own ``ledgy.operations`` always is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

PACKAGE = "reconciler.targets.ledgy"
FILE = "operations.printed.json"
SCHEMA = "schema.graphql"
OPERATIONS = "operations.graphql"


def source_digest(schema: str, operations: str) -> str:
    """The digest of the schema and operations texts that printed texts were made from."""
    both = hashlib.sha256()
    for text in (schema, operations):
        data = text.encode("utf-8")
        both.update(len(data).to_bytes(8, "big") + data)
    return both.hexdigest()


def packaged_digest() -> str:
    """The digest of the packaged schema and built-in operations as they are now."""
    files = resources.files(PACKAGE)
    return source_digest(
        files.joinpath(SCHEMA).read_text("utf-8"), files.joinpath(OPERATIONS).read_text("utf-8")
    )


@dataclass(frozen=True)
class Printed:
    """The built-in operations as printed ahead: what a run needs of them before it writes."""

    texts: Mapping[str, str]
    """Each operation's text as sent, by name."""
    root_fields: frozenset[str]
    """The root fields they select (what the account must offer)."""


@cache
def printed_operations() -> Printed | None:
    """The built-in operations as printed ahead; ``None`` when the file is missing,
    unreadable or printed from another schema or operations text."""
    try:
        data = json.loads(resources.files(PACKAGE).joinpath(FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("digest") != packaged_digest():
        return None
    texts, roots = data.get("operations"), data.get("root_fields")
    if not isinstance(texts, dict) or not isinstance(roots, list):
        return None
    return Printed(
        MappingProxyType({str(name): str(text) for name, text in texts.items()}),
        frozenset(str(name) for name in roots),
    )

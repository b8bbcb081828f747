"""Canonical JSON and fingerprints: the same data always hashes the same. Pure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple):
        return sorted(value, key=str)
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, no spaces, dates as ISO strings."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def sha256(text: str) -> str:
    """The hex sha256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(records: Iterable[Any], key: Callable[[Any], str] | None = None) -> str:
    """A hash of records that does not depend on their order.

    With ``key`` (unique per record) the records are sorted by it and encoded in one
    pass, which is much faster than encoding each record to sort by its text.
    """
    if key is None:
        return sha256("\n".join(sorted(canonical_json(r) for r in records)))
    return sha256(canonical_json(sorted(records, key=key)))

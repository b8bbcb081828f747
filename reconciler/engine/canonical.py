"""Canonical JSON and keyed fingerprints: the same data and key always hash the same. Pure.

Every hash that leaves the process (the plan checksum, the input fingerprints, the
per-change digests) is an HMAC-SHA256 under a :class:`PlanKey`: without the key, a
masked value cannot be recovered by hashing guesses. The shell decides the key
(``RECONCILER_PLAN_KEY``, else derived from a secret the run already has, else the
public sandbox key in the sandbox) and passes it in; nothing here reads it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson


@dataclass(frozen=True)
class PlanKey:
    """The secret every outgoing hash is keyed with; it never prints itself."""

    secret: bytes = field(repr=False)
    origin: str = "sandbox"
    """Where it came from, for messages (``RECONCILER_PLAN_KEY``, ``LEDGY_API_KEY``...)."""

    def digest(self, text: str) -> str:
        """The hex HMAC-SHA256 of UTF-8 text under this key."""
        return hmac.new(self.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


SANDBOX_KEY = PlanKey(b"reconciler sandbox plan key: public, for the sandbox and tests only")
"""The key of the sandbox and of tests. Public: never the key of a real company's plans."""


def derive_key(secret: str, *, origin: str) -> PlanKey:
    """A plan key derived from another secret (so that no new secret is needed to start)."""
    derived = hmac.new(secret.encode("utf-8"), b"reconciler plan key v1", hashlib.sha256)
    return PlanKey(derived.digest(), origin)


def _default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple):
        return sorted(value, key=str)
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical_json(data: object) -> str:
    """JSON with sorted keys, no spaces, dates as ISO strings.

    orjson, not the standard library: hashing a large plan encodes megabytes, which
    took a fifth of the planning time at 10,000 employees (bench/e2e.py).
    """
    text = orjson_json(data)
    if text is not None:
        return text
    # An integer beyond 64 bits: the standard library writes it, slowly.
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def orjson_json(data: object) -> str | None:
    """:func:`canonical_json` as orjson writes it; ``None`` when orjson cannot (an integer
    beyond 64 bits), where the standard library writes it instead, in its own way."""
    try:
        return orjson.dumps(data, default=_default, option=_OPTIONS).decode("utf-8")
    except orjson.JSONEncodeError as error:
        if error.__cause__ is not None:
            raise TypeError(str(error.__cause__)) from None
        return None


_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def fingerprint(
    records: Iterable[Any], plan_key: PlanKey, *, by: Callable[[Any], str] | None = None
) -> str:
    """A keyed hash of records that does not depend on their order.

    With ``by`` (a key unique per record) the records are sorted by it and encoded in one
    pass, which is much faster than encoding each record to sort by its text.
    """
    if by is None:
        return plan_key.digest("\n".join(sorted(canonical_json(r) for r in records)))
    return plan_key.digest(canonical_json(sorted(records, key=by)))


def fingerprint_of_texts(texts: Iterable[tuple[str, str]], plan_key: PlanKey) -> str:
    """:func:`fingerprint` with ``by``, from each record's key and :func:`orjson_json`
    text (written ahead): the same hash, as orjson writes a list as its items' texts
    between brackets, comma-separated."""
    ordered = sorted(texts, key=_first)
    return plan_key.digest("[" + ",".join(text for _, text in ordered) + "]")


def _first(pair: tuple[str, str]) -> str:
    return pair[0]

"""The record of applied values: what each managed field of each stakeholder last held
by the reconciler's doing, as keyed digests only. Pure.

A plan tells a value edited in Ledgy from an HR change by it: a Ledgy value that is
neither in the record nor HR's was put there by someone else (:mod:`reconciler.engine.conflicts`).
The record travels in the saved plan file next to the config (``company.plan.json``,
under ``"applied"``), which the sync pull request commits: every run, on any runner,
reads the record of the last plan merged, and a merged plan's apply reads the very
record it was reviewed with.

Per stakeholder and field it keeps up to :data:`KNOWN_MOST` digests, newest first:
the value the plan writes (or found in agreement with HR), the value Ledgy held
before it, and one older. So a plan that was merged but not yet applied (a refused
apply, a workbook upload still pending) never makes its own old values look like
hand edits. Each field also keeps how the config derives it: a field whose source
changed has no record (a config change is not a hand edit).

Digests are keyed BLAKE2b under a key derived from the plan key, salted with the
stakeholder and the field: without the key nothing can be guessed, and two people
holding the same value do not show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

from reconciler.config.model import Stakeholders
from reconciler.domain.stakeholder import Value
from reconciler.engine.canonical import PlanKey, canonical_json
from reconciler.engine.diff import comparable

RECORD_FORMAT = "reconciler-applied-values"
RECORD_VERSION = 1
KNOWN_MOST = 3
"""Digests kept per stakeholder and field: the newest, the one before, one older."""
PERSON_BYTES = 8
VALUE_BYTES = 4
"""32 bits a value: one edit in four billion would look known; nothing can be guessed."""
NONE = "-"
"""A field the record holds nothing for (for that stakeholder)."""


class RecordError(ValueError):
    """A record that is not one (hand-edited, truncated, another version)."""


class Digests:
    """The record's keyed digests (BLAKE2b under a key derived from the plan key)."""

    def __init__(self, key: PlanKey) -> None:
        secret = bytes.fromhex(key.digest("reconciler record of applied values v1"))
        # Keyed once; each digest copies the keyed state (a third of the time of keying).
        self._people = blake2b(key=secret, digest_size=PERSON_BYTES)
        self._values = blake2b(key=secret, digest_size=VALUE_BYTES)

    def check(self) -> str:
        """A digest that tells whether a record was made under this key."""
        return self._keyed(self._people, "check")

    def person(self, identifier: str) -> str:
        """The key of a stakeholder in the record (from its normal identifier)."""
        return self._keyed(self._people, "person\0" + identifier)

    def value(self, person: str, field: str, value: Value) -> str:
        """The digest of a value as the diff compares it (whitespace and number forms aside)."""
        return self._keyed(self._values, f"{person}\0{field}\0{_canonical(value)}")

    @staticmethod
    def _keyed(state: Any, text: str) -> str:
        digest = state.copy()
        digest.update(text.encode("utf-8"))
        return str(digest.hexdigest())


def _canonical(value: Value) -> str:
    """A value as the diff compares it, as text that tells its type."""
    same = comparable(value)
    if same is None:
        return "null"
    if isinstance(same, str):
        return "s" + same
    return canonical_json(same)


Known = tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """Per stakeholder and field, the digests of the values known to be the reconciler's."""

    check: str
    derivations: Mapping[str, str]
    """How the config derived each recorded field (``hris.team`` <- ``team``)."""
    people: Mapping[str, Mapping[str, Known]] = field(default_factory=dict)

    def known(self, person: str, field: str) -> Known | None:
        """The digests recorded for one field of one stakeholder (``None``: no record)."""
        slots = self.people.get(person)
        return None if slots is None else slots.get(field)

    def to_data(self) -> dict[str, Any]:
        """The record as the saved plan file holds it: one line of digests per stakeholder."""
        fields = sorted(self.derivations)
        return {
            "format": RECORD_FORMAT,
            "version": RECORD_VERSION,
            "check": self.check,
            "fields": {f: self.derivations[f] for f in fields},
            "people": {
                person: " ".join(",".join(slots.get(f, ())) or NONE for f in fields)
                for person, slots in sorted(self.people.items())
            },
        }

    @classmethod
    def from_data(cls, data: Any) -> Record:
        """Read a record back; :class:`RecordError` says what is wrong with it."""
        if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
            raise RecordError(f'not a record (no "format": "{RECORD_FORMAT}")')
        if data.get("version") != RECORD_VERSION:
            raise RecordError(f"record version {data.get('version')!r} is not {RECORD_VERSION}")
        check, fields, people = data.get("check"), data.get("fields"), data.get("people")
        if (
            not isinstance(check, str)
            or not isinstance(fields, dict)
            or not isinstance(people, dict)
        ):
            raise RecordError('"check", "fields" or "people" is missing or of the wrong type')
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
            raise RecordError('"fields" must map field names to text')
        names = sorted(fields)
        return cls(check, dict(fields), {p: _slots(p, line, names) for p, line in people.items()})


_SLOT = re.compile(
    rf"-|[0-9a-f]{{{2 * VALUE_BYTES}}}(?:,[0-9a-f]{{{2 * VALUE_BYTES}}}){{0,{KNOWN_MOST - 1}}}"
)


def _slots(person: str, line: Any, names: list[str]) -> dict[str, Known]:
    parts = line.split(" ") if isinstance(line, str) else None
    if parts is None or len(parts) != len(names):
        raise RecordError(f"stakeholder {person[:12]}: not {len(names)} fields of digests")
    slots: dict[str, Known] = {}
    for name, part in zip(names, parts, strict=True):
        if part == NONE:
            continue
        if not _SLOT.fullmatch(part):
            raise RecordError(f"stakeholder {person[:12]}: {name} holds no valid digests")
        slots[name] = tuple(part.split(","))
    return slots


@dataclass(frozen=True)
class Recorded:
    """The record a plan reads, as the shell found it: none (the first run), one, or a
    file that holds none it can use (``problem`` says why, in words without values)."""

    record: Record | None = None
    problem: str | None = None
    where: str = "the saved plan file"
    """The file, for messages (``company.plan.json``)."""


NO_RECORD = Recorded()
"""No record: the first run, or a saved plan made before records were kept."""


def derivations(people: Stakeholders, sources: Mapping[str, str | None]) -> dict[str, str]:
    """How the config derives each field it manages (the identifier is matched, not kept)."""
    made: dict[str, str] = {}
    for name, source in sources.items():
        if name == "identifier":
            continue
        if name == "group":
            leavers = people.terminated
            made[name] = f"{people.group}; leavers: {leavers.action} {leavers.group or ''}".strip()
        else:
            made[name] = source or ""
    return made


def newest(*digests: Iterable[str]) -> Known:
    """Digests newest first, each once, at most :data:`KNOWN_MOST`."""
    seen: dict[str, None] = {}
    for group in digests:
        for digest in group:
            seen.setdefault(digest, None)
    return tuple(seen)[:KNOWN_MOST]

"""Prepared uploads not yet in Ledgy: the record every later run reads. Pure.

The workbook driver cannot write to Ledgy: an apply prepares files and a person
uploads them. Until the refreshed export shows them, the people a prepared folder
creates and updates are *awaiting upload*, and no later plan may prepare them
again, on this machine or on a fresh CI runner. So each apply leaves an
:class:`UploadRecord`: the plan's checksum, when and where the folder was
prepared, and for each person their identifier (shown in every plan anyway), their
Stakeholder ID (updates) and, per field, a keyed digest of the value prepared. No
value is in it: without the plan key a digest gives nothing away.

The records of one config are kept together as one small JSON document
(:func:`records_text`, :func:`parse_records`): ``company.pending.json`` next to the
config, or the same file on the ``reconciler/pending/…`` branch in GitHub Actions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.domain.json import Json

RECORDS_VERSION = 1
SUFFIX = ".pending.json"
BRANCH_PREFIX = "reconciler/pending/"


def pending_branch(record_path: str) -> str:
    """The branch CI keeps a record file on, from the file's path in the repository:
    ``people/company.pending.json`` -> ``reconciler/pending/people-company``."""
    stem = record_path.removesuffix(SUFFIX)
    return BRANCH_PREFIX + (re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "config")


@dataclass(frozen=True)
class PreparedPerson:
    """One person in a prepared folder: who, and a keyed digest of each value prepared."""

    identifier: str
    fields: Mapping[str, str] = field(default_factory=dict)
    """Field name to keyed digest of the value prepared (see ``engine.pending``)."""
    stakeholder_id: str | None = None
    """Ledgy's Stakeholder ID for an update; ``None`` for a create."""

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"identifier": self.identifier}
        if self.stakeholder_id is not None:
            data["stakeholder_id"] = self.stakeholder_id
        data["fields"] = dict(sorted(self.fields.items()))
        return data


@dataclass(frozen=True)
class UploadRecord:
    """What one apply prepared for upload, without a personal value."""

    label: str
    """The folder's name: the plan checksum's first 12 hex digits."""
    checksum: str
    prepared_at: str
    """When, as ISO 8601 in UTC to the minute (``2026-11-25T10:30Z``)."""
    where: str
    """The folder (or, in CI, its ``.tar.age``) as the apply named it."""
    key_check: str
    """A keyed digest of a fixed text: tells whether this run's plan key made the digests."""
    creates: tuple[PreparedPerson, ...] = ()
    updates: tuple[PreparedPerson, ...] = ()
    run_url: str | None = None
    """The CI run whose artifact holds the folder (``None``: prepared on a machine)."""

    def to_dict(self) -> Json:
        data: Json = {
            "label": self.label,
            "checksum": self.checksum,
            "prepared_at": self.prepared_at,
            "where": self.where,
        }
        if self.run_url is not None:
            data["run_url"] = self.run_url
        data["key_check"] = self.key_check
        data["creates"] = [p.to_dict() for p in self.creates]
        data["updates"] = [p.to_dict() for p in self.updates]
        return data


def records_text(records: Sequence[UploadRecord]) -> str:
    """The document that keeps a config's records: the same bytes for the same records."""
    ordered = sorted(records, key=lambda r: (r.prepared_at, r.label))
    body = {"version": RECORDS_VERSION, "uploads": [r.to_dict() for r in ordered]}
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def parse_records(text: str) -> tuple[UploadRecord, ...]:
    """The records a document holds; ``ValueError`` saying what is wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != RECORDS_VERSION:
        raise ValueError(f"not a version {RECORDS_VERSION} record of pending uploads")
    uploads = data.get("uploads")
    if not isinstance(uploads, list):
        raise ValueError("'uploads' is not a list")
    return tuple(_record(entry, number) for number, entry in enumerate(uploads, start=1))


def _record(entry: object, number: int) -> UploadRecord:
    where = f"upload {number}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} is not an object")
    text = {k: _text(entry, k, where) for k in ("label", "checksum", "prepared_at", "where")}
    run_url = entry.get("run_url")
    return UploadRecord(
        text["label"],
        text["checksum"],
        text["prepared_at"],
        text["where"],
        _text(entry, "key_check", where),
        _people(entry.get("creates", []), f"{where}, creates", update=False),
        _people(entry.get("updates", []), f"{where}, updates", update=True),
        run_url if isinstance(run_url, str) and run_url else None,
    )


def _people(entries: object, where: str, *, update: bool) -> tuple[PreparedPerson, ...]:
    if not isinstance(entries, list):
        raise ValueError(f"{where} is not a list")
    people = []
    for number, entry in enumerate(entries, start=1):
        at = f"{where} {number}"
        if not isinstance(entry, dict):
            raise ValueError(f"{at} is not an object")
        fields = entry.get("fields", {})
        if not isinstance(fields, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in fields.items()
        ):
            raise ValueError(f"{at}: 'fields' is not an object of digests")
        sid = _text(entry, "stakeholder_id", at) if update else None
        people.append(PreparedPerson(_text(entry, "identifier", at), dict(fields), sid))
    return tuple(people)


def _text(entry: Mapping[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: '{key}' is missing or not text")
    return value

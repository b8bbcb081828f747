"""Prepared uploads in a plan: who awaits upload, what is settled, what is new. Pure.

An apply under the workbook driver prepares files and leaves an
:class:`~reconciler.domain.pending.UploadRecord` (:func:`upload_record`). Every later
plan holds its changes against the open records (:func:`hold_back`):

- a **create** whose identifier is in a record and not yet in Ledgy is *awaiting
  upload*: never planned again, whatever else changed (a second import would make a
  second stakeholder). Once the export holds the identifier it is settled;
- an **update** is awaiting when the newest record that updates that stakeholder
  prepared exactly the field values the plan wants now (keyed digests match); when
  the plan no longer has a change for it, Ledgy holds what HR wants and it is
  settled; when HR changed it again, it is planned anew (the new bulk-edit row
  carries every field, and supersedes the older one);
- a record with nothing awaiting is settled. While one is open the plan is not in
  step, whatever its changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reconciler.domain.identity import normal_identifier
from reconciler.domain.pending import PreparedPerson, UploadRecord
from reconciler.domain.stakeholder import Stakeholder, Value
from reconciler.domain.writes import Write
from reconciler.engine.canonical import PlanKey, canonical_json
from reconciler.engine.values import Change, PlanWarning

DIGEST_LENGTH = 32
KEY_CHECK_TEXT = "reconciler pending uploads v1"


@dataclass(frozen=True, slots=True)
class Awaiting:
    """One open prepared upload as a plan shows it: where, since when, and who waits."""

    label: str
    checksum: str
    prepared_at: str
    where: str
    run_url: str | None
    creates: tuple[str, ...]
    """Identifiers the folder creates that Ledgy does not hold yet."""
    updates: tuple[tuple[str, str, tuple[str, ...]], ...]
    """``(identifier, stakeholder id, fields)`` of the updates not in Ledgy yet."""

    @property
    def people(self) -> int:
        """How many people wait for this upload."""
        return len(self.creates) + len(self.updates)

    def to_dict(self) -> dict[str, object]:
        """The plan JSON's ``pending_uploads`` entry (docs/plan.md)."""
        return {
            "label": self.label,
            "checksum": self.checksum,
            "prepared_at": self.prepared_at,
            "where": self.where,
            "run_url": self.run_url,
            "creates": list(self.creates),
            "updates": [
                {"identifier": who, "stakeholder_id": sid, "fields": list(fields)}
                for who, sid, fields in self.updates
            ],
        }


@dataclass(frozen=True)
class Held:
    """A plan's changes held against the open records."""

    changes: tuple[Change, ...]
    """What is left to plan: nothing a prepared folder already does."""
    awaiting: tuple[Awaiting, ...]
    """The open records, oldest first."""
    warnings: tuple[PlanWarning, ...]


def key_check(key: PlanKey) -> str:
    """What tells a record's digests were made under this key."""
    return key.digest(KEY_CHECK_TEXT)[:16]


def value_digest(key: PlanKey, identifier: str, field: str, value: Value) -> str:
    """The keyed digest of one prepared value (the value itself is never kept)."""
    who = normal_identifier(identifier) or identifier
    return key.digest(canonical_json([who, field, value]))[:DIGEST_LENGTH]


def upload_record(
    writes: Sequence[Write],
    key: PlanKey,
    *,
    label: str,
    checksum: str,
    prepared_at: str,
    where: str,
    run_url: str | None = None,
) -> UploadRecord:
    """The record of what one apply prepared: identifiers, ids and keyed digests only."""

    def person(write: Write) -> PreparedPerson:
        who = write.identifier or ""
        fields = {f: value_digest(key, who, f, v) for f, v in write.values.items()}
        return PreparedPerson(
            who, fields, write.stakeholder_id if write.action == "update" else None
        )

    return UploadRecord(
        label,
        checksum,
        prepared_at,
        where,
        key_check(key),
        tuple(person(w) for w in writes if w.action == "create"),
        tuple(person(w) for w in writes if w.action == "update"),
        run_url,
    )


def hold_back(
    changes: Sequence[Change],
    records: Sequence[UploadRecord],
    stakeholders: Iterable[Stakeholder],
    key: PlanKey,
) -> Held:
    """Take out of ``changes`` what an open record already prepared (see the module)."""
    if not records:
        return Held(tuple(changes), (), ())
    ordered = sorted(records, key=lambda r: (r.prepared_at, r.label))
    present: set[str] = set()
    ids: dict[str, Stakeholder] = {}
    for stakeholder in stakeholders:
        ids[str(stakeholder.id)] = stakeholder
        normal = normal_identifier(stakeholder.identifier)
        if normal is not None:
            present.add(normal)
    sorting = _Sorting(changes, key)
    for record in ordered:
        sorting.creates_of(record, present)
    for record in reversed(ordered):  # the newest record that matches holds an update
        sorting.updates_of(record, ids)
    for record in ordered:
        sorting.superseded(record, ids)
    awaiting = tuple(a for a in (sorting.awaiting(r) for r in ordered) if a is not None)
    return Held(sorting.left(), awaiting, tuple(sorting.warnings))


class _Sorting:
    """The bookkeeping of :func:`hold_back`: what each record holds, and the warnings."""

    def __init__(self, changes: Sequence[Change], key: PlanKey) -> None:
        self.key = key
        self.check = key_check(key)
        self.changes = list(changes)
        self.creates = {
            normal_identifier(c.identifier) or c.identifier: c
            for c in changes
            if c.action == "create"
        }
        self.updates = {c.stakeholder_id: c for c in changes if c.action == "update"}
        self.held: set[int] = set()
        """``id()`` of the changes a record holds (taken out of the plan)."""
        self.waiting_creates: dict[str, list[str]] = {}
        self.waiting_updates: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        self.created_in: dict[str, str] = {}
        self.warnings: list[PlanWarning] = []
        self.other_key: list[str] = []

    def creates_of(self, record: UploadRecord, present: set[str]) -> None:
        waiting = self.waiting_creates.setdefault(record.label, [])
        for person in record.creates:
            normal = normal_identifier(person.identifier) or person.identifier
            if normal in present:
                continue  # the export holds them: settled
            waiting.append(person.identifier)
            earlier = self.created_in.get(normal)
            if earlier is not None:
                self._warn(
                    person.identifier,
                    "pending_twice",
                    f"is in the import files of both {earlier} and {record.where}: upload "
                    "only one of them, or Ledgy holds this person twice",
                )
                continue
            self.created_in[normal] = record.where
            change = self.creates.get(normal)
            if change is None:
                self._warn(
                    person.identifier,
                    "pending_not_planned",
                    f"is in the import prepared in {record.where}, but this plan would not "
                    "create them now: leave their row out of the upload",
                )
                continue
            self.held.add(id(change))
            self._changed_since(record, person, change)

    def _changed_since(self, record: UploadRecord, person: PreparedPerson, change: Change) -> None:
        if record.key_check != self.check:
            self._other_key(record)
            return
        wanted = self._digests(person.identifier, change)
        changed = sorted(
            f for f in set(wanted) | set(person.fields) if wanted.get(f) != person.fields.get(f)
        )
        if changed:
            self._warn(
                person.identifier,
                "pending_changed",
                f"HR changed {', '.join(changed)} since their import was prepared in "
                f"{record.where}; it is not prepared again: once the upload is in the "
                "export, the next plan updates them",
            )

    def updates_of(self, record: UploadRecord, ids: Mapping[str, Stakeholder]) -> None:
        waiting = self.waiting_updates.setdefault(record.label, [])
        for person in record.updates:
            sid = person.stakeholder_id or ""
            change = self.updates.get(sid)
            if sid not in ids or change is None or id(change) in self.held:
                continue  # gone from Ledgy, in step already, or held by a newer record
            if record.key_check != self.check:
                self._other_key(record)
                continue
            wanted = self._digests(person.identifier, change)
            if all(person.fields.get(f) == digest for f, digest in wanted.items()):
                self.held.add(id(change))
                fields = tuple(f.field for f in change.fields)
                waiting.append((change.identifier, sid, fields))

    def superseded(self, record: UploadRecord, ids: Mapping[str, Stakeholder]) -> None:
        """Warn about an update planned anew while an older folder, not uploaded (Ledgy
        does not hold what it prepared), updates the same stakeholder."""
        if record.key_check != self.check:
            return
        for person in record.updates:
            current = ids.get(person.stakeholder_id or "")
            change = self.updates.get(person.stakeholder_id or "")
            if current is None or change is None or id(change) in self.held:
                continue
            flat = current.flat()
            if all(
                value_digest(self.key, person.identifier, f, flat.get(f)) == digest
                for f, digest in person.fields.items()
            ):
                continue  # uploaded: Ledgy holds what it prepared
            self._warn(
                person.identifier,
                "pending_superseded",
                f"HR changed them again since {record.where} was prepared, which is not "
                "uploaded yet: this plan updates them anew; upload that folder first, or "
                "not at all, never after the new one",
            )

    def awaiting(self, record: UploadRecord) -> Awaiting | None:
        creates = tuple(self.waiting_creates.get(record.label, ()))
        updates = tuple(self.waiting_updates.get(record.label, ()))
        if not creates and not updates:
            return None
        return Awaiting(
            record.label,
            record.checksum,
            record.prepared_at,
            record.where,
            record.run_url,
            creates,
            tuple(sorted(updates, key=lambda u: (u[0].casefold(), u[1]))),
        )

    def left(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if id(c) not in self.held)

    def _digests(self, identifier: str, change: Change) -> Mapping[str, str]:
        return {f.field: value_digest(self.key, identifier, f.field, f.new) for f in change.fields}

    def _other_key(self, record: UploadRecord) -> None:
        if record.label in self.other_key:
            return
        self.other_key.append(record.label)
        self._warn(
            None,
            "pending_other_key",
            f"the record of {record.where} was made under another plan key: its creates stay "
            "held, its updates are planned again (plan and apply must share "
            "RECONCILER_PLAN_KEY)",
        )

    def _warn(self, identifier: str | None, code: str, message: str) -> None:
        self.warnings.append(PlanWarning(identifier, code, message))

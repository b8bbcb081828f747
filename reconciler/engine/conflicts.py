"""Edits made in Ledgy, and fields no longer synced: the plan held against the record. Pure.

A Ledgy value that differs from HR's is an ordinary update when the record of applied
values knows it (the reconciler wrote it, planned it, or found it agreeing with HR),
and a **conflict** when it does not: someone edited it in Ledgy. The field's policy
(``stakeholders.conflicts``) decides what the plan does with it: ``hr_wins`` plans
HR's value, flagged; ``ledgy_wins`` leaves Ledgy's; ``review`` holds the field out
of the plan, with a warning. With no record for a value (the first run, a field
newly synced or now derived from another source, a stakeholder new to the sync)
nothing is a conflict.

With ``on_removed_field: clear``, a field the record holds but the config no longer
syncs is planned as a clear for every managed stakeholder it was applied to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from reconciler.config.model import Stakeholders
from reconciler.domain.fields import is_personal
from reconciler.domain.stakeholder import Stakeholder, Value
from reconciler.engine.canonical import PlanKey
from reconciler.engine.diff import comparable
from reconciler.engine.match import Pair
from reconciler.engine.record import (
    Digests,
    Known,
    Record,
    Recorded,
    derivations,
    newest,
)
from reconciler.engine.values import Change, Conflict, ConflictPolicy, FieldChange, PlanWarning

UNREADABLE = "unreadable:"


@dataclass(frozen=True)
class Ledger:
    """One plan's view of the record: what is known, each field's policy, what to clear."""

    people: Stakeholders
    digests: Digests
    record: Record | None
    """The record, when there is one made under this plan key."""
    derivations: Mapping[str, str]
    """How the config derives each field this plan compares."""
    managed: Mapping[str, str]
    """How the config derives every field it manages, compared this plan or not (an HR
    gap, a column the workbook lacks): none of them is a removed field."""
    unheld: frozenset[str] = frozenset()
    warnings: tuple[PlanWarning, ...] = ()

    @classmethod
    def of(
        cls,
        recorded: Recorded,
        key: PlanKey,
        people: Stakeholders,
        sources: Mapping[str, str | None],
        managed: Mapping[str, str | None],
        unheld: frozenset[str] = frozenset(),
    ) -> Ledger:
        """The view of ``recorded`` under the run's key (a record made under another key
        is not used, and the plan says so)."""
        digests = Digests(key)
        record = recorded.record
        warnings: tuple[PlanWarning, ...] = ()
        if recorded.problem is not None:
            warnings = (_record_warning("record_unreadable", recorded, recorded.problem),)
        elif record is not None and record.check != digests.check():
            record = None
            warnings = (_record_warning("record_other_key", recorded, _OTHER_KEY),)
        return cls(
            people,
            digests,
            record,
            derivations(people, sources),
            derivations(people, managed),
            unheld,
            warnings,
        )

    @cached_property
    def removed(self) -> tuple[str, ...]:
        """Fields the record holds and the config no longer syncs, to clear (``clear``)."""
        if self.record is None or self.people.on_removed_field != "clear":
            return ()
        gone = set(self.record.derivations) - set(self.managed) - self.unheld
        return tuple(sorted(gone))

    def policy(self, field: str) -> ConflictPolicy:
        """The conflict policy of a field."""
        conflicts = self.people.conflicts
        return conflicts.fields.get(field, conflicts.default)

    def known(self, person: str, field: str) -> Known | None:
        """The recorded digests of a field, if derived as it is now (else no record)."""
        record = self.record
        if record is None or record.derivations.get(field) != self.derivations.get(field):
            return None
        return record.known(person, field)

    def settle(
        self, pair: Pair, change: Change | None
    ) -> tuple[Change | None, tuple[Conflict, ...]]:
        """A matched stakeholder's change with its conflicts judged and its removed
        fields cleared; the conflicts found."""
        current, identifier = pair.current, pair.outcome.identifier
        if current is None or not identifier or self.record is None:
            return change, ()
        if change is None and not self.removed:
            return None, ()
        person = self.digests.person(identifier)
        name = change.name if change is not None else _name(pair, identifier)
        unreadable = _unreadable(current)
        kept: list[FieldChange] = []
        found: list[Conflict] = []
        for item in change.fields if change is not None else ():
            if item.field in unreadable or not self._edited(person, item.field, item.old):
                kept.append(item)
                continue
            policy = self.policy(item.field)
            found.append(
                Conflict(
                    identifier,
                    current.id or "",
                    name,
                    item.field,
                    item.old,
                    item.new,
                    policy,
                    item.personal,
                )
            )
            if policy == "hr_wins":
                kept.append(replace(item, conflict=True))
        kept += self._clears(person, current)
        if not kept:
            return None, tuple(found)
        fields = tuple(sorted(kept, key=lambda f: f.field))
        if change is None:
            return Change("update", identifier, name, fields, current.id, pair.adopted), tuple(
                found
            )
        return replace(change, fields=fields), tuple(found)

    def _edited(self, person: str, field: str, value: Value) -> bool:
        known = self.known(person, field)
        return known is not None and self.digests.value(person, field, value) not in known

    def _clears(self, person: str, current: Stakeholder) -> list[FieldChange]:
        record = self.record
        if record is None:
            return []
        flat = current.flat()
        return [
            FieldChange(
                field,
                flat.get(field),
                None,
                is_personal(record.derivations.get(field, "")),
                removed=True,
            )
            for field in self.removed
            if record.known(person, field) is not None and comparable(flat.get(field)) is not None
        ]

    def next_record(self, pairs: Sequence[Pair]) -> Record:
        """The record once this plan is applied: what the plan writes, what Ledgy holds
        in agreement with HR, and what a plan not yet applied may still find there."""
        carried = self._carried()
        people: dict[str, dict[str, Known]] = {}
        for pair in pairs:
            identifier = pair.outcome.identifier
            if not identifier:
                continue
            person = self.digests.person(identifier)
            slots = self._slots(person, pair)
            for field in carried:
                known = self._carried_known(person, field, pair.current)
                if known:
                    slots[field] = known
            people[person] = slots
        fields = dict(self.derivations)
        old = self.record.derivations if self.record is not None else {}
        held = {f for slots in people.values() for f in slots}
        fields |= {f: old[f] for f in carried if f in held}
        return Record(self.digests.check(), fields, people)

    def _carried(self) -> tuple[str, ...]:
        """Fields kept as recorded: managed, derived as before, but not compared this plan
        (an HR gap, a workbook column missing); or removed and still to clear."""
        record = self.record
        if record is None:
            return ()
        resting = {
            f
            for f, how in record.derivations.items()
            if f not in self.derivations and self.managed.get(f) == how
        }
        return tuple(sorted(resting | set(self.removed)))

    def _carried_known(self, person: str, field: str, current: Stakeholder | None) -> Known:
        record = self.record
        known = record.known(person, field) if record is not None else None
        if known is None:
            return ()
        if field in self.removed and (
            current is None or comparable(current.flat().get(field)) is None
        ):
            return ()  # cleared: the field leaves the record
        return known

    def _slots(self, person: str, pair: Pair) -> dict[str, Known]:
        desired = pair.outcome.values or {}
        current = pair.current.flat() if pair.current is not None else None
        unreadable = _unreadable(pair.current) if pair.current is not None else frozenset()
        digest = self.digests.value
        slots: dict[str, Known] = {}
        for field in self.derivations:
            if field not in desired or field in unreadable:
                # Nothing is written: HR gave no reliable value, or Ledgy's cannot be read.
                slot = self.known(person, field) or ()
            elif current is None:
                slot = (digest(person, field, desired[field]),)  # a create writes it
            else:
                slot = self._slot(person, field, desired[field], current.get(field))
            if slot:
                slots[field] = slot
        return slots

    def _slot(self, person: str, field: str, value: Value, held: Value) -> Known:
        digest = self.digests.value
        planned = digest(person, field, value)
        if held == value or comparable(held) == comparable(value):
            return (planned,)  # Ledgy agrees with HR
        there = digest(person, field, held)
        known = self.known(person, field)
        if known is None:
            return newest((planned, there))
        if there in known:
            return newest((planned, there), known)
        if self.policy(field) == "hr_wins":
            return newest((planned,), known)  # the edit is overwritten, never recorded
        return known  # ledgy_wins or review: the edit stays a conflict until settled


def _name(pair: Pair, identifier: str) -> str:
    values = pair.outcome.values or {}
    return str(values.get("name") or identifier)


def _unreadable(stakeholder: Stakeholder) -> frozenset[str]:
    return frozenset(
        p.removeprefix(UNREADABLE) for p in stakeholder.problems if p.startswith(UNREADABLE)
    )


_OTHER_KEY = (
    "it was made under another plan key, so its digests cannot be compared; set the same "
    "RECONCILER_PLAN_KEY for every run (or keep the key it is derived from)"
)


def _record_warning(code: str, recorded: Recorded, why: str) -> PlanWarning:
    return PlanWarning(
        None,
        code,
        f"{recorded.where}: the record of applied values is not used ({why}); edits made "
        "in Ledgy cannot be told from HR changes in this plan, so none is a conflict",
    )


def conflict_warnings(conflicts: Sequence[Conflict]) -> tuple[PlanWarning, ...]:
    """One warning per conflict held for review: it waits on the config."""
    return tuple(
        PlanWarning(
            c.identifier,
            "conflict_held",
            f"{c.field} was edited in Ledgy since it was last applied and differs from HR; "
            "held out of the plan until stakeholders.conflicts says hr_wins or ledgy_wins "
            "for it",
        )
        for c in conflicts
        if c.policy == "review"
    )

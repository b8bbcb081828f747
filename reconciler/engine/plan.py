"""The plan: a frozen value with sorted changes, counts and a checksum. Pure.

The checksum is the HMAC-SHA256, under the run's plan key, of the canonical JSON of
the changes (with their real values) and of the fingerprints of both inputs (what
the config made of the HR read, and the managed values of the Ledgy read) and of
the config. It does not depend on the order either system returned its records in.
Each change also has a keyed digest of its own, so a saved plan can tell later
which approved changes are still to do without holding any value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, cast

from reconciler.domain.gaps import Gap
from reconciler.domain.json import Json
from reconciler.domain.stakeholder import Value
from reconciler.engine.canonical import PlanKey, canonical_json, orjson_json
from reconciler.engine.pending import Awaiting
from reconciler.engine.values import Change, Conflict, FieldChange, Orphan, PlanWarning, Skip

if TYPE_CHECKING:  # the record's module compares values with the diff's (deepdiff)
    from reconciler.engine.record import Record, Recorded

MASK = "(masked)"
Shown = str | int | float | bool | None
"""A value as plan output shows it (dates as ISO text)."""
PLAN_VERSION = 1
CHECKSUM_PREFIX = "hmac-sha256:"
DIGEST_LENGTH = 32
"""Hex digits kept of a change's HMAC (128 bits): enough to tell changes apart."""


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Order-independent hashes of what the plan was computed from."""

    source: str
    target: str
    config: str


@dataclass(frozen=True, slots=True)
class Counts:
    """Sizes of both inputs, for the safety checks."""

    employees: int
    stakeholders: int
    identified: int
    """Ledgy stakeholders that carry an identifier."""


@dataclass(frozen=True)
class Plan:
    """Everything a reconcile would do, and everything it would not, with reasons."""

    changes: tuple[Change, ...]
    unchanged: int
    skipped: tuple[Skip, ...]
    warnings: tuple[PlanWarning, ...]
    orphaned: tuple[Orphan, ...]
    fingerprints: Fingerprints
    counts: Counts
    key: PlanKey = field(repr=False, compare=False)
    """The plan key of the run, which keys every hash (the shell always passes it)."""
    unread: tuple[Gap, ...] = ()
    """Managed fields no HR record gave anyone; this plan leaves them unchanged."""
    conflicts: tuple[Conflict, ...] = ()
    """Values edited in Ledgy since they were last applied, whatever their policy made of
    them (the ``hr_wins`` ones are also field changes, flagged)."""
    recorded: Recorded | None = field(default=None, repr=False, compare=False)
    """The record of applied values this plan was computed with."""
    applied: Callable[[], Record] | None = field(default=None, repr=False, compare=False)
    """Makes the record of applied values as it stands once this plan is applied (only
    when a saved plan file needs it)."""
    pending: tuple[Awaiting, ...] = ()
    """Prepared uploads not in Ledgy yet (workbook driver), oldest first: their people
    are awaiting upload, not in ``changes``."""
    text_of: Callable[[Change], str | None] | None = field(default=None, repr=False, compare=False)
    """Where each change's :func:`checksum_text` was written ahead
    (:mod:`reconciler.engine.memo`); used for the checksum only, ``None`` once it is made."""
    checksum: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=Change.sort_key)))
        object.__setattr__(self, "skipped", tuple(sorted(self.skipped, key=_skip_key)))
        object.__setattr__(self, "warnings", tuple(sorted(self.warnings, key=_warning_key)))
        object.__setattr__(self, "conflicts", tuple(sorted(self.conflicts, key=_conflict_key)))
        object.__setattr__(self, "checksum", self._checksum())
        # What was planned ahead is not needed once the checksum is made: let it go.
        object.__setattr__(self, "text_of", None)

    def _checksum(self) -> str:
        if self.text_of is not None:
            texts = [self.text_of(c) for c in self.changes]
            if all(text is not None for text in texts):
                # The canonical JSON of the body below, from texts written ahead: orjson
                # writes a list as its items' texts, and "changes" sorts before "inputs".
                inputs = canonical_json(asdict(self.fingerprints))
                body_text = '{"changes":[' + ",".join(cast(list[str], texts)) + "]"
                return CHECKSUM_PREFIX + self.key.digest(f'{body_text},"inputs":{inputs}}}')
        body = {
            "changes": [change_data(c, show_values=True) for c in self.changes],
            "inputs": asdict(self.fingerprints),
        }
        return CHECKSUM_PREFIX + self.key.digest(canonical_json(body))

    def digest_of(self, change: Change) -> str:
        """The keyed digest of one change (its real values included, none revealed)."""
        return self.key.digest(canonical_json(change_data(change, show_values=True)))[
            :DIGEST_LENGTH
        ]

    @cached_property
    def digests(self) -> tuple[str, ...]:
        """The keyed digest of each change, in plan order (computed once)."""
        return tuple(self.digest_of(c) for c in self.changes)

    @cached_property
    def record(self) -> Record | None:
        """The record of applied values once this plan is applied (made once, on demand)."""
        return self.applied() if self.applied is not None else None

    @property
    def creates(self) -> tuple[Change, ...]:
        """The stakeholders to create."""
        return tuple(c for c in self.changes if c.action == "create")

    @property
    def updates(self) -> tuple[Change, ...]:
        """The stakeholders to update."""
        return tuple(c for c in self.changes if c.action == "update")

    @property
    def has_changes(self) -> bool:
        """True when applying would write anything."""
        return bool(self.changes)

    @property
    def awaiting_upload(self) -> int:
        """People whose prepared upload Ledgy does not show yet."""
        return sum(a.people for a in self.pending)

    @property
    def in_step(self) -> bool:
        """Nothing to apply and no prepared upload open: Ledgy holds what HR says."""
        return not self.changes and not self.pending

    def summary(self) -> dict[str, int]:
        """Counts by kind, as the JSON summary and the comment's first line give them."""
        return {
            "create": len(self.creates),
            "update": len(self.updates),
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "orphaned": len(self.orphaned),
            "warnings": len(self.warnings),
            "awaiting_upload": self.awaiting_upload,
        }

    def to_dict(self, *, show_values: bool = False) -> Json:
        """The plan JSON of docs/plan.md; personal values masked unless ``show_values``."""
        return {
            "version": PLAN_VERSION,
            "checksum": self.checksum,
            "summary": self.summary(),
            "changes": [change_data(c, show_values=show_values) for c in self.changes],
            "skipped": [_skip_data(s) for s in self.skipped],
            "warnings": [_drop_none(asdict(w)) for w in self.warnings],
            "orphaned": [asdict(o) for o in self.orphaned],
            "unread": [gap.to_dict() for gap in self.unread],
            "conflicts": [conflict_data(c, show_values=show_values) for c in self.conflicts],
            "pending_uploads": [a.to_dict() for a in self.pending],
            "inputs": {**asdict(self.fingerprints), **asdict(self.counts)},
        }


def change_data(change: Change, *, show_values: bool) -> Json:
    """One change as JSON data."""
    data: Json = {
        "action": change.action,
        "identifier": change.identifier,
        "stakeholder_id": change.stakeholder_id,
        "name": change.name,
        "fields": {fc.field: _field_data(fc, show_values) for fc in change.fields},
    }
    if change.adopted:
        data["adopted"] = True
    if change.pinned:
        data["pinned"] = True
    if change.from_group is not None:
        data["adopted_from_group"] = change.from_group
    return data


def checksum_text(change: Change) -> str | None:
    """One change's canonical JSON as the checksum hashes it (its real values), as
    orjson writes it; ``None`` where only the standard library can."""
    return orjson_json(change_data(change, show_values=True))


def _field_data(change: FieldChange, show_values: bool) -> dict[str, Shown]:
    hide = change.personal and not show_values
    data = {"old": shown(change.old, hide), "new": shown(change.new, hide)}
    if hide:
        data["masked"] = True
    if change.conflict:
        data["conflict"] = True
    if change.removed:
        data["removed"] = True
    return data


def conflict_data(conflict: Conflict, *, show_values: bool) -> dict[str, Shown]:
    """One conflict as JSON data: who, which field, both values (masked when personal),
    the policy and what the plan does (``hr_value_planned``, ``ledgy_value_kept``, ``held``)."""
    hide = conflict.personal and not show_values
    data = {
        "identifier": conflict.identifier,
        "stakeholder_id": conflict.stakeholder_id,
        "name": conflict.name,
        "field": conflict.field,
        "ledgy": shown(conflict.ledgy, hide),
        "hr": shown(conflict.hr, hide),
        "policy": conflict.policy,
        "outcome": conflict.outcome,
    }
    if hide:
        data["masked"] = True
    return data


def shown(value: Value, hide: bool) -> Shown:
    """A value as output shows it: masked when personal, dates as ISO text."""
    if value is None:
        return None
    if hide:
        return MASK
    return value.isoformat() if isinstance(value, date) else value


def _skip_data(skip: Skip) -> dict[str, object]:
    return _drop_none(asdict(skip))


def _drop_none(data: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if v is not None}


_SKIP_ORDER = (
    "duplicate_identifier",
    "duplicate_in_ledgy",
    "suspect_match",
    "pinned_elsewhere",
    "ambiguous_name_match",
    "name_match_outside_groups",
    "name_match_not_adopted",
    "missing_identifier",
    "terminated",
    "sync_if",
)


def _skip_key(skip: Skip) -> tuple[int, str, str]:
    """The reasons a reviewer must act on first; the expected ones (sync_if) last."""
    rank = _SKIP_ORDER.index(skip.reason) if skip.reason in _SKIP_ORDER else len(_SKIP_ORDER)
    return (rank, (skip.identifier or "").casefold(), skip.employee_id)


def _conflict_key(conflict: Conflict) -> tuple[str, str, str]:
    return (conflict.identifier.casefold(), conflict.stakeholder_id, conflict.field)


def _warning_key(warning: PlanWarning) -> tuple[str, str, str]:
    return ((warning.identifier or "").casefold(), warning.code, warning.message)

"""The Ledgy side: one frozen :class:`Stakeholder` per natural person, whichever driver read it.

Both drivers (GraphQL API, bulk workbook) yield these values, so the engine never
knows which one ran. For diffing, a stakeholder flattens to plan field names:
``name``, ``email``, ``identifier``, ``birthdate``, ``nationality``,
``address.line1`` … ``address.country``, ``group``, ``custom_fields.<Name>`` and
``hris.<canonical field>`` (the hidden HR fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from reconciler.domain.pending import UploadRecord

Value = str | int | float | bool | date | None

ADDRESS_PARTS = ("line1", "line2", "postcode", "city", "country")
SCALARS = ("name", "email", "identifier", "birthdate", "nationality", "group")
CUSTOM = "custom_fields."
HRIS = "hris."
ADDRESS = "address."


def _frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted((mapping or {}).items())))


@dataclass(frozen=True, slots=True)
class Address:
    """A home address as Ledgy holds it; country is an ISO 3166 alpha-2 code."""

    line1: str | None = None
    line2: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Stakeholder:
    """A natural-person stakeholder; ``id`` is Ledgy's Stakeholder ID (``None`` before creation)."""

    name: str
    id: str | None = None
    email: str | None = None
    identifier: str | None = None
    birthdate: date | None = None
    nationality: str | None = None
    address: Address = field(default_factory=Address)
    group: str | None = None
    custom_fields: Mapping[str, str | None] = field(default_factory=_frozen)
    hris: Mapping[str, Value] = field(default_factory=_frozen)
    problems: tuple[str, ...] = ()
    """Fields Ledgy gave in a form that could not be read, as ``unreadable:<field>``
    (names only, never values); each becomes a plan warning and the field reads as empty."""
    _flat: dict[str, Value] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "custom_fields", _frozen(self.custom_fields))
        object.__setattr__(self, "hris", _frozen(self.hris))
        # Flattened once, as it is read (while other answers are awaited), not twice
        # per stakeholder while the plan is computed after the last page.
        object.__setattr__(self, "_flat", self._flatten())

    def flat(self) -> dict[str, Value]:
        """Every value by plan field name (empty custom and HR fields left out)."""
        return dict(self._flat)

    def _flatten(self) -> dict[str, Value]:
        values: dict[str, Value] = {name: getattr(self, name) for name in SCALARS}
        for part in ADDRESS_PARTS:
            values[ADDRESS + part] = getattr(self.address, part)
        values |= {CUSTOM + k: v for k, v in self.custom_fields.items() if v is not None}
        values |= {HRIS + k: v for k, v in self.hris.items() if v is not None}
        return values

    @classmethod
    def from_flat(
        cls, values: Mapping[str, Value], stakeholder_id: str | None = None
    ) -> Stakeholder:
        """Build a stakeholder from plan field names (the inverse of :meth:`flat`)."""
        address = Address(**{p: _text(values.get(ADDRESS + p)) for p in ADDRESS_PARTS})
        birthdate = values.get("birthdate")
        problems = tuple(
            f"unreadable:{key}"
            for key, value in values.items()
            if not isinstance(value, str | int | float | date | None)
        )
        if birthdate is not None and not isinstance(birthdate, date):
            problems += ("unreadable:birthdate",)
        return cls(
            id=stakeholder_id,
            name=_text(values.get("name")) or "",
            email=_text(values.get("email")),
            identifier=_text(values.get("identifier")),
            birthdate=birthdate if isinstance(birthdate, date) else None,
            nationality=_text(values.get("nationality")),
            address=address,
            group=_text(values.get("group")),
            custom_fields={
                k[len(CUSTOM) :]: _text(v) for k, v in values.items() if k.startswith(CUSTOM)
            },
            hris={k[len(HRIS) :]: v for k, v in values.items() if k.startswith(HRIS)},
            problems=problems,
        )

    def with_values(self, changes: Mapping[str, Value]) -> Stakeholder:
        """A copy with some plan fields set (``None`` clears one)."""
        return Stakeholder.from_flat({**self.flat(), **changes}, self.id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Stakeholder):
            return NotImplemented
        return (self.id, self._flat) == (other.id, other._flat)

    def __hash__(self) -> int:
        return hash((self.id, self.identifier, self.name))

    def __repr__(self) -> str:
        # Personal values stay out of reprs, so they stay out of logs and tracebacks.
        return f"Stakeholder(id={self.id!r}, identifier={self.identifier!r})"


@dataclass(frozen=True)
class TargetState:
    """What Ledgy holds now: the company, its stakeholders and custom field names."""

    company: str
    stakeholders: tuple[Stakeholder, ...]
    custom_fields: frozenset[str] = frozenset()
    unheld: frozenset[str] = frozenset()
    """Plan fields this target has no place for (a workbook export without their
    column): a plan neither changes nor clears them."""
    notes: tuple[tuple[str, str], ...] = ()
    """Plan-wide warnings from the read, as ``(code, message)``; names, never values."""
    pending: tuple[UploadRecord, ...] = ()
    """Uploads prepared for Ledgy and not known to be settled (workbook driver): part
    of the state, wherever the run happens (``domain.pending``)."""


def _text(value: Value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else as_text(value)


def as_text(value: Value) -> str | None:
    """The text form of a value, as a free-text custom field holds it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

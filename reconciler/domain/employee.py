"""The HR side, normalised: one frozen :class:`Employee` per CharlieHR team member."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from reconciler.domain.fields import FIELD_NAMES, RAW_PREFIX

Status = Literal["active", "pending", "inactive"]
Value = str | int | float | date | None

_EMPTY: Mapping[str, Any] = MappingProxyType({})
NOTHING_UNREAD: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Employee:
    """An employee in canonical fields (docs/config.md), plus the raw keys the config reads.

    ``problems`` holds codes (never values) for data that could not be normalised,
    such as ``unknown_country``; the engine turns them into plan warnings.
    """

    id: str
    work_email: str | None = None
    personal_email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country: str | None = None
    birthdate: date | None = None
    start_date: date | None = None
    termination_date: date | None = None
    employment_status: Status = "active"
    employment_type: str | None = None
    pay_rate: float | None = None
    pay_period: str | None = None
    pay_currency: str | None = None
    team: str | None = None
    office: str | None = None
    job_title: str | None = None
    manager: str | None = None
    manager_email: str | None = None
    mobile_phone: str | None = None
    gender: str | None = None
    entity: str | None = None
    """The employing entity: CharlieHR's legal entity when the account has one, else the
    office's name (:data:`reconciler.domain.fields.ENTITY_FALLBACK`)."""
    raw: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, repr=False)
    raw_keys: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """Names (never values) of every raw key the CharlieHR record carried: typo guards
    suggest from them."""
    problems: tuple[str, ...] = ()
    unread: Mapping[str, str] = field(
        default_factory=lambda: NOTHING_UNREAD, compare=False, repr=False
    )
    """Fields (canonical or ``raw.<key>``) the HR record did not give, each with why in
    words that hold key names and JSON types, never a value: the key was absent, or held
    a value of the wrong type. Absent is not empty: such a field is left unchanged in
    Ledgy, and a rule on it never matches."""

    def value(self, field_ref: str) -> Any:
        """Return a canonical field's value, or a raw key's for ``raw.<key>``.

        ``None`` for a field the record did not give (see ``unread``).
        """
        if self.unread and field_ref in self.unread:
            return None
        if field_ref.startswith(RAW_PREFIX):
            return self.raw.get(field_ref[len(RAW_PREFIX) :])
        if field_ref not in FIELD_NAMES:
            raise KeyError(field_ref)
        return getattr(self, field_ref)

    def __repr__(self) -> str:
        # Personal values stay out of reprs, so they stay out of logs and tracebacks.
        return f"Employee(id={self.id!r}, status={self.employment_status!r})"


def dated_status(start: date | None, end: date | None, today: date) -> Status | None:
    """The status an employee's dates give: a past end date means inactive, a future start
    pending (``None``: the dates say nothing). Dates win over the status text, for CharlieHR
    records and rule-test fixtures alike."""
    if end is not None and end < today:
        return "inactive"
    if start is not None and start > today:
        return "pending"
    return None

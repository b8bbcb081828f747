"""The sheet logic of the workbook driver, pure: cells as values, rows as stakeholders.

An export's rows, as :mod:`reconciler.targets.ledgy.workbook` reads them from the
file, become a :class:`Sheet` (the header row, then each row by its Stakeholder
ID), and each row a :class:`~reconciler.domain.stakeholder.Stakeholder`, every cell
typed by the role its column plays (a date, a number, text). Which columns hold
personal data is said here too. No file is read or written here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reconciler.domain.fields import CATALOGUE, is_personal
from reconciler.domain.stakeholder import ADDRESS, CUSTOM, HRIS, Stakeholder, Value
from reconciler.errors import TargetError
from reconciler.targets.ledgy.headers import STAKEHOLDER_ID, header_text
from reconciler.targets.ledgy.layout import Layout, key_header


def _is_date_role(role: str) -> bool:
    if role == "birthdate":
        return True
    return role.startswith(HRIS) and _kind(role) == "date"


def _kind(role: str) -> str:
    field = CATALOGUE.get(role[len(HRIS) :])
    return field.kind if field else "text"


def personal_role(role: str) -> bool:
    """Columns holding personal data: birthdate, nationality, address, unmapped custom
    fields (their content is unknown) and personal HR fields."""
    if role in ("birthdate", "nationality") or role.startswith((ADDRESS, CUSTOM)):
        return True
    return role.startswith(HRIS) and is_personal(role[len(HRIS) :])


def cell_value(role: str, raw: Any) -> Value:
    """A cell as the value the engine compares, typed by its role."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        raw = raw.date()
    if _is_date_role(role):
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            return str(raw).strip()
    if role.startswith(HRIS) and _kind(role) == "number":
        try:
            return float(raw)
        except (TypeError, ValueError):
            return str(raw).strip()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return " ".join(str(raw).split())


@dataclass(frozen=True)
class Sheet:
    """An export as read: its headers, and each stakeholder's raw row by id."""

    columns: tuple[str, ...]
    rows: dict[str, tuple[Any, ...]]


def parse_sheet(rows: list[tuple[Any, ...]], name: str, layout: Layout) -> Sheet:
    """The export's rows as a sheet: the header row (row 2), then each filled row by its
    Stakeholder ID; a row without one, or an ID twice, is refused."""
    columns = tuple(header_text(h) for h in rows[1])
    at = columns.index(key_header(layout))
    by_id: dict[str, tuple[Any, ...]] = {}
    for number, row in enumerate(rows[2:], start=3):
        if not filled(row):
            continue
        key = cell_value(STAKEHOLDER_ID, row[at] if at < len(row) else None)
        if not key:
            raise TargetError(f"{name}: row {number} has no Stakeholder ID")
        if str(key) in by_id:
            raise TargetError(f"{name}: Stakeholder ID {key} appears twice")
        by_id[str(key)] = tuple(row) + (None,) * (len(columns) - len(row))
    return Sheet(columns, by_id)


def stakeholder_of(
    columns: Sequence[str], row: Sequence[Any], roles: Mapping[str, str]
) -> Stakeholder:
    """One row as a stakeholder; columns without a role are not read."""
    values: dict[str, Value] = {}
    stakeholder_id = None
    for header, raw in zip(columns, row, strict=False):
        role = roles.get(header)
        if role == STAKEHOLDER_ID:
            stakeholder_id = cell_value(role, raw)
        elif role is not None:
            values[role] = cell_value(role, raw)
    return Stakeholder.from_flat(values, str(stakeholder_id))


def filled(row: Sequence[Any]) -> bool:
    """Whether a row holds anything (Ledgy's export may end in blank rows)."""
    return any(cell is not None and str(cell).strip() for cell in row)

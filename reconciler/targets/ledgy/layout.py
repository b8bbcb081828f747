"""Where each role lives in one export: its header row matched, and judged.

An export whose key, name, email or identifier column cannot be found is refused
with the headers it does have: read on, every person already in Ledgy would look
new and be created again. Two columns for one role are refused too. What is
merely unknown is said once, as a plan warning: columns that match nothing the
config manages (never written), and managed fields the export has no column for
(left alone by every plan: the workbook driver cannot hold them).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reconciler.domain.stakeholder import CUSTOM
from reconciler.errors import TargetError
from reconciler.targets.ledgy.headers import (
    COLUMNS,
    STAKEHOLDER_ID,
    ColumnMatch,
    header_text,
    match_columns,
)

COLUMNS_KEY = "ledgy.workbook.columns"
DOWNLOAD = "Stakeholders > Bulk Edit > Natural person > Download stakeholder file"
UNKNOWN_COLUMNS = "unknown_ledgy_columns"
UNHELD_FIELDS = "unheld_ledgy_fields"
SHOWN = 40
"""Most headers named in one message."""


@dataclass(frozen=True)
class Layout:
    """An export's columns by role, and the config's names for the ones it lacks."""

    match: ColumnMatch
    named: Mapping[str, str]

    def header(self, role: str) -> str | None:
        """The column a role is written under (``None``: this export cannot hold it).

        As the export spells it; else as the config names it (the admin knows Ledgy
        takes it); a custom field only when the export has its column.
        """
        if role.startswith(CUSTOM):
            name = role[len(CUSTOM) :]
            return name if name in self.match.custom else None
        return self.match.matched.get(role) or self.named.get(role)

    def roles(self) -> dict[str, str]:
        """Role by header, for reading rows; unknown columns have none."""
        found = {header: role for role, header in self.match.matched.items()}
        return found | {name: CUSTOM + name for name in self.match.custom}

    @property
    def unheld(self) -> frozenset[str]:
        """Roles with no column in the export and none named by the config."""
        return frozenset(c.role for c in COLUMNS if self.header(c.role) is None)

    def notes(self, managed: Collection[str] | None) -> tuple[tuple[str, str], ...]:
        """The plan warnings: unknown columns, managed fields without a column (once each)."""
        found: list[tuple[str, str]] = []
        unknown = self.match.unmatched
        if managed is not None and unknown:
            found.append((UNKNOWN_COLUMNS, _unknown_message(unknown)))
        unheld = sorted(r for r in self.unheld if managed is not None and r in managed)
        if unheld:
            found.append((UNHELD_FIELDS, _unheld_message(unheld)))
        return tuple(found)


def layout_of(
    rows: Sequence[Sequence[object]],
    named: Mapping[str, str],
    custom: Collection[str] | None,
    where: str,
    *,
    header_row: int = 2,
) -> Layout:
    """Match the header row (1-based ``header_row``) of an export's rows, or refuse it."""
    if len(rows) < header_row:
        raise TargetError(
            f"{where}: no header row (row {header_row})", remedy=f"download it again: {DOWNLOAD}"
        )
    match = match_columns(rows[header_row - 1], named, custom)
    if match.ambiguous:
        role, hits = next(iter(match.ambiguous.items()))
        raise TargetError(
            f"{where}: row {header_row} has {len(hits)} columns for {role} "
            f"({_quoted(hits)}); nothing was read",
            remedy=f'name the one to use in {COLUMNS_KEY}, e.g. {{{role}: "{hits[0]}"}}',
        )
    if match.missing_required:
        raise _missing(rows, match, named, where, header_row)
    return Layout(match, dict(named))


def _missing(
    rows: Sequence[Sequence[object]],
    match: ColumnMatch,
    named: Mapping[str, str],
    where: str,
    header_row: int,
) -> TargetError:
    missing = match.missing_required
    if header_row > 1 and not match_columns(rows[0], named).missing_required:
        return TargetError(
            f"{where}: the headers are in row 1, so this is not Ledgy's bulk-edit export "
            "(its row 1 holds Ledgy's instructions, row 2 the headers); nothing was read",
            remedy=f"download the export from Ledgy: {DOWNLOAD}",
        )
    asked = [f"'{named[r]}' (named in {COLUMNS_KEY})" for r in missing if r in named]
    note = f"; the config names {', '.join(asked)}, which it lacks" if asked else ""
    return TargetError(
        f"{where}: row {header_row} has no column for {', '.join(missing)}{note} "
        f"(headers found: {_found(rows[header_row - 1])}); nothing was read, so no one "
        "already in Ledgy is planned as new",
        remedy=f"download the natural persons' export ({DOWNLOAD}); if Ledgy spells the "
        f'column otherwise, name it in {COLUMNS_KEY}: {{{missing[0]}: "<header>"}}',
    )


def _found(row: Sequence[object]) -> str:
    """The header row for a message; cells that look like values are counted, not shown."""
    cells = [cell for cell in row if header_text(cell)]
    shown = [header_text(c) for c in cells if not _looks_like_value(c)]
    hidden = len(cells) - len(shown)
    text = _quoted(shown) if shown else "none"
    if hidden:
        text += f"; {hidden} cells that look like values, not shown"
    return text


def _looks_like_value(cell: object) -> bool:
    """A date, a number, an email address or mostly digits: data, not a header."""
    if isinstance(cell, date | int | float | Decimal):
        return True
    text = header_text(cell)
    digits = sum(ch.isdigit() for ch in text)
    return "@" in text or digits * 2 > len(text)


def _quoted(headers: Sequence[str]) -> str:
    shown = ", ".join(f"'{h}'" for h in headers[:SHOWN])
    more = len(headers) - SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _unknown_message(headers: Sequence[str]) -> str:
    count = len(headers)
    noun = "column" if count == 1 else "columns"
    return (
        f"the Ledgy export has {count} {noun} matching no field we know and no custom field "
        f"the config maps: {_quoted(headers)}; never read into the plan and never written "
        f"(if one holds a field the config manages, name it in {COLUMNS_KEY})"
    )


def _unheld_message(roles: Sequence[str]) -> str:
    one = len(roles) == 1
    them = "it" if one else "them"
    return (
        f"the Ledgy export has no column for {', '.join(roles)}, which the config manages: "
        f"the workbook driver cannot hold {them}, so no plan changes or clears {them} "
        f"(not managed under this driver); if Ledgy has {'such a column' if one else 'them'} "
        f'under another header, name {them} in {COLUMNS_KEY}, e.g. {{{roles[0]}: "<header>"}}'
    )


def key_header(layout: Layout) -> str:
    """The Stakeholder ID column as this export spells it."""
    return layout.match.matched[STAKEHOLDER_ID]

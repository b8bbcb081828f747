"""Column headers and layout of Ledgy's bulk Excel files, by role: the one table to edit.

Columns are *found*, never assumed. The real templates are downloaded from the
Ledgy app and no copy was found, so each role has the spelling we write when
nothing else says (``header``) and the other spellings we accept (``aliases``),
with where the spelling is confirmed (``source``; ``None``: a guess). Headers are
compared ignoring case, spacing and punctuation ("Stakeholder id", "stakeholder-ID"
and "Stakeholder ID" are one header). ``ledgy.workbook.columns`` in company.yaml
names the column for any role; a column it names wins over the table. Roles are
plan field names plus ``stakeholder_id``.

What the public sources say (and do not):

- Ledgy's help on bulk editing (https://help.ledgy.com/en/articles/20498) calls
  the key column "Stakeholder ID"; the older page
  (https://support.ledgy.com/editing-stakeholder-data) "Stakeholder id". The help
  on groups (https://help.ledgy.com/en/articles/20501) names the "Group" column.
- The document-templating variables (https://help.ledgy.com/en/articles/20589)
  name the stakeholder's fields: name, email, identifier, birthdate, nationality,
  address line1, line2, postcode and city. They confirm that the fields exist, not
  how a template spells their columns.
- Nothing shows Ledgy's files holding columns for HR data: the ``HR: …`` columns
  are ours. They are written only when the admin's export has them or the config
  names them.

Layout, and how sure we are of it:

- bulk-edit file (the export, and our updates): row 1 holds Ledgy's editing
  instructions and must stay; row 2 the headers; rows are matched by the
  Stakeholder ID column; unchanged cells must not be blank. Confirmed by Ledgy's
  help article on editing stakeholder data.
- import file (new stakeholders): Ledgy's help says to download the template,
  delete its example row, paste the data and upload. It does not mention an
  instructions row, so ours has none: the header row, then the data, headed as
  the export spells its columns. Not confirmed against a real template: if
  Ledgy's own template has an instructions row, set ``IMPORT_INSTRUCTIONS_ROW``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from reconciler.config.model import Config
from reconciler.domain.fields import FIELDS
from reconciler.domain.stakeholder import ADDRESS, CUSTOM, HRIS
from reconciler.engine.desired import field_sources

STAKEHOLDER_ID = "stakeholder_id"
BULK_EDIT_INSTRUCTIONS_ROW = True
"""Confirmed: the bulk-edit file's first row is Ledgy's instructions."""
IMPORT_INSTRUCTIONS_ROW = False
"""Not confirmed: Ledgy's help mentions only an example row to delete."""
SHEET_TITLE = "Natural persons"
"""Not confirmed: the sheet name of Ledgy's templates."""

H_EDIT = "https://help.ledgy.com/en/articles/20498 (and support.ledgy.com/editing-stakeholder-data)"
H_GROUPS = "https://help.ledgy.com/en/articles/20501"


@dataclass(frozen=True)
class Column:
    """One role's column: the spelling we write by default, the others we accept."""

    role: str
    header: str
    aliases: tuple[str, ...] = ()
    source: str | None = None
    """Where this spelling is confirmed; ``None``: our guess."""


def _hris_columns() -> tuple[Column, ...]:
    # Ours: no Ledgy file is known to hold HR data. "HR - Start date" is the same header.
    return tuple(Column(HRIS + f.name, f"HR: {f.title}") for f in FIELDS)


COLUMNS: tuple[Column, ...] = (
    Column(STAKEHOLDER_ID, "Stakeholder ID", ("Stakeholder id", "ID"), H_EDIT),
    Column("name", "Name", ("Full name", "Stakeholder name")),
    Column("email", "Email", ("E-mail", "Email address", "E-mail address")),
    Column("identifier", "Identifier", ("Stakeholder identifier", "HRIS identifier")),
    Column("birthdate", "Birthdate", ("Date of birth", "Birthday")),
    Column("nationality", "Nationality", ("Citizenship",)),
    Column(ADDRESS + "line1", "Address line 1", ("Address 1", "Street", "Street address")),
    Column(ADDRESS + "line2", "Address line 2", ("Address 2",)),
    Column(ADDRESS + "postcode", "ZIP code", ("ZIP", "Postcode", "Postal code")),
    Column(ADDRESS + "city", "City", ("Town",)),
    Column(ADDRESS + "country", "Country", ("Country of residence",)),
    Column("group", "Group", ("Stakeholder group",), H_GROUPS),
    *_hris_columns(),
)
"""Every role's column. Only "Stakeholder ID" and "Group" are confirmed spellings."""

DEFAULT_HEADERS: dict[str, str] = {c.role: c.header for c in COLUMNS}
"""The spelling we write for each role when neither the export nor the config gives one."""

REQUIRED: tuple[str, ...] = (STAKEHOLDER_ID, "name", "email", "identifier")
"""Roles an export must have: without them rows cannot be matched (the key), and
people already in Ledgy would look new (identifier, name, email)."""


def normal_header(text: str) -> str:
    """A header as compared: NFKC, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


_BY_SPELLING: dict[str, str] = {
    normal_header(spelling): column.role
    for column in COLUMNS
    for spelling in (column.header, *column.aliases)
}


def check_roles(named: Mapping[str, str]) -> None:
    """Raise ``KeyError`` naming the first role the table does not know."""
    unknown = [role for role in named if role not in DEFAULT_HEADERS]
    if unknown:
        raise KeyError(unknown[0])


def header_table(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Header by role: the defaults with the config's names (for writing exports in tests).

    Raises ``KeyError`` naming the first unknown role.
    """
    check_roles(overrides or {})
    return {**DEFAULT_HEADERS, **(overrides or {})}


@dataclass(frozen=True)
class ColumnMatch:
    """An export's header row against the table and the config: names only, no cell."""

    matched: dict[str, str] = field(default_factory=dict)
    """Role -> the header as the export spells it."""
    custom: tuple[str, ...] = ()
    """Headers that are custom fields the config maps into."""
    unmatched: tuple[str, ...] = ()
    """Headers matching no role and no custom field the config maps into."""
    missing: tuple[str, ...] = ()
    """Roles with no column in the export, in table order."""
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Role -> the two or more headers that each match it."""
    absent_named: dict[str, str] = field(default_factory=dict)
    """Role -> a header the config names that the export does not have."""

    @property
    def missing_required(self) -> tuple[str, ...]:
        """Required roles with no column (the config's names included)."""
        return tuple(role for role in REQUIRED if role not in self.matched)


def match_columns(
    headers: Sequence[object],
    named: Mapping[str, str] | None = None,
    custom: Collection[str] | None = None,
) -> ColumnMatch:
    """Find each role's column in a header row.

    ``named`` are the config's columns by role (they win over the table);
    ``custom`` the custom fields the config maps into (``None``: every header that
    is no role's is a custom field). Pure: it sees header names, never a cell.
    """
    named = dict(named or {})
    wanted = {normal_header(h): role for role, h in named.items()}
    found: dict[str, list[str]] = {}
    customs: list[str] = []
    unmatched: list[str] = []
    for cell in headers:
        header = header_text(cell)
        if not header:
            continue
        key = normal_header(header)
        role = wanted.get(key)
        if role is None and custom is not None and header in custom:
            customs.append(header)
            continue
        if role is None:
            role = _BY_SPELLING.get(key)
            if role in named:  # the config names another column for this role
                role = None
        if role is None:
            (customs if custom is None else unmatched).append(header)
        else:
            found.setdefault(role, []).append(header)
    matched = {role: hits[0] for role, hits in found.items() if len(hits) == 1}
    return ColumnMatch(
        matched=matched,
        custom=tuple(customs),
        unmatched=tuple(dict.fromkeys(unmatched)),
        missing=tuple(c.role for c in COLUMNS if c.role not in found),
        ambiguous={role: tuple(hits) for role, hits in found.items() if len(hits) > 1},
        absent_named={role: h for role, h in named.items() if role not in found},
    )


def header_text(cell: object) -> str:
    """A header cell as text, its spacing squeezed ("" for an empty cell)."""
    return " ".join(str(cell).split()) if cell is not None else ""


def mapped_custom_fields(managed: Collection[str]) -> frozenset[str]:
    """The custom field names among managed plan fields."""
    return frozenset(f[len(CUSTOM) :] for f in managed if f.startswith(CUSTOM))


def export_columns(header_row: Sequence[object], config: Config) -> ColumnMatch:
    """An export's header row against a config, for a first-contact report.

    The columns matched (role -> header as the export spells it), the headers that
    match nothing the config manages (``unmatched``), and the roles the config
    manages (with the Stakeholder ID) that have no column (``missing``). Header
    names only: no cell value is ever read. Roles the table does not know are
    left out (loading the driver reports them).
    """
    workbook = config.ledgy.workbook
    named = workbook.column_names if workbook is not None else {}
    named = {role: header for role, header in named.items() if role in DEFAULT_HEADERS}
    managed = set(field_sources(config.stakeholders))
    found = match_columns(header_row, named, mapped_custom_fields(managed))
    wanted = [r for r in found.missing if r in managed or r in REQUIRED]
    return replace(found, missing=tuple(wanted))

"""Column headers and layout of Ledgy's bulk Excel files, by role: the one table to edit.

The real templates are downloaded from the Ledgy app and no copy was found; Ledgy's
help names only "Stakeholder ID" and "Group". Every other header here is our best
guess; ``ledgy.workbook.headers`` in company.yaml overrides any of them by role.
Roles are plan field names plus ``stakeholder_id``. A column whose header is not
in the table is a custom field.

Layout, and how sure we are of it:

- bulk-edit file (the export, and our updates): row 1 holds Ledgy's editing
  instructions and must stay; row 2 the headers; rows are matched by
  "Stakeholder ID"; unchanged cells must not be blank. Confirmed by Ledgy's help
  article on editing stakeholder data.
- import file (new stakeholders): Ledgy's help says to download the template,
  delete its example row, paste the data and upload. It does not mention an
  instructions row, so ours has none: the header row, then the data. Not
  confirmed against a real template: if Ledgy's own template has an
  instructions row, set ``IMPORT_INSTRUCTIONS_ROW`` to True.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.domain.fields import FIELDS
from reconciler.domain.stakeholder import ADDRESS, HRIS

STAKEHOLDER_ID = "stakeholder_id"
BULK_EDIT_INSTRUCTIONS_ROW = True
"""Confirmed: the bulk-edit file's first row is Ledgy's instructions."""
IMPORT_INSTRUCTIONS_ROW = False
"""Not confirmed: Ledgy's help mentions only an example row to delete."""
SHEET_TITLE = "Natural persons"
"""Not confirmed: the sheet name of Ledgy's templates."""

DEFAULT_HEADERS: dict[str, str] = {
    STAKEHOLDER_ID: "Stakeholder ID",  # confirmed: [H-EDIT]
    "name": "Name",
    "email": "Email",
    "identifier": "Identifier",
    "birthdate": "Birthdate",
    "nationality": "Nationality",
    ADDRESS + "line1": "Address line 1",
    ADDRESS + "line2": "Address line 2",
    ADDRESS + "postcode": "ZIP code",
    ADDRESS + "city": "City",
    ADDRESS + "country": "Country",
    "group": "Group",  # confirmed: [H-GRP]
    **{HRIS + f.name: f"HR: {f.title}" for f in FIELDS},
}


def header_table(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Header by role: the defaults with the config's overrides.

    Raises ``KeyError`` naming the first unknown role.
    """
    unknown = [role for role in overrides or {} if role not in DEFAULT_HEADERS]
    if unknown:
        raise KeyError(unknown[0])
    return {**DEFAULT_HEADERS, **(overrides or {})}

"""Column headers of Ledgy's bulk Excel files, by role: the one table to override.

The real templates are downloaded from the Ledgy app and no copy was found
(only "Stakeholder ID" and "Group" are named in Ledgy's help). Every other
header here is our best guess; ``ledgy.workbook.headers``
in company.yaml overrides any of them by role. Roles are plan field names plus
``stakeholder_id``. A column whose header is not in the table is a custom field.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.fields import FIELDS
from reconciler.stakeholder import ADDRESS, HRIS

STAKEHOLDER_ID = "stakeholder_id"

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

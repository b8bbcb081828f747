"""The header table and matching: spellings found whatever their case, spacing or
punctuation; the config's names win; header names only, never a cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.load import load_config
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.targets.ledgy.export_file import ExportFile
from reconciler.targets.ledgy.headers import (
    COLUMNS,
    DEFAULT_HEADERS,
    REQUIRED,
    export_columns,
    match_columns,
    normal_header,
)
from reconciler.targets.ledgy.workbook import export_workbook, header_row


def test_no_two_roles_share_a_spelling() -> None:
    roles: dict[str, set[str]] = {}
    for column in COLUMNS:
        for spelling in (column.header, *column.aliases):
            roles.setdefault(normal_header(spelling), set()).add(column.role)
    assert {k: v for k, v in roles.items() if len(v) > 1} == {}


def test_only_the_spellings_ledgy_publishes_are_marked_confirmed() -> None:
    confirmed = {c.role: c.header for c in COLUMNS if c.source}
    assert confirmed == {"stakeholder_id": "Stakeholder ID", "group": "Group"}
    key = next(c for c in COLUMNS if c.role == "stakeholder_id")
    assert "Stakeholder id" in key.aliases  # Ledgy's older help page


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Stakeholder id", "stakeholder_id"),
        ("stakeholder-ID", "stakeholder_id"),
        ("ID", "stakeholder_id"),
        ("Full name", "name"),
        ("E-mail", "email"),
        ("Email address", "email"),
        ("Date of birth", "birthdate"),
        ("Address 1", "address.line1"),
        ("Street", "address.line1"),
        ("Post code", "address.postcode"),
        ("Postal code", "address.postcode"),
        ("ZIP", "address.postcode"),
        ("  group ", "group"),
        ("HR - start date", "hris.start_date"),
    ],
)
def test_a_spelling_is_found_whatever_its_case_spacing_or_punctuation(
    header: str, role: str
) -> None:
    assert match_columns([header]).matched == {role: " ".join(header.split())}


def test_a_column_the_config_names_wins_and_the_table_spelling_is_then_unknown() -> None:
    found = match_columns(["Key", "Stakeholder ID", "Name"], {"stakeholder_id": "key"}, ())
    assert found.matched["stakeholder_id"] == "Key"
    assert found.unmatched == ("Stakeholder ID",)


def test_two_columns_for_one_role_are_ambiguous() -> None:
    found = match_columns(["Email", "E-mail", "Name"])
    assert found.ambiguous == {"email": ("Email", "E-mail")}
    assert "email" not in found.matched


def test_custom_fields_the_config_maps_are_not_unknown_and_others_are() -> None:
    found = match_columns(["Stakeholder ID", "Office", "Notes", None, ""], custom={"Office"})
    assert (found.custom, found.unmatched) == (("Office",), ("Notes",))
    legacy = match_columns(["Stakeholder ID", "Office", "Notes"])  # custom=None: all custom
    assert (legacy.custom, legacy.unmatched) == (("Office", "Notes"), ())


def test_missing_lists_the_roles_without_a_column() -> None:
    found = match_columns(["Stakeholder id", "Full name", "E-mail"])
    assert found.missing_required == ("identifier",)
    assert "hris.start_date" in found.missing and "name" not in found.missing


def test_the_required_roles_are_the_key_and_who_a_person_is() -> None:
    assert REQUIRED == ("stakeholder_id", "name", "email", "identifier")


CONFIG = """version: 1
hris: {provider: charliehr, client_id: env/ID, client_secret: env/SECRET}
ledgy:
  company: Acme Ltd
  driver: workbook
  workbook:
    export: export.xlsx
    columns: {identifier: Employee number, nosuch.role: X}
stakeholders:
  custom_fields: [{from: office, to: Office}]
"""


def test_export_columns_reports_what_a_config_finds_in_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "company.yaml"
    path.write_text(CONFIG)
    config = load_config(path).config
    row = ["Stakeholder id", "Full name", "E-mail", "Employee number", "Office", "Notes", "City"]
    found = export_columns(row, config)
    assert found.matched == {
        "stakeholder_id": "Stakeholder id",
        "name": "Full name",
        "email": "E-mail",
        "identifier": "Employee number",
        "address.city": "City",
    }
    assert (found.custom, found.unmatched) == (("Office",), ("Notes",))
    assert "hris.start_date" in found.missing  # a default HR field the config manages
    assert "hris.gender" not in found.missing  # not managed: not missing
    assert "nosuch.role" not in found.matched


def test_the_default_spellings_are_the_table_headers() -> None:
    assert DEFAULT_HEADERS["stakeholder_id"] == "Stakeholder ID"
    assert DEFAULT_HEADERS["hris.start_date"] == "HR: Start date"


def test_the_header_row_of_an_export_is_read_without_its_rows(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    ada = Stakeholder(id="sh_000001", name="Ada Lovelace", identifier="ada@acme.test")
    export_workbook(TargetState("Acme Ltd", (ada,), frozenset({"Office"})), export)
    heads = header_row(ExportFile(export, False, {}))
    assert heads[:3] == ("Stakeholder ID", "Name", "Email") and "Office" in heads
    assert "Ada Lovelace" not in heads

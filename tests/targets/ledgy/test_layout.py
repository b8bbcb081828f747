"""Columns found, not assumed: an export Ledgy spells otherwise reads the same; one
without its key, name, email or identifier column is refused naming the headers it
has; unknown columns and managed fields without a column are said once."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from reconciler.domain.stakeholder import Stakeholder, Value
from reconciler.domain.writes import Write
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import TargetError
from reconciler.targets.ledgy.layout import UNHELD_FIELDS, UNKNOWN_COLUMNS, layout_of
from reconciler.targets.ledgy.workbook import BULK_EDIT_FILE, IMPORT_FILE, WorkbookTarget

pytestmark = pytest.mark.anyio

ALIASED = ["Stakeholder id", "Full name", "E-mail", "Identifier", "Date of birth", "Group"]
ADA = ["sh_000001", "Ada Lovelace", "ada@acme.test", "ada@acme.test", date(1990, 12, 10), "Staff"]
MANAGED = frozenset({"name", "email", "identifier", "birthdate", "group", "hris.start_date"})


def _export(tmp_path: Path, heads: list[Any], *rows: list[Any], instructions: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if instructions:
        sheet.append(["Edit stakeholder data below."])
    sheet.append(heads)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


def _target(tmp_path: Path, export: Path, columns: dict[str, str] | None = None) -> WorkbookTarget:
    return WorkbookTarget(
        export, tmp_path / "out", "Acme Ltd", columns, managed=MANAGED, environ={}, key=SANDBOX_KEY
    )


async def test_an_export_spelled_otherwise_reads_the_same_stakeholders(tmp_path: Path) -> None:
    state = await _target(tmp_path, _export(tmp_path, ALIASED, ADA)).read()
    (ada,) = state.stakeholders
    assert ada == Stakeholder(
        id="sh_000001",
        name="Ada Lovelace",
        email="ada@acme.test",
        identifier="ada@acme.test",
        birthdate=date(1990, 12, 10),
        group="Staff",
    )


@pytest.mark.parametrize("role", ["Stakeholder id", "Full name", "E-mail", "Identifier"])
async def test_an_export_without_a_required_column_is_refused_naming_its_headers(
    tmp_path: Path, role: str
) -> None:
    heads = [h for h in ALIASED if h != role]
    export = _export(tmp_path, heads, [c for h, c in zip(ALIASED, ADA, strict=True) if h != role])
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, export).read()
    message, remedy = caught.value.message, caught.value.remedy or ""
    assert "row 2 has no column for" in message
    assert f"headers found: {', '.join(repr(h) for h in heads)}" in message
    assert "nothing was read" in message
    assert "ledgy.workbook.columns" in remedy and '"<header>"}' in remedy
    assert "Ada" not in message + remedy  # names of columns, never a value


async def test_the_missing_key_column_is_named_in_the_remedy(tmp_path: Path) -> None:
    export = _export(tmp_path, ALIASED[1:], ADA[1:])
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, export).read()
    assert "no column for stakeholder_id" in caught.value.message
    assert 'ledgy.workbook.columns: {stakeholder_id: "<header>"}' in (caught.value.remedy or "")


async def test_a_column_the_config_names_finds_what_matching_cannot(tmp_path: Path) -> None:
    heads = ["Key", *ALIASED[1:]]
    state = await _target(tmp_path, _export(tmp_path, heads, ADA), {"stakeholder_id": "Key"}).read()
    assert [s.id for s in state.stakeholders] == ["sh_000001"]


async def test_a_named_column_the_export_lacks_is_said_so(tmp_path: Path) -> None:
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, _export(tmp_path, ALIASED, ADA), {"name": "Legal name"}).read()
    assert "the config names 'Legal name' (named in ledgy.workbook.columns)" in (
        caught.value.message
    )


async def test_two_columns_for_one_role_are_refused(tmp_path: Path) -> None:
    export = _export(tmp_path, [*ALIASED, "Email"], [*ADA, "ada@acme.test"])
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, export).read()
    assert "row 2 has 2 columns for email ('E-mail', 'Email')" in caught.value.message
    assert 'ledgy.workbook.columns, e.g. {email: "E-mail"}' in (caught.value.remedy or "")


async def test_a_header_row_of_values_is_counted_not_shown(tmp_path: Path) -> None:
    # A file without the instructions row: row 2 is a person, not the headers.
    bo = ["sh_000002", "Bo Diddley", "bo@acme.test", "bo@acme.test", date(1980, 1, 1), "Staff"]
    export = _export(tmp_path, ALIASED, ADA, bo, instructions=False)
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, export).read()
    message = caught.value.message
    assert "the headers are in row 1" in message
    assert "Ada" not in message and "ada@" not in message


def test_cells_that_look_like_values_are_not_shown() -> None:
    rows: list[list[object]] = [
        ["x"],
        ["Reference", "ada@acme.test", date(1990, 1, 1), 52000, "GB 123 45", "Group"],
    ]
    with pytest.raises(TargetError) as caught:
        layout_of(rows, {}, None, "export.xlsx")
    message = caught.value.message
    assert "headers found: 'Reference', 'Group'; 4 cells that look like values" in message
    assert "ada@" not in message and "52000" not in message


async def test_unknown_columns_are_one_warning_with_names_only(tmp_path: Path) -> None:
    heads = [*ALIASED, "Notes", "Tax number", "HR: Start date"]
    export = _export(tmp_path, heads, [*ADA, "prefers tea", "TX-99", date(2020, 1, 1)])
    state = await _target(tmp_path, export).read()
    unknown = [message for code, message in state.notes if code == UNKNOWN_COLUMNS]
    assert unknown == [
        "the Ledgy export has 2 columns matching no field we know and no custom field the "
        "config maps: 'Notes', 'Tax number'; never read into the plan and never written (if "
        "one holds a field the config manages, name it in ledgy.workbook.columns)"
    ]
    (ada,) = state.stakeholders
    assert "tea" not in str(state.notes) and "TX-99" not in str(ada.flat())


async def test_managed_fields_without_a_column_are_unheld_and_said_once(tmp_path: Path) -> None:
    state = await _target(tmp_path, _export(tmp_path, ALIASED, ADA)).read()
    assert {"hris.start_date", "address.city"} <= state.unheld
    assert "group" not in state.unheld and "name" not in state.unheld
    (note,) = [message for code, message in state.notes if code == UNHELD_FIELDS]
    assert note.startswith("the Ledgy export has no column for hris.start_date, which the ")
    assert "not managed under this driver" in note
    assert '{hris.start_date: "<header>"}' in note


async def test_a_column_the_config_names_is_held_even_before_the_export_has_it(
    tmp_path: Path,
) -> None:
    named = {"hris.start_date": "Start date"}
    state = await _target(tmp_path, _export(tmp_path, ALIASED, ADA), named).read()
    assert "hris.start_date" not in state.unheld
    assert not [code for code, _ in state.notes if code == UNHELD_FIELDS]


def _heads(path: Path) -> tuple[object, ...]:
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    return rows[1] if rows[0] and len([c for c in rows[0] if c]) == 1 else rows[0]


async def test_the_files_hold_only_the_exports_columns_spelled_its_way(tmp_path: Path) -> None:
    heads = [*ALIASED, "Notes", "Office"]
    export = _export(tmp_path, heads, [*ADA, "prefers tea", "London"])
    target = WorkbookTarget(
        export,
        tmp_path / "out",
        "Acme Ltd",
        managed=MANAGED | {"custom_fields.Office", "address.city"},
        environ={},
        key=SANDBOX_KEY,
    )
    await target.read()
    values: dict[str, Value] = {
        "name": "Lise Meitner",
        "email": "lise@acme.test",
        "identifier": "lise@acme.test",
        "group": "Staff",
        "address.city": "Berlin",  # no column in this export
        "hris.start_date": date(2026, 1, 1),  # nor this: no HR: … column is invented
        "custom_fields.Office": "Berlin",
    }
    lise = Write("create", "lise@acme.test", values)
    ada = Write(
        "update", "ada@acme.test", {"group": "Alumni", "hris.start_date": None}, "sh_000001"
    )
    await target.apply([lise, ada])
    (folder,) = (tmp_path / "out").iterdir()
    assert _heads(folder / IMPORT_FILE) == ("Full name", "E-mail", "Identifier", "Group", "Office")
    bulk = list(load_workbook(folder / BULK_EDIT_FILE).worksheets[0].iter_rows(values_only=True))
    assert bulk[1] == (*ALIASED, "Office")  # "Notes" matches nothing: never written
    assert bulk[2] == ("sh_000001", *ADA[1:4], datetime(1990, 12, 10), "Alumni", "London")

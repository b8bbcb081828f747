"""The workbook driver: real .xlsx files written and read with openpyxl."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from reconciler.errors import TargetError
from reconciler.stakeholder import Address, Stakeholder, TargetState, Value
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS, header_table
from reconciler.targets.ledgy.workbook import (
    BULK_EDIT_FILE,
    IMPORT_FILE,
    WorkbookTarget,
    export_workbook,
)
from reconciler.writes import Write

pytestmark = pytest.mark.anyio

ADA = Stakeholder(
    id="sh_000001",
    name="Ada Lovelace",
    email="ada@acme.test",
    identifier="ada@acme.test",
    birthdate=date(1990, 12, 10),
    address=Address("1 Road", None, "N1 1AA", "London", "GB"),
    group="Employees",
    custom_fields={"Office": "London HQ"},
    hris={"start_date": date(2022, 9, 5), "pay_rate": 52000.0, "employment_status": "active"},
)
MAX = Stakeholder(id="sh_000002", name="Max Born", email=None, identifier=None, group="Founders")


def _target(tmp_path: Path, export: Path, headers: dict[str, str] | None = None) -> WorkbookTarget:
    return WorkbookTarget(export, tmp_path / "out", "Acme Ltd", headers or DEFAULT_HEADERS)


async def test_an_export_reads_into_the_same_stakeholders(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    state = TargetState("Acme Ltd", (ADA, MAX), frozenset({"Office", "Cost centre"}))
    export_workbook(state, export, DEFAULT_HEADERS)
    read = await _target(tmp_path, export).read()
    assert read == state


async def test_the_export_has_instructions_then_headers_and_real_dates(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export_workbook(TargetState("Acme Ltd", (ADA,), frozenset({"Office"})), export, DEFAULT_HEADERS)
    sheet = load_workbook(export).worksheets[0]
    assert "Stakeholder ID" in str(sheet["A1"].value)
    assert sheet["A2"].value == "Stakeholder ID" and sheet["A3"].value == "sh_000001"
    birth = next(c for c in sheet[3] if isinstance(c.value, datetime))
    assert birth.is_date and isinstance(birth.value, datetime)
    assert birth.value.date() == date(1990, 12, 10)


async def test_applying_writes_an_import_file_and_a_bulk_edit_file(tmp_path: Path) -> None:
    target = _target(tmp_path, tmp_path / "unused.xlsx")
    create = Write(
        "create",
        "lise@acme.test",
        {
            "name": "Lise Meitner",
            "identifier": "lise@acme.test",
            "hris.start_date": date(2026, 12, 1),
            "custom_fields.Office": "Berlin",
        },
    )
    update = Write(
        "update",
        "ada@acme.test",
        {"group": "Alumni", "hris.termination_date": date(2026, 6, 30)},
        "sh_000001",
    )
    other = Write("update", "max@acme.test", {"address.city": "Paris"}, "sh_000002")
    results = await target.apply([create, update, other])
    assert [r.ok for r in results] == [True, True, True]

    imported = load_workbook(tmp_path / "out" / IMPORT_FILE).worksheets[0]
    rows = list(imported.iter_rows(values_only=True))
    assert rows[1] == ("Identifier", "Name", "Office", "HR: Start date")
    assert rows[2][:3] == ("lise@acme.test", "Lise Meitner", "Berlin")
    start = imported.cell(3, 4)
    assert isinstance(start, Cell) and start.is_date and rows[2][3] == datetime(2026, 12, 1)

    bulk = load_workbook(tmp_path / "out" / BULK_EDIT_FILE).worksheets[0]
    rows = list(bulk.iter_rows(values_only=True))
    assert rows[1] == ("Stakeholder ID", "City", "Group", "HR: Termination date")
    assert rows[2] == ("sh_000001", None, "Alumni", datetime(2026, 6, 30))  # only changed cells
    assert rows[3] == ("sh_000002", "Paris", None, None)


async def test_a_written_bulk_edit_file_reads_back_into_the_same_values(tmp_path: Path) -> None:
    target = _target(tmp_path, tmp_path / "out" / BULK_EDIT_FILE)
    values: dict[str, Value] = {
        "group": "Alumni",
        "hris.termination_date": date(2026, 6, 30),
        "hris.pay_rate": 61000.5,
        "custom_fields.Office": "Paris",
        "birthdate": date(1991, 4, 17),
    }
    await target.apply([Write("update", "ada@acme.test", values, "sh_000001")])
    (read,) = (await target.read()).stakeholders
    assert read.id == "sh_000001"
    assert {k: read.flat()[k] for k in values} == values


async def test_clearing_a_cell_cannot_be_expressed_and_is_reported(tmp_path: Path) -> None:
    target = _target(tmp_path, tmp_path / "x.xlsx")
    (result,) = await target.apply(
        [Write("update", "a@acme.test", {"group": "X", "address.line2": None}, "sh_1")]
    )
    assert not result.ok and "clear it by hand" in (result.error or "")


async def test_overridden_headers_are_used_both_ways(tmp_path: Path) -> None:
    headers = header_table({"stakeholder_id": "ID", "group": "Stakeholder group"})
    export = tmp_path / "export.xlsx"
    export_workbook(TargetState("Acme Ltd", (MAX,)), export, headers)
    assert load_workbook(export).worksheets[0]["A2"].value == "ID"
    assert (await _target(tmp_path, export, headers).read()).stakeholders == (MAX,)


def test_an_unknown_header_role_is_refused() -> None:
    with pytest.raises(KeyError, match=r"adress\.city"):
        header_table({"adress.city": "Town"})


async def test_a_missing_export_says_where_to_download_it(tmp_path: Path) -> None:
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, tmp_path / "missing.xlsx").read()
    assert "no such file" in caught.value.message
    assert "Bulk Edit > Natural person" in (caught.value.remedy or "")


async def test_an_export_without_the_id_column_is_refused(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export_workbook(
        TargetState("Acme Ltd", (MAX,)), export, header_table({"stakeholder_id": "Key"})
    )
    with pytest.raises(TargetError, match="row 2 has no 'Stakeholder ID' column"):
        await _target(tmp_path, export).read()


async def test_a_repeated_stakeholder_id_is_refused(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export_workbook(TargetState("Acme Ltd", (MAX, MAX)), export, DEFAULT_HEADERS)
    with pytest.raises(TargetError, match="Stakeholder ID sh_000002 appears twice"):
        await _target(tmp_path, export).read()


async def test_a_text_file_is_not_a_workbook(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export.write_text("name,email\n")
    with pytest.raises(TargetError, match=r"not an \.xlsx workbook"):
        await _target(tmp_path, export).read()

"""The workbook driver: real .xlsx files written and read with openpyxl."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from reconciler.config.load import load_config
from reconciler.domain.pending import UploadRecord, parse_records
from reconciler.domain.stakeholder import Address, Stakeholder, TargetState
from reconciler.domain.writes import Write
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import TargetError
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS, header_table
from reconciler.targets.ledgy.pending_store import FileStore, MemoryStore
from reconciler.targets.ledgy.workbook import (
    BULK_EDIT_FILE,
    IMPORT_FILE,
    WorkbookTarget,
    export_workbook,
    workbook_target,
)

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


def _target(
    tmp_path: Path,
    export: Path,
    columns: dict[str, str] | None = None,
    managed: frozenset[str] | None = None,
) -> WorkbookTarget:
    # environ={}: a developer's machine, also when the suite itself runs in CI
    return WorkbookTarget(
        export, tmp_path / "out", "Acme Ltd", columns, managed=managed, environ={}, key=SANDBOX_KEY
    )


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


def _export(tmp_path: Path, *people: Stakeholder) -> Path:
    export = tmp_path / "export.xlsx"
    custom = frozenset({"Office", "Cost centre"})
    export_workbook(TargetState("Acme Ltd", people, custom), export, DEFAULT_HEADERS)
    return export


LISE = Write(
    "create",
    "lise@acme.test",
    {
        "name": "Lise Meitner",
        "identifier": "lise@acme.test",
        "hris.start_date": date(2026, 12, 1),
        "custom_fields.Office": "Berlin",
    },
)
ADA_LEAVES = Write(
    "update",
    "ada@acme.test",
    {"group": "Alumni", "hris.termination_date": date(2026, 6, 30)},
    "sh_000001",
)


def _sheet_rows(content: bytes) -> list[tuple[object, ...]]:
    return list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))


async def test_applying_prepares_a_new_folder_named_after_the_plan(tmp_path: Path) -> None:
    target = _target(tmp_path, _export(tmp_path, ADA, MAX))
    await target.read()
    target.label_upload("sha256:08f2ab12cd34ffff")
    results = await target.apply([LISE, ADA_LEAVES])
    assert [r.ok for r in results] == [True, True]
    folder = tmp_path / "out" / "08f2ab12cd34"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [IMPORT_FILE, BULK_EDIT_FILE, "README.txt", "manifest.json"]
    )
    assert target.prepared is not None and target.prepared.where == folder
    lines = target.prepared.lines()
    assert lines[0].startswith("Prepared 1 creates and 1 updates for upload")
    assert not any("Applied" in line for line in lines)
    readme = (folder / "README.txt").read_text()
    assert "Stakeholders > Import" in readme and "Import now" in readme
    assert "Stakeholders > Bulk Edit > Natural person" in readme
    manifest = (folder / "manifest.json").read_text()  # the folder's record: who, no values
    assert "lise@acme.test" in manifest and "Berlin" not in manifest


async def test_the_import_file_is_a_header_row_then_the_new_people(tmp_path: Path) -> None:
    target = _target(tmp_path, _export(tmp_path, ADA))
    await target.read()
    await target.apply([LISE])
    (folder,) = (tmp_path / "out").iterdir()
    book = load_workbook(folder / IMPORT_FILE)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Name", "Identifier", "Office", "HR: Start date")  # the export's order
    assert rows[1][:3] == ("Lise Meitner", "lise@acme.test", "Berlin")
    start = book.worksheets[0].cell(2, 4)
    assert isinstance(start, Cell) and start.is_date and rows[1][3] == datetime(2026, 12, 1)


async def test_every_bulk_edit_row_is_the_export_row_except_the_changed_cells(
    tmp_path: Path,
) -> None:
    export = _export(tmp_path, ADA, MAX)
    target = _target(tmp_path, export)
    await target.read()
    max_moves = Write("update", "max", {"address.city": "Paris", "group": None}, "sh_000002")
    await target.apply([ADA_LEAVES, max_moves])
    (folder,) = (tmp_path / "out").iterdir()
    exported = _sheet_rows(export.read_bytes())
    bulk = _sheet_rows((folder / BULK_EDIT_FILE).read_bytes())
    assert bulk[0][0] == exported[0][0]  # Ledgy's instructions row stays
    heads = list(bulk[1])
    assert heads == list(exported[1])
    before = {row[0]: dict(zip(exported[1], row, strict=True)) for row in exported[2:]}
    changed: dict[str, dict[object, object]] = {
        "sh_000001": {"Group": "Alumni", "HR: Termination date": datetime(2026, 6, 30)},
        "sh_000002": {"City": "Paris", "Group": None},
    }
    for row in bulk[2:]:
        after = dict(zip(heads, row, strict=True))
        expected = before[row[0]] | changed[str(row[0])]
        assert {k: v for k, v in after.items() if v is not None} == {
            k: v for k, v in expected.items() if v is not None
        }


async def test_personal_columns_the_config_does_not_manage_stay_out_of_the_files(
    tmp_path: Path,
) -> None:
    managed = frozenset({"name", "identifier", "email", "group", "hris.termination_date"})
    target = _target(tmp_path, _export(tmp_path, ADA), managed=managed)
    await target.read()
    await target.apply([ADA_LEAVES])
    (folder,) = (tmp_path / "out").iterdir()
    heads = _sheet_rows((folder / BULK_EDIT_FILE).read_bytes())[1]
    assert "Birthdate" not in heads and "City" not in heads and "HR: Pay rate" not in heads
    assert "Office" not in heads  # an unmapped custom field may hold anything
    assert "HR: Start date" in heads  # not personal: kept as exported
    values = str(_sheet_rows((folder / BULK_EDIT_FILE).read_bytes()))
    assert "52000" not in values and "N1 1AA" not in values


async def test_apply_keeps_a_record_first_and_every_later_read_sees_it(tmp_path: Path) -> None:
    export = _export(tmp_path, ADA, MAX)
    store = FileStore(tmp_path / "company.pending.json", read_remote=False)
    first = WorkbookTarget(
        export, tmp_path / "out", "Acme Ltd", environ={}, store=store, key=SANDBOX_KEY
    )
    first.clock = lambda: datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
    await first.read()
    first.label_upload("sha256:aaaaaaaaaaaaffff")
    await first.apply([LISE, ADA_LEAVES])
    text = (tmp_path / "company.pending.json").read_text()
    (record,) = parse_records(text)
    assert (record.label, record.checksum) == ("aaaaaaaaaaaa", "sha256:aaaaaaaaaaaaffff")
    assert record.prepared_at == "2026-11-25T10:30Z"
    assert record.where.endswith("out/aaaaaaaaaaaa")
    assert [p.identifier for p in record.creates] == ["lise@acme.test"]
    assert [(p.identifier, p.stakeholder_id) for p in record.updates] == [
        ("ada@acme.test", "sh_000001")
    ]
    assert set(record.creates[0].fields) == set(LISE.values)
    for value in ("Lise Meitner", "Berlin", "2026-12-01", "Alumni", "2026-06-30"):
        assert value not in text  # keyed digests only, never a value
    manifest = (tmp_path / "out" / "aaaaaaaaaaaa" / "manifest.json").read_text()
    assert parse_records(manifest) == (record,)
    # A fresh target (another run) has no folder state, only the store: it sees the record.
    again = WorkbookTarget(
        export, tmp_path / "elsewhere", "Acme Ltd", environ={}, store=store, key=SANDBOX_KEY
    )
    assert (await again.read()).pending == (record,)
    lines = first.prepared_report() or []
    assert f"record: {tmp_path / 'company.pending.json'}; until the refreshed export" in "\n".join(
        lines
    )


class _Refusing(MemoryStore):
    async def save(self, records: Sequence[UploadRecord]) -> None:
        raise TargetError("the record cannot be kept")


async def test_nothing_is_prepared_when_the_record_cannot_be_kept(tmp_path: Path) -> None:
    target = _target(tmp_path, _export(tmp_path, ADA))
    target.store = _Refusing()
    await target.read()
    with pytest.raises(TargetError, match="cannot be kept"):
        await target.apply([LISE])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


async def test_a_folder_that_cannot_be_written_takes_its_record_back(tmp_path: Path) -> None:
    target = _target(tmp_path, _export(tmp_path, ADA))
    await target.read()
    target.label_upload("sha256:bbbbbbbbbbbb")
    (tmp_path / "out" / "bbbbbbbbbbbb").mkdir(parents=True)  # already there: refused
    with pytest.raises(TargetError, match="already prepared"):
        await target.apply([LISE])
    assert await target.store.load() == ()


async def test_columns_the_config_names_are_found_by_that_name(tmp_path: Path) -> None:
    headers = header_table({"stakeholder_id": "Key", "group": "Cohort"})
    export = tmp_path / "export.xlsx"
    export_workbook(TargetState("Acme Ltd", (MAX,)), export, headers)
    assert load_workbook(export).worksheets[0]["A2"].value == "Key"
    named = {"stakeholder_id": "Key", "group": "Cohort"}
    assert (await _target(tmp_path, export, named).read()).stakeholders == (MAX,)


def test_an_unknown_header_role_is_refused() -> None:
    with pytest.raises(KeyError, match=r"adress\.city"):
        header_table({"adress.city": "Town"})


async def test_a_missing_export_says_where_to_download_it(tmp_path: Path) -> None:
    with pytest.raises(TargetError) as caught:
        await _target(tmp_path, tmp_path / "missing.xlsx").read()
    assert "no such file" in caught.value.message
    assert "Bulk Edit > Natural person" in (caught.value.remedy or "")


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


@pytest.mark.parametrize("key", ["columns", "headers"])
def test_an_unknown_column_role_in_the_config_is_refused_at_its_line(
    tmp_path: Path, key: str
) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(
        "version: 1\n"
        "hris: {provider: charliehr, client_id: env/ID, client_secret: env/SECRET}\n"
        "ledgy:\n"
        "  company: Acme Ltd\n"
        "  driver: workbook\n"
        "  workbook:\n"
        "    export: export.xlsx\n"
        f"    {key}:\n"
        "      adress.city: Town\n"
    )
    with pytest.raises(TargetError) as caught:
        workbook_target(load_config(config), None, environ={})
    assert caught.value.message.endswith(":9:20: unknown workbook column role 'adress.city'")
    assert "ledgy.workbook.columns" in (caught.value.remedy or "")


async def test_the_older_headers_key_still_names_columns(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export_workbook(TargetState("Acme Ltd", (MAX,)), export, header_table({"name": "Legal name"}))
    config = tmp_path / "company.yaml"
    config.write_text(
        "version: 1\n"
        "hris: {provider: charliehr, client_id: env/ID, client_secret: env/SECRET}\n"
        "ledgy:\n"
        "  company: Acme Ltd\n"
        "  driver: workbook\n"
        "  workbook: {export: export.xlsx, headers: {name: Legal name}}\n"
    )
    target = workbook_target(load_config(config), None, environ={})
    assert [s.name for s in (await target.read()).stakeholders] == ["Max Born"]

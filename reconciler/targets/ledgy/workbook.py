"""The workbook driver: Ledgy's bulk Excel files, for accounts without API writes.

Reading takes the bulk-edit export (Stakeholders > Bulk Edit > Natural person >
Download stakeholder file): first row instructions, then a header row, then one
row per stakeholder matched by "Stakeholder ID".
Applying writes two upload-ready files: an import file for new stakeholders and a
bulk-edit file for updates in which only changed cells are filled. Dates are real
Excel dates. Custom fields are columns headed by their name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from reconciler.config.load import LoadedConfig
from reconciler.errors import TargetError
from reconciler.fields import CATALOGUE
from reconciler.stakeholder import CUSTOM, HRIS, Stakeholder, TargetState, Value
from reconciler.targets.ledgy.headers import STAKEHOLDER_ID, header_table
from reconciler.writes import Progress, Write, WriteResult

IMPORT_FILE = "ledgy-import-natural-persons.xlsx"
BULK_EDIT_FILE = "ledgy-bulk-edit-natural-persons.xlsx"
EXPORT_INSTRUCTIONS = (
    "Edit stakeholder data below. Do not remove this row or change the Stakeholder ID column; "
    "rows are matched by it. Cells left unchanged are not updated."
)
IMPORT_INSTRUCTIONS = (
    "New natural-person stakeholders, written by reconciler. Upload in Ledgy: "
    "Stakeholders > Import > Natural person."
)
BULK_INSTRUCTIONS = (
    "Updates written by reconciler. Do not remove this row; rows are matched by Stakeholder ID; "
    "empty cells are left unchanged. Upload in Ledgy: Stakeholders > Bulk Edit."
)
DATE_FORMAT = "yyyy-mm-dd"


def _is_date_role(role: str) -> bool:
    if role == "birthdate":
        return True
    return role.startswith(HRIS) and _kind(role) == "date"


def _kind(role: str) -> str:
    field = CATALOGUE.get(role[len(HRIS) :])
    return field.kind if field else "text"


def _cell_value(role: str, raw: Any) -> Value:
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


class WorkbookTarget:
    """Stakeholders from a bulk-edit export; writes as upload-ready files."""

    def __init__(
        self, export: Path, out_dir: Path, company: str, headers: Mapping[str, str]
    ) -> None:
        self.export = export
        self.out_dir = out_dir
        self.company = company
        self.headers = dict(headers)
        self._roles = {header: role for role, header in self.headers.items()}

    async def preflight(self) -> frozenset[str]:
        """The export is a local file: reading it whole is the cheap check."""
        return (await self.read()).custom_fields

    async def read(self) -> TargetState:
        """Read the export: stakeholders, and custom fields from its extra columns."""
        rows = iter(_rows(self.export))
        next(rows, None)  # the instructions row
        header_row = next(rows, None)
        if header_row is None:
            raise TargetError(
                f"{self.export}: no header row (row 2)", remedy="download the export again"
            )
        columns = [str(h).strip() if h is not None else "" for h in header_row]
        id_header = self.headers[STAKEHOLDER_ID]
        if id_header not in columns:
            raise TargetError(
                f"{self.export}: row 2 has no '{id_header}' column",
                remedy="download the Bulk Edit file of natural persons, or set "
                "ledgy.workbook.headers.stakeholder_id to the name Ledgy uses",
            )
        custom = [c for c in columns if c and c not in self._roles]
        people = [
            self._stakeholder(columns, row, n)
            for n, row in enumerate(rows, start=3)
            if _filled(row)
        ]
        _no_repeats(people, self.export)
        return TargetState(self.company, tuple(people), frozenset(custom))

    def _stakeholder(self, columns: list[str], row: Sequence[Any], number: int) -> Stakeholder:
        values: dict[str, Value] = {}
        stakeholder_id = None
        for header, raw in zip(columns, row, strict=False):
            if not header:
                continue
            role = self._roles.get(header, CUSTOM + header)
            if role == STAKEHOLDER_ID:
                stakeholder_id = _cell_value(role, raw)
            else:
                values[role] = _cell_value(role, raw)
        if not stakeholder_id:
            raise TargetError(f"{self.export}: row {number} has no Stakeholder ID")
        return Stakeholder.from_flat(values, str(stakeholder_id))

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Write the import file (creates) and the bulk-edit file (updates)."""
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TargetError(f"{self.out_dir}: cannot be created ({error.strerror})") from None
        creates = [w for w in writes if w.action == "create"]
        updates = [w for w in writes if w.action == "update"]
        if creates:
            self._write(self.out_dir / IMPORT_FILE, IMPORT_INSTRUCTIONS, creates, with_id=False)
        if updates:
            self._write(self.out_dir / BULK_EDIT_FILE, BULK_INSTRUCTIONS, updates, with_id=True)
        results = [_result(w) for w in writes]
        for result in results:
            if progress is not None:
                progress(result)
        return results

    def _write(self, path: Path, instructions: str, writes: list[Write], *, with_id: bool) -> None:
        roles = _roles_in(writes)
        heads = ([self.headers[STAKEHOLDER_ID]] if with_id else []) + [
            self._header(r) for r in roles
        ]
        rows = [
            ([w.stakeholder_id] if with_id else []) + [w.values.get(role) for role in roles]
            for w in writes
        ]
        _save(path, instructions, heads, rows)

    def _header(self, role: str) -> str:
        return role[len(CUSTOM) :] if role.startswith(CUSTOM) else self.headers[role]


def export_workbook(state: TargetState, path: Path, headers: Mapping[str, str]) -> None:
    """Write stakeholders as Ledgy's bulk-edit export holds them (sandbox, tests)."""
    writes = [Write("update", s.identifier, s.flat(), s.id) for s in state.stakeholders]
    roles = sorted({*_roles_in(writes), *(CUSTOM + name for name in state.custom_fields)})
    namer = WorkbookTarget(path, path.parent, state.company, headers)
    heads = [headers[STAKEHOLDER_ID], *(namer._header(r) for r in roles)]
    rows = [[w.stakeholder_id, *(w.values.get(r) for r in roles)] for w in writes]
    _save(path, EXPORT_INSTRUCTIONS, heads, rows)


def _save(path: Path, instructions: str, heads: list[str], rows: list[list[Any]]) -> None:
    """One sheet: instructions, headers, rows; dates as real Excel dates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Natural persons"
    sheet.append([instructions])
    sheet.append(heads)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    try:
        book.save(path)
    except OSError as error:
        raise TargetError(f"{path}: cannot be written ({error.strerror})") from None


def _roles_in(writes: Iterable[Write]) -> list[str]:
    """The roles any write sets: standard ones, then custom fields, then HR fields."""
    found = {role for w in writes for role, value in w.values.items() if value is not None}
    return sorted(found, key=lambda r: (r.startswith(HRIS), r.startswith(CUSTOM), r))


def _result(write: Write) -> WriteResult:
    cleared = sorted(k for k, v in write.values.items() if v is None)
    if write.action == "update" and cleared:
        note = (
            f"written except clearing {', '.join(cleared)}: in a bulk-edit file an empty cell "
            "means unchanged, so clear it by hand in Ledgy"
        )
        return WriteResult(write, False, write.stakeholder_id, note)
    return WriteResult(write, True, write.stakeholder_id)


def _rows(path: Path) -> list[tuple[Any, ...]]:
    """Every row of the first sheet, as values."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise TargetError(
            f"{path}: no such file",
            remedy="download it in Ledgy: Stakeholders > Bulk Edit > Natural person",
        ) from None
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise TargetError(f"{path}: not an .xlsx workbook ({type(error).__name__})") from None
    try:
        return list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _filled(row: Sequence[Any]) -> bool:
    return any(cell is not None and str(cell).strip() for cell in row)


def _no_repeats(people: list[Stakeholder], path: Path) -> None:
    seen: set[str | None] = set()
    for person in people:
        if person.id in seen:
            raise TargetError(f"{path}: Stakeholder ID {person.id} appears twice")
        seen.add(person.id)


def workbook_target(loaded: LoadedConfig) -> WorkbookTarget:
    """Build the workbook driver a config describes; paths are relative to the config."""
    ledgy = loaded.config.ledgy
    if ledgy.workbook is None:  # the model requires it for the workbook driver
        raise TargetError("ledgy.workbook is not set")
    try:
        headers = header_table(ledgy.workbook.headers)
    except KeyError as error:
        role = str(error.args[0])
        where = loaded.problem_at(("ledgy", "workbook", "headers", role), "")
        raise TargetError(
            f"{where.path}:{where.line}:{where.col}: unknown workbook header role '{role}'",
            remedy="roles are stakeholder_id and plan field names such as address.city or "
            "hris.start_date (README: 'Workbook headers')",
        ) from None
    book = ledgy.workbook
    export = loaded.inside(("ledgy", "workbook", "export"), book.export)
    out_dir = loaded.inside(("ledgy", "workbook", "out_dir"), book.out_dir)
    return WorkbookTarget(export, out_dir, ledgy.company, headers)

"""The identifier review workbook: written by ``identifiers export``, read by ``import``.

Same layout as Ledgy's own files: an instructions row, a header row, then one row
per stakeholder without an identifier. The reviewer fills or corrects the
"Identifier" column; everything else is there to help decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from reconciler.engine.identifiers import Assignment, Proposal
from reconciler.errors import ReconcilerError

HEADERS = ("Stakeholder ID", "Name", "Email", "Group", "Match", "Candidates", "Identifier")
INSTRUCTIONS = (
    "Stakeholders without an identifier, with the CharlieHR work email whose name matches "
    "exactly. Check each row: keep, correct or clear the Identifier column, then run "
    "`reconciler identifiers import CONFIG THIS_FILE`. Do not change Stakeholder ID."
)


def write_review(proposals: Sequence[Proposal], path: Path) -> None:
    """Write the review workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Identifiers"
    sheet.append([INSTRUCTIONS])
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for item in proposals:
        person = item.stakeholder
        sheet.append(
            [
                person.id,
                person.name,
                person.email,
                person.group,
                item.kind,
                ", ".join(item.candidates),
                item.proposed,
            ]
        )
    for column, width in zip("ABCDEFG", (14, 28, 30, 16, 10, 50, 30), strict=True):
        sheet.column_dimensions[column].width = width
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot be written ({error.strerror})") from None


def read_review(path: Path) -> list[Assignment]:
    """The rows with an Identifier filled in, with their sheet row numbers."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ReconcilerError(
            f"{path}: no such file", remedy="make it with `reconciler identifiers export`"
        ) from None
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ReconcilerError(f"{path}: not an .xlsx workbook ({type(error).__name__})") from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(h).strip() if h is not None else "" for h in (rows[1] if len(rows) > 1 else ())]
    missing = [h for h in ("Stakeholder ID", "Identifier") if h not in header]
    if missing:
        raise ReconcilerError(
            f"{path}: row 2 has no {' and no '.join(repr(m) for m in missing)} column",
            remedy="start again from `reconciler identifiers export`",
        )
    id_col, ident_col = header.index("Stakeholder ID"), header.index("Identifier")
    found = []
    for number, row in enumerate(rows[2:], start=3):
        identifier = _cell(row, ident_col)
        if identifier:
            found.append(Assignment(number, _cell(row, id_col), identifier))
    return found


def _cell(row: Sequence[object], index: int) -> str:
    value = row[index] if index < len(row) else None
    return " ".join(str(value).split()) if value is not None else ""

"""The identifier review workbook: what ``identifiers export`` writes, and what
``identifiers import`` reads back from the reviewer's copy (real .xlsx files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reconciler.artifacts.review_workbook import HEADERS, INSTRUCTIONS, read_review, write_review
from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.identifiers import Assignment, Proposal
from reconciler.errors import ReconcilerError

ADA = Stakeholder(id="sh_1", name="Ada Lovelace", email="ada@home.test", group="Founders")
MAX = Stakeholder(id="sh_2", name="Max Born", group="Employees")
GRACE = Stakeholder(id="sh_3", name="Grace Hopper")

PROPOSALS = [
    Proposal(ADA, "unique", ("ada@acme.test",)),
    Proposal(MAX, "ambiguous", ("max.a@acme.test", "max.b@acme.test")),
    Proposal(GRACE, "none", ()),
]


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))


def _book(path: Path, *rows: list[object]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_workbook_is_instructions_then_headers_then_a_row_per_stakeholder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nested" / "review.xlsx"
    write_review(PROPOSALS, path)
    rows = _sheet_rows(path)
    assert rows[0][0] == INSTRUCTIONS and rows[1] == HEADERS
    assert rows[2:] == [
        ("sh_1", "Ada Lovelace", "ada@home.test", "Founders", "unique", "ada@acme.test", "ada@acme.test"),
        ("sh_2", "Max Born", None, "Employees", "ambiguous", "max.a@acme.test, max.b@acme.test", None),
        ("sh_3", "Grace Hopper", None, None, "none", None, None),
    ]  # fmt: skip
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "Identifiers" and all(cell.font.b for cell in sheet[2])


def test_what_is_written_reads_back_as_the_proposed_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write_review(PROPOSALS, path)
    assert read_review(path) == [Assignment(3, "sh_1", "ada@acme.test")]


def test_only_filled_identifiers_are_read_with_their_row_and_spaces_collapsed(
    tmp_path: Path,
) -> None:
    path = _book(
        tmp_path / "review.xlsx",
        ["instructions"],
        [" Identifier ", "Name", "Stakeholder ID"],  # columns in any order, found by name
        ["  max.b@acme.test ", "Max Born", "sh_2"],
        [None, "Grace Hopper", "sh_3"],
        ["   ", "Nobody", "sh_4"],
        ["ada@acme.test"],  # a short row: the missing Stakeholder ID reads as empty
    )
    assert read_review(path) == [
        Assignment(3, "sh_2", "max.b@acme.test"),
        Assignment(6, "", "ada@acme.test"),
    ]


def test_a_sheet_without_the_two_columns_names_them_and_says_start_again(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "review.xlsx", ["instructions"], ["Name", "Email"])
    with pytest.raises(ReconcilerError) as caught:
        read_review(path)
    assert caught.value.message == (
        f"{path}: row 2 has no 'Stakeholder ID' and no 'Identifier' column"
    )
    assert caught.value.remedy == "start again from `reconciler identifiers export`"
    empty = _book(tmp_path / "empty.xlsx")
    with pytest.raises(ReconcilerError, match="row 2 has no 'Stakeholder ID'"):
        read_review(empty)


def test_a_missing_file_says_how_to_make_one_and_a_text_file_is_not_a_workbook(
    tmp_path: Path,
) -> None:
    with pytest.raises(ReconcilerError) as caught:
        read_review(tmp_path / "none.xlsx")
    assert caught.value.message.endswith("none.xlsx: no such file")
    assert caught.value.remedy == "make it with `reconciler identifiers export`"
    text = tmp_path / "review.xlsx"
    text.write_text("Stakeholder ID,Identifier\nsh_1,ada@acme.test\n")
    with pytest.raises(ReconcilerError, match=r"review\.xlsx: not an \.xlsx workbook \("):
        read_review(text)


def test_a_place_that_cannot_be_written_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ReconcilerError, match=r"review\.xlsx: cannot be written \("):
        write_review(PROPOSALS, blocker / "review.xlsx")

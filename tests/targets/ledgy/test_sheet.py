"""The workbook driver's sheet logic: cells typed by their column's role."""

from __future__ import annotations

from datetime import date, datetime

from reconciler.targets.ledgy.sheet import cell_value, filled, personal_role


def test_a_cell_is_typed_by_its_role() -> None:
    assert cell_value("birthdate", datetime(1990, 5, 1)) == date(1990, 5, 1)
    assert cell_value("birthdate", " 1990-05-01 ") == date(1990, 5, 1)
    assert cell_value("birthdate", "not a date") == "not a date"
    assert cell_value("identifier", 42.0) == "42"
    assert cell_value("name", "  Ada   Lovelace ") == "Ada Lovelace"
    assert cell_value("name", "   ") is None


def test_personal_columns_are_named_by_their_role() -> None:
    assert personal_role("birthdate")
    assert personal_role("address.city")
    assert not personal_role("name")


def test_a_row_of_blanks_is_not_filled() -> None:
    assert not filled((None, "  ", None))
    assert filled((None, "x"))

"""The normalised employee: its fields by plan name, what it never shows in a repr, and
the status its dates give."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.domain.employee import Employee, dated_status

TODAY = date(2026, 11, 25)


def test_a_field_is_read_by_its_canonical_name_or_as_a_raw_key() -> None:
    ada = Employee(id="tm_1", city="London", raw={"cost_centre": "CC-7"})
    assert ada.value("city") == "London" and ada.value("employment_status") == "active"
    assert ada.value("raw.cost_centre") == "CC-7" and ada.value("raw.shoe_size") is None
    with pytest.raises(KeyError):
        ada.value("shoe_size")  # a name the catalogue does not know is a mistake, not None


def test_a_field_the_record_did_not_give_reads_as_none() -> None:
    ada = Employee(
        id="tm_1",
        city="London",
        raw={"cost_centre": 7},
        unread={"city": "absent", "raw.cost_centre": "a number, not text"},
    )
    assert ada.value("city") is None and ada.value("raw.cost_centre") is None


def test_the_repr_holds_the_id_and_status_and_no_personal_value() -> None:
    ada = Employee(id="tm_1", name="Ada Lovelace", birthdate=date(1815, 12, 10), pay_rate=9.5)
    assert repr(ada) == "Employee(id='tm_1', status='active')"
    assert "Lovelace" not in f"{[ada]}" and "1815" not in str(ada)


def test_raw_values_do_not_make_two_employees_differ() -> None:
    assert Employee(id="tm_1", raw={"a": 1}) == Employee(id="tm_1", raw={"a": 2})
    assert Employee(id="tm_1", city="Paris") != Employee(id="tm_1", city="Lyon")


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        (None, date(2026, 11, 24), "inactive"),  # ended yesterday
        (None, TODAY, None),  # the last day is still a working day
        (date(2026, 11, 26), None, "pending"),  # starts tomorrow
        (TODAY, None, None),
        (date(2027, 1, 1), date(2026, 1, 1), "inactive"),  # a past end wins
        (None, None, None),
    ],
)
def test_the_dates_give_a_status_or_say_nothing(
    start: date | None, end: date | None, status: str | None
) -> None:
    assert dated_status(start, end, TODAY) == status

"""Checks of values against their field: each finding's place, wording and remedy."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.config.checks import fixture_value_issues, value_issues

STATUS_CASE = "employment statuses are lower case: active, pending, inactive"
STATUS_MEANING = "a leaver is 'inactive', a future starter 'pending'"
COUNTRY_CODE = "write the two-letter code, e.g. GB, DE, US"


def test_employment_statuses_are_checked_one_by_one() -> None:
    assert value_issues("employment_status", ["Active", "gone", "activ", True, "inactive"]) == [
        (("in", 0), "write 'active', not 'Active'", STATUS_CASE),
        (
            ("in", 1),
            "'gone' is not an employment status (active, pending, inactive)",
            STATUS_MEANING,
        ),
        (
            ("in", 2),
            "'activ' is not an employment status (active, pending, inactive); did you mean 'active'?",
            STATUS_MEANING,
        ),
        (
            ("in", 3),
            "'True' is not an employment status (active, pending, inactive)",
            STATUS_MEANING,
        ),
    ]


def test_countries_are_alpha_2_codes_in_capitals() -> None:
    assert value_issues("country", ["GB", "gb", "Germany", "XX", 1]) == [
        (("in", 1), "countries are compared as ISO 3166 alpha-2 codes; write 'GB' for 'gb'", None),
        (
            ("in", 2),
            "countries are compared as ISO 3166 alpha-2 codes; write 'DE' for 'Germany'",
            None,
        ),
        (("in", 3), "'XX' is not an ISO 3166 alpha-2 country code", COUNTRY_CODE),
        (("in", 4), "'1' is not an ISO 3166 alpha-2 country code", COUNTRY_CODE),
    ]


def test_other_fields_accept_any_value() -> None:
    assert value_issues("job_title", ["anything", 1, True]) == []


NOT_A_NUMBER = [(("pay_rate",), "'pay_rate' is not a number", "write e.g. 52000")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (52000, []),
        (52000.5, []),
        ("52000", []),
        (None, []),
        (True, NOT_A_NUMBER),
        ("abc", NOT_A_NUMBER),
        ("nan", NOT_A_NUMBER),
        ([1], NOT_A_NUMBER),
    ],
)
def test_a_fixture_number_is_a_finite_number_not_a_flag(value: object, expected: object) -> None:
    assert fixture_value_issues({"pay_rate": value}) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [(date(2024, 1, 31), True), ("2024-01-31", True), ("2024-02-30", False), (20240131, False)],
)
def test_a_fixture_date_is_a_real_date(value: object, ok: bool) -> None:
    expected = (
        []
        if ok
        else [(("start_date",), "'start_date' is not a date (YYYY-MM-DD)", "write e.g. 2024-01-31")]
    )
    assert fixture_value_issues({"start_date": value}) == expected


def test_a_fixture_status_is_checked_without_echoing_it() -> None:
    assert fixture_value_issues({"employment_status": "gone", "raw.anything": object()}) == [
        (
            ("employment_status",),
            "employment_status is not an employment status (active, pending, inactive)",
            None,
        )
    ]


def test_a_fixture_check_goes_on_past_unknown_keys_and_empty_values() -> None:
    employee = {"raw.anything": 1, "manager": None, "pay_rate": True}
    assert fixture_value_issues(employee) == NOT_A_NUMBER

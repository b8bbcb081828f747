"""The HR field catalogue: what is personal, how fields are titled, which raw key feeds
each, and the order the list-page keys are tried in."""

from __future__ import annotations

import pytest

from reconciler.domain.fields import (
    CATALOGUE,
    CHARLIEHR_KEYS,
    ENDPOINTS,
    ENTITY_FALLBACK,
    FIELD_NAMES,
    FIELDS,
    LOOKS_LIKE,
    OPTIONAL_FIELDS,
    PAGINATION_KEYS,
    RAW_KEYS,
    is_personal,
    meta_keys,
    title_of,
)


@pytest.mark.parametrize(
    "field",
    ["personal_email", "address_line_1", "zip_code", "city", "country", "birthdate",
     "pay_rate", "pay_period", "pay_currency", "mobile_phone", "gender"],
)  # fmt: skip
def test_personal_fields_are_masked(field: str) -> None:
    assert is_personal(field)


@pytest.mark.parametrize("field", ["work_email", "name", "start_date", "team", "job_title"])
def test_work_fields_are_shown(field: str) -> None:
    assert not is_personal(field)


def test_a_raw_key_or_an_unknown_name_counts_as_personal() -> None:
    assert is_personal("raw.cost_centre") and is_personal("shoe_size")


def test_a_field_is_titled_by_the_catalogue_and_a_raw_key_as_written() -> None:
    assert title_of("zip_code") == "ZIP code" and title_of("work_email") == "Work email"
    assert title_of("raw.cost_centre") == "raw.cost_centre"


def test_each_field_is_named_once_and_fed_by_a_raw_key_of_the_table() -> None:
    assert len(FIELD_NAMES) == len(FIELDS) == len(CATALOGUE)
    assert len(RAW_KEYS) == len(CHARLIEHR_KEYS)
    assert [f.name for f in FIELDS if f.raw_role not in RAW_KEYS] == []
    assert set(OPTIONAL_FIELDS) <= set(FIELD_NAMES)


def test_every_raw_key_has_an_endpoint_and_every_alias_a_role() -> None:
    assert {k.resource for k in CHARLIEHR_KEYS} == set(ENDPOINTS)
    assert set(LOOKS_LIKE) <= set(RAW_KEYS) and ENTITY_FALLBACK in RAW_KEYS
    # an alias is another name for the key, never the key the table names
    assert [role for role, aliases in LOOKS_LIKE.items() if RAW_KEYS[role].key in aliases] == []


def test_the_keys_of_a_role_are_tried_in_the_order_listed() -> None:
    assert meta_keys("next_url") == ("next_url",)
    assert meta_keys("total") == ("total_results", "total_count", "total")
    assert meta_keys("page") == ("current_page", "page")
    assert meta_keys("per_page") == ("results_per_page", "per_page")
    assert {k.role for k in PAGINATION_KEYS} == {
        "next_url", "total", "total_or_page_count", "total_pages", "page", "per_page",
    }  # fmt: skip

from __future__ import annotations

import pytest

from reconciler.domain.sensitive import (
    SENSITIVE_CATEGORIES,
    is_dropped,
    normalise_key,
    sensitive_category,
)

# One row per category (and the tricky neighbours), so a pattern change shows here.
CASES = [
    ("national_insurance_number", "national insurance or social security number"),
    ("niNumber", "national insurance or social security number"),
    ("ssn", "national insurance or social security number"),
    ("social_security_no", "national insurance or social security number"),
    ("payroll_id", "payroll identifier or statutory payroll data"),
    ("starter_declaration", "payroll identifier or statutory payroll data"),
    ("student_loan_plan", "payroll identifier or statutory payroll data"),
    ("passport_number", "licence, passport or identity document"),
    ("driving_licence", "licence, passport or identity document"),
    ("drivers-license-no", "licence, passport or identity document"),
    ("id_card", "licence, passport or identity document"),
    ("bank_account_number", "banking or payment data"),
    ("IBAN", "banking or payment data"),
    ("sort_code", "banking or payment data"),
    ("credit_card", "banking or payment data"),
    ("notes", "free-text HR notes"),
    ("ethnicity", "racial or ethnic origin"),
    ("race", "racial or ethnic origin"),
    ("political_party", "political affiliation"),
    ("religion", "religious affiliation (including church tax elections)"),
    ("church_tax", "religious affiliation (including church tax elections)"),
    ("Kirchensteuer", "religious affiliation (including church tax elections)"),
    ("trade_union_member", "trade union membership"),
    ("health_conditions", "genetic or health data"),
    ("disability", "genetic or health data"),
    ("medicalHistory", "genetic or health data"),
    ("fingerprint_hash", "biometric data"),
    ("sexual_orientation", "sex life or sexual orientation"),
    ("criminal_record", "criminal record or background check"),
    ("dbs_check", "criminal record or background check"),
    ("credit_score", "credit rating"),
]

ALLOWED = [
    "gender",
    "job_title",
    "cost_centre",
    "start_date",
    "trace_id",
    "reunion_date",
    "cardinality",
    "sextant",
    "office",
    "team",
    "bonus_scheme",
    "county",
]


@pytest.mark.parametrize(("key", "category"), CASES)
def test_each_refused_category_is_recognised(key: str, category: str) -> None:
    found = sensitive_category(key)
    assert found is not None and found.name == category


@pytest.mark.parametrize("key", ALLOWED)
def test_ordinary_keys_are_allowed(key: str) -> None:
    assert sensitive_category(key) is None


def test_every_category_has_a_case() -> None:
    assert {c.name for c in SENSITIVE_CATEGORIES} == {category for _, category in CASES}


@pytest.mark.parametrize(
    ("key", "dropped"),
    [
        ("national_insurance_number", True),
        ("payroll_id", True),
        ("bank_name", True),
        ("starter_declaration", True),
        ("student_loan", True),
        ("notes", True),
        ("ethnicity", False),
        ("gender", False),
    ],
)
def test_the_client_drops_payroll_bank_and_notes_always(key: str, dropped: bool) -> None:
    assert is_dropped(key) is dropped


def test_keys_are_normalised_before_matching() -> None:
    assert normalise_key("NI-Number ") == "ni_number"
    assert normalise_key("bankAccountNumber") == "bank_account_number"

"""A server's error message keeps its words and loses every value it echoes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.http.error_text import LIMIT, MASK, reduced, sent_texts

BIRTHDATE, STREET = "1901-02-03", "SENTINEL-STREET 99"
PHONE, EMAIL, PAY = "+44 7700 900461", "jane.private@example.org", 987654.32
SENT = [BIRTHDATE, STREET, PHONE, EMAIL, PAY, "Qcityville", date(1901, 2, 3)]
SENTINELS = ("1901", "SENTINEL", "900461", "jane.private", "987654", "Qcityville")


# What GraphQL and REST servers really answer when they refuse a value.
ECHOES = [
    # graphql-core 3.3 (what the Ledgy emulator runs)
    "Variable '$input_0' has invalid value: Expected value of type 'StakeholderInput' to "
    "include required field 'nationality', found: {'name': 'Jane', 'birthdate': '1901-02-03', "
    "'address': {'line1': 'SENTINEL-STREET 99', 'city': 'Qcityville'}, 'hris': [{...}]}.",
    "Variable '$input_0' has invalid value at .birthdate: Date '1901-02-03' is not a day",
    # graphql-js 16
    'Variable "$input" got invalid value { birthdate: "1901-02-03", address: { line1: '
    '"SENTINEL-STREET 99" } }; Field "nationality" of required type "String!" was not provided.',
    'Variable "$input" got invalid value "+44 7700 900461" at "input.hris[0].value"; '
    'Expected type "String".',
    'Variable "$pay" got invalid value 987654.32; Int cannot represent non-integer value: 987654.32',
    # graphql-ruby, Rails
    "Argument 'birthdate' on InputObject 'StakeholderInput' has an invalid value (1901-02-03). "
    "Expected type 'Date'.",
    "Validation failed: Personal email jane.private@example.org is invalid, City Qcityville unknown",
    # a REST server quoting the record it refused, in JSON
    'Unprocessable record {"date_of_birth": "1901-02-03", "address_line_1": "SENTINEL-STREET 99", '
    '"phone_number": "+44 7700 900461", "pay_rate": 987654.32}',
    # an echo cut short by the server, bracket never closed
    "Invalid input: {'line1': 'SENTINEL-STREET 99', 'city': 'Qcityvi",
    "Invalid value 'SENTINEL-STREET 99 and more text that the server cut off",
]


@pytest.mark.parametrize("message", ECHOES)
def test_no_echoed_value_survives(message: str) -> None:
    shown = reduced(message, SENT)
    assert [s for s in SENTINELS if s.casefold() in shown.casefold()] == []
    assert MASK in shown


@pytest.mark.parametrize("message", ECHOES)
def test_structures_quotes_and_patterns_mask_even_values_we_did_not_send(message: str) -> None:
    shown = reduced(message)
    assert [s for s in SENTINELS if s in shown and s != "Qcityville"] == []


def test_the_server_words_and_the_names_that_help_the_user_stay() -> None:
    message = ECHOES[0]
    assert reduced(message, SENT) == (
        "Variable '$input_0' has invalid value: Expected value of type 'StakeholderInput' to "
        "include required field 'nationality', found: (masked)."
    )
    assert reduced("Cannot query field 'shoeSize' on type 'Stakeholder'.") == (
        "Cannot query field 'shoeSize' on type 'Stakeholder'."
    )
    assert reduced('Expected type "[String!]!" at "input.hris[0].value"') == (
        'Expected type "[String!]!" at "input.hris[0].value"'
    )
    assert reduced("GraphQL introspection is not allowed") == "GraphQL introspection is not allowed"
    assert reduced("Unknown custom field Cost centre; create it", SENT) == (
        "Unknown custom field Cost centre; create it"
    )


def test_a_plain_name_is_masked_when_it_is_a_value_we_sent() -> None:
    assert reduced("City 'Qcityville' is unknown", SENT) == "City (masked) is unknown"
    assert reduced("Country 'GB' is closed", ["GB"]) == "Country (masked) is closed"
    assert reduced("Country GB is closed", ["GB"]) == "Country GB is closed"  # too short unquoted


def test_values_we_sent_are_masked_whole_and_in_any_case() -> None:
    shown = reduced("street sentinel-street 99 and qcityville are wrong", SENT)
    assert shown == "street (masked) and (masked) are wrong"


def test_apostrophes_in_prose_are_not_quotes() -> None:
    assert reduced("Ledgy's server can't do that") == "Ledgy's server can't do that"


def test_e_mail_dates_phones_and_long_numbers_are_masked_anywhere() -> None:
    message = (
        "mail a.b+c@mail.example, born 3 February 1901 or 03/02/1901 or Feb 3, 1901, "
        "call (020) 7946 0958, paid 54000 or 12.50, employee 4711"
    )
    assert reduced(message) == (
        "mail (masked), born (masked) or (masked) or (masked), call (masked), paid (masked) or "
        "(masked), employee 4711"
    )


def test_list_indexes_status_codes_and_line_numbers_stay() -> None:
    message = "HTTP 422 at input.hris[3] (line 1, column 12)"
    assert reduced(message) == message


def test_one_line_capped_at_the_limit() -> None:
    shown = reduced("word\nnext " * 200)
    assert "\n" not in shown and len(shown) <= LIMIT and shown.endswith("…")


def test_no_text_gives_nothing() -> None:
    assert reduced(None) == reduced({"message": "x"}) == reduced(42) == ""


def test_the_forms_a_sent_value_comes_back_in() -> None:
    assert sent_texts([987654.32, 50000.0, date(1901, 2, 3), None, True, {"a": ["x y"]}]) == {
        "987654.32",
        "987,654.32",
        "50000.0",
        "50000.00",
        "50,000.00",
        "50000",
        "1901-02-03",
        "x y",
    }


# A value with a word character at each end: how personal values look.
VALUES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9 .,'@+/()-]{1,30}[A-Za-z0-9]\Z")
SHAPES = [
    "Variable '$input_0' has invalid value: found: {{'x': {v!r}}}.",
    'Variable "$input" got invalid value {{ x: "{v}" }}; Field "y" was not provided.',
    "has an invalid value ({v}). Expected type 'Date'.",
    "Field x: value {v} is invalid",
    "refused {v}",
    "[{v}, 2]",
]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(VALUES, st.sampled_from(SHAPES))
def test_a_value_we_sent_never_comes_back_whatever_it_holds(value: str, shape: str) -> None:
    shown = reduced(shape.format(v=value), [value])
    assert value.casefold() not in shown.casefold()

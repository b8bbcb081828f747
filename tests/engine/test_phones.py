"""Mobiles to E.164: written with a country code (+ or 00), or refused rather than guessed."""

from __future__ import annotations

import pytest

from reconciler.engine.phones import to_e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("  +44 7700 900123 \n", "+447700900123"),
        ("00 44 7700 900123", "+447700900123"),
        ("0044-7700-900123", "+447700900123"),
        ("+1", None),  # a country code alone is not a possible number
        ("+", None),  # nothing to parse
        ("+44 phone", None),
        ("44 7700 900123", None),  # no + and no 00: no country code
        ("", None),
    ],
)
def test_only_a_number_with_its_country_code_becomes_e164(raw: str, e164: str | None) -> None:
    assert to_e164(raw) == e164

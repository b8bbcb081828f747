from __future__ import annotations

import pytest

from reconciler.domain.countries import is_alpha2, to_alpha2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("England", "GB"),
        ("gb", "GB"),
        ("GBR", "GB"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("  france ", "FR"),
        ("USA", "US"),
        ("The Netherlands", "NL"),
        ("Czechia", "CZ"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_names_and_codes_become_alpha2(text: str, code: str | None) -> None:
    assert to_alpha2(text) == code


def test_only_assigned_two_letter_codes_are_alpha2() -> None:
    assert is_alpha2("GB") and is_alpha2("de")
    assert not is_alpha2("UK") and not is_alpha2("XX") and not is_alpha2("GBR")

"""Identifier normalisation and the values it refuses to trust."""

from __future__ import annotations

import pytest

from reconciler.domain.identity import (
    identifier_problem,
    load_tables,
    normal_email,
    normal_identifier,
)


@pytest.mark.parametrize(
    "raw",
    [
        "Ada@Acme.test",
        "  ada@acme.test  ",
        "ada@acme.test.",
        "ada@acme.test. ",
        "\uff41da@acme.test",  # full-width a
        "ada@ａｃｍｅ.test",
        "\u00a0ada@acme.test\u3000",  # no-break and ideographic spaces around
        "ADA@ACME.TEST",
    ],
)
def test_every_spelling_of_one_address_is_one_identifier(raw: str) -> None:
    assert normal_identifier(raw) == "ada@acme.test"
    assert identifier_problem("ada@acme.test") is None


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n", " . ", "\u3000"])
def test_blank_and_whitespace_only_is_no_identifier(raw: str | None) -> None:
    assert normal_identifier(raw) is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("ada\u200b@acme.test", "invisible character (U+200B at position 4)"),
        ("ada@acme\u2060.test", "U+2060"),
        ("ada\x1b[31m@acme.test", "U+001B"),
        ("\u202eada@acme.test", "U+202E"),
        ("ada lovelace@acme.test", "holds a space"),
        ("\u0430da@acme.test", "mixes scripts with look-alike letters in its local part"),
        ("ada@\u0430cme.test", "mixes scripts with look-alike letters in its domain"),
        ("ada.acme.test", "not a valid address"),
        ("ada@@acme.test", "not a valid address"),
    ],
)
def test_what_normalisation_cannot_fix_is_named(raw: str, problem: str) -> None:
    identifier = normal_identifier(raw)
    assert identifier is not None
    found = identifier_problem(identifier)
    assert found is not None and problem in found


def test_a_whole_word_in_another_script_is_not_a_look_alike() -> None:
    assert identifier_problem("\u0430\u043b\u0438\u0441\u0430@acme.test") is None


def test_an_email_for_display_keeps_its_case() -> None:
    assert normal_email(" Ada@Acme.test. ") == "Ada@Acme.test"


def test_no_ascii_address_is_taken_for_a_look_alike() -> None:
    # The ASCII fast path must agree with the confusables data it skips.
    for word in ("paypa1", "rn.smith", "I0l1", "o.o-o_o+o", "x" * 40):
        assert identifier_problem(f"{word}@acme.test") is None
    assert identifier_problem("p\u0430ypal@acme.test") is not None  # Cyrillic a


def test_loading_the_tables_ahead_leaves_no_answer_cached() -> None:
    # Done in a thread during the first request; it must not stand in for a real check.
    before = identifier_problem.cache_info().currsize
    load_tables()
    assert identifier_problem.cache_info().currsize == before

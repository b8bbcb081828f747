"""Free text in a config: reasons in real words, names and paths without hidden characters."""

from __future__ import annotations

import pytest

from reconciler.domain.text_checks import hidden_character, path_text_problem, reason_problem

NOT_WORDS = "the reason must be written in words (at least two words, 8 letters)"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("abcd efgh", None),
        ("legal basis:\n\tcontract", None),
        ("abcdefghij", NOT_WORDS),
        ("abcd efg 1234", NOT_WORDS),
        ("... !!! ---", NOT_WORDS),
        (
            "legal\u200bbasis here",
            "the reason holds a control or invisible character (U+200B at position 6)",
        ),
    ],
)
def test_a_reason_needs_two_words_and_eight_letters(text: str, problem: str | None) -> None:
    assert reason_problem(text) == problem


def test_a_hidden_character_is_named_by_code_point_and_position_only() -> None:
    assert hidden_character("Alumni\u202e") == (
        "a control or invisible character (U+202E at position 7)"
    )
    assert hidden_character("a\tb") == "a control or invisible character (U+0009 at position 2)"
    assert hidden_character("a\tb", allowed=frozenset("\t")) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ledgy-upload", None),
        ("out/../x", "must stay inside the config's directory; '..' is not allowed"),
        ("out\\..\\x", "must stay inside the config's directory; '..' is not allowed"),
        ("/etc/x", "must be a path relative to the config's directory, not an absolute path"),
        ("C:\\x", "must be a path relative to the config's directory, not an absolute path"),
        ("a\x00b", "a path cannot hold a control or invisible character (U+0000 at position 2)"),
    ],
)
def test_a_path_setting_stays_relative_and_inside(value: str, problem: str | None) -> None:
    assert path_text_problem(value) == problem

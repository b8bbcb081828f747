"""Identifier normalisation and the values it refuses to trust."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.domain import identity
from reconciler.domain.identity import (
    identifier_problem,
    load_tables,
    normal_email,
    normal_identifier,
    odd_characters,
    skeleton,
    visible_identifier,
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


# Characters that decide how email-validator reads an address: every sign RFC 5322 allows
# unquoted, the ones it does not, quotes, brackets, spaces, non-ASCII letters and digits.
_ADDRESS_CHARS = "aZ09.-_+!#$%&'*/=?^`{|}~@\"()<>[]\\,;: \u00e9\u0430\uff41\u200b\u00a0"


# st.emails() loads its domain tables on the first draw (over a second on a busy
# machine), and the whole check loads its Unicode tables on its first call.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.one_of(
        st.text(alphabet=_ADDRESS_CHARS, max_size=24),
        st.emails(),
        st.builds(
            lambda local, domain: f"{local}@{domain}",
            st.text(alphabet=_ADDRESS_CHARS, min_size=1, max_size=70),
            st.sampled_from(
                [
                    "acme.test",
                    "a",
                    "-acme.com",
                    "acme..com",
                    "x" * 64 + ".com",
                    "localhost",
                    "acme.local",
                    "123",
                    "acme.123",
                    "xn--e1a.com",
                ]
            ),
        ),
    )
)
def test_the_plain_address_shortcut_answers_as_the_whole_check(address: str) -> None:
    # A plain ASCII address is judged by its domain only; the answer must be the one
    # the whole check (hidden characters, spaces, scripts, email-validator) gives.
    assert identifier_problem.__wrapped__(address) == identity._problem(address)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("ada@acme.local", "special-use or reserved name"),
        ("ada@-acme.com", "hyphen immediately after the @-sign"),
        ("a" * 65 + "@acme.com", None),
        ("ada@" + "x" * 64 + ".com", "so many characters"),
        ("ada..b@acme.com", "two periods"),
    ],
)
def test_a_plain_address_with_a_bad_part_gets_the_whole_checks_message(
    address: str, problem: str | None
) -> None:
    found = identifier_problem(address)
    assert found == identity._problem(address)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_loading_the_tables_ahead_leaves_no_answer_cached() -> None:
    # Done in a thread during the first request; it must not stand in for a real check.
    before = identifier_problem.cache_info().currsize
    load_tables()
    assert identifier_problem.cache_info().currsize == before


# --- Skeletons: how a person reads an identifier (flagging only) -------------------------

LOOK_ALIKES = {
    "zero-width space": "ada\u200b@acme.test",
    "Cyrillic a": "\u0430da@acme.test",
    "Greek omicron": "ad\u03bf@acme.test",
    "Cyrillic capital A": "\u0410DA@acme.test",
    "variation selector": "ada\ufe0f@acme.test",
    "space inside": "ada @acme.test",
    "no-break space inside": "ada\u00a0@acme.test",
}


@pytest.mark.parametrize("value", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_a_look_alike_has_the_skeleton_of_the_address_it_imitates(value: str) -> None:
    imitated = "ado@acme.test" if "\u03bf" in value else "ada@acme.test"
    assert skeleton(value) == skeleton(imitated) == imitated
    assert normal_identifier(value) != imitated


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("person1@acme.test", "personl@acme.test"),  # ASCII is never mapped: two addresses
        ("ada0@acme.test", "adao@acme.test"),
        ("zo\u00eb@acme.test", "zoe@acme.test"),  # an accent is a letter, not a look-alike
    ],
)
def test_different_addresses_keep_different_skeletons(one: str, other: str) -> None:
    assert skeleton(one) != skeleton(other)


def test_an_invisible_only_value_has_no_skeleton() -> None:
    assert (skeleton(None), skeleton("\u200b\u200c"), skeleton("  ")) == (None, None, None)


def test_odd_characters_are_spelled_out_and_named() -> None:
    assert visible_identifier("ada\u200b@acme.test") == "ada\\u200b@acme.test"
    assert visible_identifier("\u0430d\u03bf@acme.test") == "\\u0430d\\u03bf@acme.test"
    assert visible_identifier("zo\u00eb@acme.test") == "zo\u00eb@acme.test"
    assert visible_identifier("Ada@Acme.test") == "Ada@Acme.test"
    assert odd_characters("\u0430da\u200b@acme.test ") == (
        "U+0430 CYRILLIC SMALL LETTER A",
        "U+200B ZERO WIDTH SPACE",
    )
    assert odd_characters("ada @acme.test") == ("U+0020 SPACE",)
    assert odd_characters("zo\u00eb@acme.test") == ()

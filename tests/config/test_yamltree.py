"""Reading YAML text: every problem is a finding at its line and column, with a hint."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.config.yamltree import Tree, YamlSyntaxError, parse
from reconciler.errors import Problem

NAME = "company.yaml"


def _syntax(text: str) -> Problem:
    with pytest.raises(YamlSyntaxError) as raised:
        parse(text, NAME)
    assert str(raised.value) == raised.value.problem.message
    return raised.value.problem


def _read(text: str) -> Tree:
    return parse(text, NAME)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n\tb: 1\n",
            Problem(
                NAME,
                2,
                1,
                "a tab character; YAML indents with spaces only",
                "replace tabs by spaces",
            ),
        ),
        (
            "a: 1\nb: 'abc\nc: 2\n",
            Problem(
                NAME,
                2,
                4,
                "a quoted string starts here and is never closed",
                "add the closing quote",
            ),
        ),
        (
            'a: "abc\n---\n',
            Problem(
                NAME,
                1,
                4,
                "a quoted string starts here and is never closed",
                "add the closing quote",
            ),
        ),
        (
            "a: [1, 2\n",
            Problem(
                NAME,
                2,
                1,
                "not valid YAML: expected ',' or ']', but got '<stream end>'",
                "while parsing a flow sequence (line 1)",
            ),
        ),
        (
            "x: 0\n\nkey:\n  a: [1, 2\n",
            Problem(
                NAME,
                5,
                1,
                "not valid YAML: expected ',' or ']', but got '<stream end>'",
                "while parsing a flow sequence (line 4)",
            ),
        ),
        (
            "a: b: c\n",
            Problem(NAME, 1, 5, "not valid YAML: mapping values are not allowed here", None),
        ),
        (
            "a: 1\nb: @x\n",
            Problem(
                NAME, 2, 4, "not valid YAML: found character '@' that cannot start any token", None
            ),
        ),
    ],
    ids=["tab", "unclosed-single", "unclosed-at-separator", "flow", "flow-later", "colon", "at"],
)
def test_text_that_is_not_yaml_is_one_problem_at_its_place(text: str, expected: Problem) -> None:
    assert _syntax(text) == expected


def test_a_bad_escape_inside_a_closed_string_is_not_called_unclosed() -> None:
    assert _syntax('a: "ok"\nb: "\\q"\n') == Problem(
        NAME,
        2,
        6,
        "not valid YAML: found unknown escape character 'q'",
        "while scanning a double-quoted scalar (line 2)",
    )


def test_a_control_character_is_a_problem_at_its_place_not_a_crash() -> None:
    assert _syntax("a: 1\nb: 'x\x07'\n") == Problem(
        NAME,
        2,
        6,
        "a control character (U+0007) that YAML does not allow",
        "delete it; if the value needs it, write it as an escape in double quotes",
    )


def test_a_limit_of_the_composer_is_a_syntax_problem_with_its_hint() -> None:
    assert _syntax("a: 1\n---\nb: 2\n") == Problem(
        NAME,
        2,
        1,
        "a second YAML document ('---') in the file",
        "a config is one document; remove the second '---' and what follows",
    )


def test_a_duplicate_key_names_the_first_line_and_keeps_the_first_value() -> None:
    tree = _read("a: 1\nb: 2\na: 3\n")
    assert tree.data == {"a": 1, "b": 2}
    assert tree.problems == [
        Problem(
            NAME,
            3,
            1,
            "duplicate key 'a' (first at line 1)",
            "YAML keeps only one of them; remove or rename one",
        )
    ]


def test_an_unknown_tag_is_refused_at_its_value_and_recorded_as_bad() -> None:
    tree = _read("a: !!binary aGk=\nb:\n  c: !custom x\nd: !!set {x}\ne: ok\n")
    hint = "remove the tag (quote the value if it should be text)"
    assert tree.problems == [
        Problem(NAME, 1, 4, "unknown tag '!!binary'; a config uses plain YAML values only", hint),
        Problem(NAME, 3, 6, "unknown tag '!custom'; a config uses plain YAML values only", hint),
        Problem(NAME, 4, 4, "unknown tag '!!set'; a config uses plain YAML values only", hint),
    ]
    assert tree.bad_values == {("a",), ("b", "c"), ("d",)}
    assert tree.data == {"a": None, "b": {"c": None}, "d": None, "e": "ok"}


def test_an_impossible_date_says_so() -> None:
    tree = _read("start: 2024-02-30\n")
    assert tree.problems == [
        Problem(
            NAME,
            1,
            8,
            "not a real date (the day or month is out of range)",
            "write a date that exists, as YYYY-MM-DD",
        )
    ]
    assert tree.bad_values == {("start",)}


@pytest.mark.parametrize("value", ["!!int abc", "!!float abc", "!!bool maybe", "!!int ''"])
def test_a_value_its_tag_cannot_read_is_a_problem_not_a_crash(value: str) -> None:
    tree = _read(f"a: 1\nb: {value}\n")
    assert tree.problems == [
        Problem(NAME, 2, 4, "this value cannot be read", "quote it to make it text")
    ]
    assert tree.bad_values == {("b",)}
    assert tree.data == {"a": 1, "b": None}


def test_merge_keys_take_every_mapping_of_a_list_the_first_one_winning() -> None:
    tree = _read(
        "base: &b {x: 1, y: 2}\n"
        "other: &o {y: 3, z: 4}\n"
        "m:\n"
        "  <<: [*b, *o, plain]\n"
        "  w: 0\n"
        "s:\n"
        "  <<: 5\n"
        "  w: 0\n"
    )
    assert tree.problems == []
    assert tree.data["m"] == {"w": 0, "x": 1, "y": 2, "z": 4}
    assert tree.data["s"] == {"w": 0}


def test_nesting_through_an_alias_is_refused_where_it_goes_too_deep() -> None:
    nested = "[" * 39 + "]" * 39
    assert _read(f"a: &a {nested}\nb: [*a]\n").problems == []
    tree = _read(f"a: &a {nested}\nb: [[*a]]\n")
    assert tree.problems == [Problem(NAME, 1, 45, "nesting deeper than 40 levels", None)]
    assert tree.bad_values == {("b", 0, 0, *([0] * 38))}


def test_a_key_that_is_a_list_is_refused_and_left_out() -> None:
    tree = _read("? [a]\n: 1\nb: 2\n")
    assert tree.problems == [
        Problem(NAME, 1, 3, "a key must be a plain name, not a list or mapping", None)
    ]
    assert tree.data == {"b": 2}


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            "n: 0x123456789abcdef0123\n",
            "a whole number of more than 18 digits",
            "no setting needs a number this large",
        ),
        (
            "n: 1." + "0" * 40 + "\n",
            "a number written with too many digits",
            "no setting needs such a number",
        ),
        ("n: .inf\n", "not a finite number", "write an ordinary number"),
    ],
)
def test_numbers_no_setting_needs_are_refused(text: str, message: str, hint: str) -> None:
    tree = _read(text)
    assert tree.problems == [Problem(NAME, 1, 4, message, hint)]
    assert tree.data == {"n": None}
    assert tree.bad_values == {("n",)}


def test_the_longest_numbers_allowed_are_read() -> None:
    assert _read("n: 0x123456789abcdef012\n").data == {"n": 0x123456789ABCDEF012}
    assert _read("n: -123_456_789_012_345_678\n").data == {"n": -123456789012345678}
    assert _read("n: 1." + "0" * 34 + "\n").data == {"n": 1.0}


def test_values_are_plain_python_types() -> None:
    data = _read("a: 0x1F\nb: 1.5\nc: 2024-01-02\nd: x\ne: true\nf: [1]\ng: {h: 1}\n").data
    assert [type(value) for value in data.values()] == [int, float, date, str, bool, list, dict]
    assert type(data) is dict

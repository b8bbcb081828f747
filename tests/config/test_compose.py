"""Composing YAML events: the limits a hostile file meets, each with its place and remedy."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from reconciler.config.compose import MAX_ALIAS_VALUES, ComposeError, Mark, Node, compose


def _compose(text: str) -> Node | None:
    return compose(YAML(typ="safe", pure=True), text)


def _aliases(count: int) -> str:
    """An anchored list worth 100 values (itself and 99 items), then ``count`` aliases of it."""
    zeros = ", ".join(["0"] * 99)
    return f"a: &x [{zeros}]\nb: [{', '.join(['*x'] * count)}]\n"


def test_aliases_may_add_exactly_the_budget() -> None:
    assert MAX_ALIAS_VALUES == 100 * 100
    root = _compose(_aliases(100))
    assert root is not None
    assert len(root.pairs[1][1].items) == 100


def test_one_value_over_the_budget_stops_at_the_first_alias() -> None:
    with pytest.raises(ComposeError, match=r"^aliases expand to more than 10,000 values") as raised:
        _compose("x: 1\n" + _aliases(101))
    error = raised.value
    assert error.message == (
        "aliases expand to more than 10,000 values (a 'billion laughs' file?); "
        "the first alias is here"
    )
    assert error.mark == Mark(3, 5)
    assert error.hint == "write the values out, or use fewer nested aliases"


def test_a_recursive_alias_is_refused_with_its_remedy() -> None:
    with pytest.raises(
        ComposeError, match=r"^the alias \*r is inside the value it names"
    ) as raised:
        _compose("a: 1\nb: &r\n  c: *r\n")
    error = raised.value
    assert error.message == "the alias *r is inside the value it names (a recursive alias)"
    assert error.mark == Mark(3, 6)
    assert error.hint == "an alias may only repeat a value that is complete before it"


def test_an_alias_to_no_anchor_has_no_hint() -> None:
    with pytest.raises(ComposeError, match=r"^the alias \*nope names no anchor$") as raised:
        _compose("a: *nope\n")
    assert (raised.value.mark, raised.value.hint) == (Mark(1, 4), None)


def test_an_alias_of_a_mapping_counts_its_keys_and_values() -> None:
    mapping = "a: &m {a: 0, b: 0, c: 0, d: 0}\n"  # itself, four keys, four values: 9

    def aliases(count: int) -> str:
        return mapping + f"b: [{', '.join(['*m'] * count)}]\n"

    assert _compose(aliases(1111)) is not None  # 9,999 values
    with pytest.raises(ComposeError, match=r"^aliases expand"):
        _compose(aliases(1112))


@pytest.mark.parametrize(("depth", "refused"), [(39, False), (40, True)])
def test_forty_levels_are_the_limit(depth: int, refused: bool) -> None:
    text = "a: " + "[" * depth + "]" * depth + "\n"
    if not refused:
        assert _compose(text) is not None
        return
    with pytest.raises(ComposeError, match=r"^nesting deeper than 40 levels$") as raised:
        _compose(text)
    assert raised.value.mark == Mark(1, 4 + 39)
    assert raised.value.hint == (
        "a config is a few levels deep; check for runaway brackets or indentation"
    )


def test_a_non_specific_tag_is_no_tag() -> None:
    root = _compose("a: ! 12\n")
    assert root is not None
    assert root.pairs[0][1].tag == "tag:yaml.org,2002:int"


def test_an_alias_repeats_a_scalar_as_well_as_a_collection() -> None:
    root = _compose("a: &x 5\nb: *x\nc: &l [1]\nd: *l\n")
    assert root is not None
    values = [value for _, value in root.pairs]
    assert values[1] is values[0] and values[3] is values[2]

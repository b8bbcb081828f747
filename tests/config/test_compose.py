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

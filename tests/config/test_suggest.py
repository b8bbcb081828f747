"""'Did you mean': the same name in other case first, then the closest spelling."""

from __future__ import annotations

import pytest

from reconciler.config.suggest import closest, did_you_mean


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("GROUP", "group"),
        ("Group", "group"),
        ("grop", "group"),
        ("gruop", "group"),
        ("stakeholders", None),
    ],
)
def test_the_closest_known_name(word: str, expected: str | None) -> None:
    assert closest(word, ["action", "group"]) == expected


def test_did_you_mean_reads_as_a_clause_or_nothing() -> None:
    assert did_you_mean("grup", ["group", "groups"]) == "; did you mean 'group'?"
    assert did_you_mean("zzz", ["group"]) == ""

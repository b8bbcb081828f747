"""The plan's parts: the order changes are listed in, and what a conflict's policy does."""

from __future__ import annotations

import pytest

from reconciler.engine.values import Change, Conflict, ConflictPolicy


def _change(action: str, identifier: str, stakeholder_id: str | None = None) -> Change:
    return Change(action, identifier, "Name", (), stakeholder_id)  # type: ignore[arg-type]


def test_creates_come_first_then_updates_each_by_identifier_whatever_its_case() -> None:
    changes = [
        _change("update", "ada@acme.test", "sh_2"),
        _change("create", "Zoe@acme.test"),
        _change("update", "Bo@acme.test", "sh_1"),
        _change("create", "bea@acme.test"),
    ]
    ordered = sorted(changes, key=Change.sort_key)
    assert [(c.action, c.identifier) for c in ordered] == [
        ("create", "bea@acme.test"),
        ("create", "Zoe@acme.test"),
        ("update", "ada@acme.test"),
        ("update", "Bo@acme.test"),
    ]


def test_one_identifier_twice_is_ordered_by_stakeholder_id() -> None:
    twice = [_change("update", "ada@acme.test", "sh_9"), _change("update", "ADA@acme.test", "sh_1")]
    assert [c.stakeholder_id for c in sorted(twice, key=Change.sort_key)] == ["sh_1", "sh_9"]


@pytest.mark.parametrize(
    ("policy", "outcome"),
    [("hr_wins", "hr_value_planned"), ("ledgy_wins", "ledgy_value_kept"), ("review", "held")],
)
def test_a_conflicts_outcome_is_named_by_its_policy(policy: ConflictPolicy, outcome: str) -> None:
    conflict = Conflict("ada@acme.test", "sh_1", "Ada", "name", "Ada L.", "Ada", policy)
    assert conflict.outcome == outcome

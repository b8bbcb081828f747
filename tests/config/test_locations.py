"""Where a finding points: a value, its key, or the nearest written ancestor."""

from __future__ import annotations

import pytest

from reconciler.config.locations import START, Position, SourceMap, dotted
from reconciler.config.yamltree import parse

TEXT = """\
ledgy:
  company: Acme Ltd
  workbook:
    export: e.xlsx
    headers: {stakeholder_id: ID}
tags: [a, b]
"""

MAP = parse(TEXT, "company.yaml").source_map


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("ledgy", "company"), Position(2, 12)),
        (("ledgy", "workbook", "state"), Position(4, 5)),
        (("ledgy", "workbook", "headers", "role", "deeper"), Position(5, 14)),
        (("tags", 1), Position(6, 11)),
        (("nowhere", "at", "all"), Position(1, 1)),
    ],
)
def test_a_value_or_its_nearest_written_ancestor(
    path: tuple[str | int, ...], where: Position
) -> None:
    assert MAP.value(path) == where


def test_a_key_is_found_where_it_is_written_else_its_value() -> None:
    assert MAP.key(("ledgy", "workbook")) == Position(3, 3)
    assert MAP.key(("tags", 0)) == Position(6, 8)


def test_a_finding_about_a_container_points_at_its_key() -> None:
    assert MAP.finding(("ledgy", "workbook")) == Position(3, 3)
    assert MAP.finding(("ledgy", "company")) == Position(2, 12)
    assert MAP.finding(("ledgy", "company"), at_key=True) == Position(2, 3)


def test_holds_only_what_the_document_has() -> None:
    assert MAP.holds(("ledgy", "company"))
    assert not MAP.holds(("ledgy", "workbook", "state"))


def test_an_empty_map_points_at_the_start() -> None:
    assert SourceMap().value(("a", "b")) == START == Position(1, 1)


def test_paths_read_as_written() -> None:
    assert dotted(("stakeholders", "sync_if", 0, "in", 2)) == "stakeholders.sync_if[0].in[2]"
    assert dotted((0, "a")) == "[0].a"
    assert dotted(()) == ""

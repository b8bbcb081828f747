"""Repeated warnings as one group, and who each line is about. Pure.

Thirty-six employees without a country code on their mobile number are one
finding, not thirty-six: the text plan, the Markdown plan and the comment show a
warning code once, with a count and the people it concerns folded below. Two
employees who share a work email would read as the same person twice, so a list
that names one identifier more than once adds each one's CharlieHR id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reconciler.engine.values import PlanWarning


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one code; ``message`` is set when they all say the same."""

    code: str
    warnings: tuple[PlanWarning, ...]
    message: str | None

    @property
    def count(self) -> int:
        """How many warnings the group holds."""
        return len(self.warnings)


def group_warnings(warnings: Sequence[PlanWarning]) -> list[WarningGroup]:
    """One group per code, the largest first, then by code."""
    by_code: dict[str, list[PlanWarning]] = defaultdict(list)
    for warning in warnings:
        by_code[warning.code].append(warning)
    groups = [
        WarningGroup(code, tuple(items), _shared_message(items)) for code, items in by_code.items()
    ]
    return sorted(groups, key=lambda g: (-g.count, g.code))


def _shared_message(items: Sequence[PlanWarning]) -> str | None:
    messages = {w.message for w in items}
    return items[0].message if len(messages) == 1 else None


def shared_identifiers(people: Iterable[tuple[str | None, str | None]]) -> frozenset[str]:
    """Identifiers (case-folded) that two different employees of a list carry.

    ``people`` are (identifier, CharlieHR id) pairs, one per line of the list.
    """
    ids: dict[str, set[str]] = defaultdict(set)
    for identifier, employee_id in people:
        if identifier and employee_id:
            ids[identifier.casefold()].add(employee_id)
    return frozenset(key for key, found in ids.items() if len(found) > 1)


def who(
    identifier: str | None,
    employee_id: str | None,
    shared: frozenset[str],
    show: Callable[[str], str],
) -> str:
    """An identifier, with the CharlieHR id when another line names the same one.

    ``show`` renders one value (inline code in Markdown, escaped text on a terminal).
    """
    if not identifier:
        return f"employee {show(employee_id)}" if employee_id else ""
    if identifier.casefold() in shared and employee_id:
        return f"{show(identifier)} (CharlieHR {show(employee_id)})"
    return show(identifier)

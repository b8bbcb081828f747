"""Sync-if rules: AND across rules, OR within a rule's accepted values. Pure.

Strings compare case-insensitively after trimming (and collapsing inner spaces);
countries compare as ISO codes; a missing value never matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reconciler.config.model import Rule
from reconciler.domain.countries import to_alpha2
from reconciler.domain.employee import Employee


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule applied to one employee."""

    index: int
    field: str
    value: Any
    accepted: tuple[object, ...]
    passed: bool


def comparable(field: str, value: object) -> str | None:
    """The form values of ``field`` are compared in."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = " ".join(str(value).split())
    if not text:
        return None
    if field == "country":
        # Employees hold alpha-2 codes already; only other spellings need a lookup.
        return text.upper() if len(text) == 2 else (to_alpha2(text) or text).upper()
    return text.casefold()


@cache
def _accepted(rule: Rule) -> frozenset[str | None]:
    return frozenset(comparable(rule.field, v) for v in rule.in_)


def passes(rule: Rule, employee: Employee) -> bool:
    """Say whether the employee's value is one of the rule's accepted values."""
    return _admits(rule.field, _accepted(rule), employee)


def _admits(field: str, accepted: frozenset[str | None], employee: Employee) -> bool:
    value = comparable(field, employee.value(field))
    return value is not None and value in accepted


def evaluate(rules: Sequence[Rule], employee: Employee) -> list[RuleResult]:
    """Every rule's result, for ``explain``."""
    return [
        RuleResult(i, r.field, employee.value(r.field), r.in_, passes(r, employee))
        for i, r in enumerate(rules)
    ]


def first_failure(rules: Sequence[Rule], employee: Employee) -> int | None:
    """The index of the first rule the employee fails, or ``None`` when all pass."""
    return failure_finder(rules)(employee)


def failure_finder(rules: Sequence[Rule]) -> Callable[[Employee], int | None]:
    """:func:`first_failure` for many employees, each rule's accepted values found once.

    Looking them up per employee hashed the pydantic rule every time: a fifth of the
    desired state's time at 10,000 employees.
    """
    checks = [(index, rule.field, _accepted(rule)) for index, rule in enumerate(rules)]

    def first(employee: Employee) -> int | None:
        for index, field, accepted in checks:
            if not _admits(field, accepted, employee):
                return index
        return None

    return first

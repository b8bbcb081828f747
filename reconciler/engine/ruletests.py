"""The config's own rule tests (``tests:``), run offline. Pure.

Each test gives a fixture employee in canonical HR fields and the outcome it
expects. No credentials and no network are needed, so fork pull requests can
check a config change's intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from reconciler.config.model import Config, RuleTest
from reconciler.domain.countries import to_alpha2
from reconciler.domain.employee import Employee, dated_status
from reconciler.domain.fields import CATALOGUE, RAW_PREFIX
from reconciler.domain.stakeholder import as_text
from reconciler.engine.desired import field_sources, outcome


@dataclass(frozen=True)
class RuleTestResult:
    """One test's verdict, and what differed."""

    name: str
    failures: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures


def fixture_employee(index: int, data: Mapping[str, Any], today: date) -> Employee:
    """An employee from a test's canonical fields, typed and dated as the source would:
    a past termination date makes a leaver, a future start date a future starter."""
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith(RAW_PREFIX):
            raw[key[len(RAW_PREFIX) :]] = value
        else:
            values[key] = _typed(key, value)
    dated = dated_status(values.get("start_date"), values.get("termination_date"), today)
    values["employment_status"] = dated or values.get("employment_status") or "active"
    return Employee(id=f"test-{index}", raw=MappingProxyType(raw), **values)


def _typed(field: str, value: Any) -> Any:
    kind = CATALOGUE[field].kind
    if value is None:
        return None
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind == "number":
        return float(value)
    if kind == "country":
        return to_alpha2(str(value)) or str(value)
    return value if isinstance(value, date) else str(value)


def run_rule_tests(config: Config, today: date) -> list[RuleTestResult]:
    """Run every test of the config, on ``today`` (dates are judged as a plan would)."""
    sources = field_sources(config.stakeholders)
    return [
        _run(fixture_employee(index, test.employee, today), test, config, sources)
        for index, test in enumerate(config.tests)
    ]


def _run(
    employee: Employee, test: RuleTest, config: Config, sources: Mapping[str, str | None]
) -> RuleTestResult:
    result = outcome(employee, config.stakeholders, sources)
    expect = test.expect
    skip = result.skip
    failures = []
    if result.synced != expect.synced:
        got = "synced" if skip is None else f"skipped ({skip.reason})"
        failures.append(f"expected {'synced' if expect.synced else 'skipped'}, got {got}")
    if expect.reason is not None and (skip is None or skip.reason != expect.reason):
        failures.append(f"expected reason {expect.reason}, got {skip.reason if skip else 'none'}")
    if expect.rule is not None and (skip is None or skip.rule != expect.rule):
        first = skip.rule if skip else None
        failures.append(f"expected rule {expect.rule} to fail first, got {first}")
    values = result.values or {}
    if expect.group is not None and values.get("group") != expect.group:
        failures.append(f"expected group {expect.group}, got {values.get('group')}")
    for field, wanted in expect.fields.items():
        actual = as_text(values.get(field))
        if actual != as_text(wanted):
            failures.append(f"expected {field} = {as_text(wanted)}, got {actual}")
    return RuleTestResult(test.name, tuple(failures))

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.config.model import Rule
from reconciler.domain.employee import Employee
from reconciler.engine.rules import (
    RuleResult,
    comparable,
    evaluate,
    failure_finder,
    first_failure,
    passes,
)
from tests.engine.helpers import employee


def _rule(field: str, *values: Any) -> Rule:
    return Rule.model_validate({"field": field, "in": list(values)})


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (("team", "Design", "Product"), {"team": "design"}, True),  # OR within, case-insensitive
        (("team", "Design"), {"team": "  Design  "}, True),  # trimmed
        (("team", "Design"), {"team": "Sales"}, False),
        (("team", "Design"), {"team": None}, False),  # no value never matches
        (("country", "GB"), {"country": "GB"}, True),
        (("country", "GB"), {"country": "DE"}, False),
        (("start_date", date(2020, 1, 1)), {"start_date": date(2020, 1, 1)}, True),
        (("raw.cost_centre", "CC-1"), {"raw": {"cost_centre": "cc-1"}}, True),
    ],
)
def test_a_rule_accepts_any_of_its_values(
    rule: tuple[Any, ...], value: dict[str, Any], expected: bool
) -> None:
    assert passes(_rule(*rule), employee(1, **value)) is expected


def test_rules_are_anded_and_the_first_failure_is_named() -> None:
    rules = [
        _rule("employment_status", "active"),
        _rule("country", "GB", "DE"),
        _rule("team", "Design"),
    ]
    assert first_failure(rules, employee(1, country="DE", team="Design")) is None
    assert first_failure(rules, employee(1, country="US", team="Sales")) == 1
    assert first_failure(rules, employee(1, employment_status="inactive")) == 0


def test_one_finder_serves_many_employees_each_on_its_own() -> None:
    first = failure_finder([_rule("country", "GB", "DE"), _rule("team", "Design")])
    people = [
        employee(1, country="DE", team="Design"),
        employee(2, country="US", team="Design"),
        employee(3, country="gb", team="Sales"),
        employee(4, country="GB", team="design"),
    ]
    assert [first(p) for p in people] == [None, 0, 1, None]
    assert failure_finder([])(people[1]) is None


TEAMS = ["Design", "design", " Sales ", "Product", None]
COUNTRIES = ["GB", "DE", "FR", "US", None]


def _reference(rules: list[tuple[str, list[Any]]], person: Employee) -> bool:
    """A direct reading of the rule: every rule has some value equal, ignoring case and spaces."""
    for field, accepted in rules:
        value = getattr(person, field)
        if value is None:
            return False
        if not any(str(v).strip().lower() == str(value).strip().lower() for v in accepted):
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(
    rules=st.lists(
        st.one_of(
            st.tuples(
                st.just("team"),
                st.lists(st.sampled_from(["Design", "Sales", "Product", "SALES"]), min_size=1),
            ),
            st.tuples(
                st.just("country"), st.lists(st.sampled_from(["GB", "DE", "FR", "US"]), min_size=1)
            ),
        ),
        max_size=3,
    ),
    team=st.sampled_from(TEAMS),
    country=st.sampled_from(COUNTRIES),
)
def test_the_evaluator_agrees_with_a_direct_reference(
    rules: list[tuple[str, list[Any]]], team: str | None, country: str | None
) -> None:
    person = employee(1, team=team, country=country)
    compiled = [_rule(field, *values) for field, values in rules]
    assert (first_failure(compiled, person) is None) == _reference(rules, person)


@pytest.mark.parametrize(
    ("field", "value", "form"),
    [
        ("team", None, None),
        ("team", "   ", None),
        ("team", "  Product   Design ", "product design"),
        ("team", "STRASSE", "strasse"),
        ("raw.remote", True, "true"),
        ("raw.remote", False, "false"),
        ("pay_rate", 50000.0, "50000"),
        ("pay_rate", 0.0, "0"),
        ("pay_rate", 2.5, "2.5"),
        ("raw.level", 3, "3"),
        ("start_date", date(2020, 1, 2), "2020-01-02"),
        ("country", "gb", "GB"),
        ("country", "Germany", "DE"),
        ("country", "united kingdom", "GB"),
        ("country", "Atlantis", "ATLANTIS"),
        ("country", "uk", "UK"),  # two letters are taken as a code, never looked up
        ("country", "deu", "DE"),  # an alpha-3 code is looked up
    ],
)
def test_values_compare_in_one_form(field: str, value: Any, form: str | None) -> None:
    assert comparable(field, value) == form


def test_the_evaluator_reports_every_rule_with_its_index_value_and_result() -> None:
    rules = [_rule("country", "DE"), _rule("team", "Sales", "Ops"), _rule("raw.level", 3)]
    person = employee(1, country="DE", team="Design", raw={"level": 3.0})
    assert evaluate(rules, person) == [
        RuleResult(0, "country", "DE", ("DE",), True),
        RuleResult(1, "team", "Design", ("Sales", "Ops"), False),
        RuleResult(2, "raw.level", 3.0, (3,), True),
    ]
    assert evaluate([], person) == []

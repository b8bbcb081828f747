"""Rule tests judge a fixture employee as a real plan judges a CharlieHR record."""

from __future__ import annotations

from datetime import date

from reconciler.config.model import Config
from reconciler.engine.ruletests import fixture_employee, run_rule_tests
from tests.engine.helpers import BASE

TODAY = date(2025, 6, 1)


def _config(employee: dict[str, object], expect: dict[str, object], **people: object) -> Config:
    test = {"name": "case", "employee": employee, "expect": expect}
    return Config.model_validate({**BASE, "stakeholders": people, "tests": [test]})


def test_a_past_end_date_makes_a_leaver_as_in_a_plan() -> None:
    conf = _config(
        {"work_email": "a@acme.test", "termination_date": "2025-01-31"},
        {"synced": False, "reason": "terminated"},
        terminated={"action": "skip"},
    )
    (result,) = run_rule_tests(conf, TODAY)
    assert result.passed, result.failures


def test_a_future_start_date_makes_a_future_starter() -> None:
    employee = fixture_employee(0, {"work_email": "a@acme.test", "start_date": "2025-09-01"}, TODAY)
    assert employee.employment_status == "pending"


def test_dates_win_over_a_stated_status() -> None:
    data = {
        "work_email": "a@acme.test",
        "employment_status": "active",
        "termination_date": "2024-12-31",
    }
    assert fixture_employee(0, data, TODAY).employment_status == "inactive"

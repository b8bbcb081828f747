"""Rule tests judge a fixture employee as a real plan judges a CharlieHR record."""

from __future__ import annotations

from collections.abc import Mapping
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


def _failures(
    employee: Mapping[str, object], expect: Mapping[str, object], **people: object
) -> tuple[str, ...]:
    (result,) = run_rule_tests(_config(dict(employee), dict(expect), **people), TODAY)
    return result.failures


def test_a_synced_employee_expected_skipped_names_both_outcomes() -> None:
    failures = _failures({"work_email": "a@acme.test"}, {"synced": False, "reason": "sync_if"})
    assert failures == (
        "expected skipped, got synced",
        "expected reason sync_if, got none",
    )


def test_a_skipped_employee_expected_synced_names_the_skip_reason() -> None:
    rules = [{"field": "country", "in": ["DE"]}]
    employee = {"work_email": "a@acme.test", "country": "GB"}
    failures = _failures(employee, {"synced": True}, sync_if=rules)
    assert failures == ("expected synced, got skipped (sync_if)",)


def test_the_wrong_reason_and_the_wrong_first_rule_are_both_reported() -> None:
    rules = [{"field": "country", "in": ["GB"]}, {"field": "country", "in": ["DE"]}]
    employee = {"work_email": "a@acme.test", "country": "GB"}
    expect = {"synced": False, "reason": "terminated", "rule": 0}
    assert _failures(employee, expect, sync_if=rules) == (
        "expected reason terminated, got sync_if",
        "expected rule 0 to fail first, got 1",
    )


def test_a_first_rule_expected_of_a_synced_employee_reports_none() -> None:
    failures = _failures({"work_email": "a@acme.test"}, {"synced": True, "rule": 0})
    assert failures == ("expected rule 0 to fail first, got None",)


def test_the_right_rule_passes() -> None:
    rules = [{"field": "country", "in": ["DE"]}]
    employee = {"work_email": "a@acme.test", "country": "GB"}
    expect = {"synced": False, "reason": "sync_if", "rule": 0}
    assert _failures(employee, expect, sync_if=rules) == ()


def test_group_and_field_expectations_compare_the_mapped_values() -> None:
    employee = {"work_email": "a@acme.test", "job_title": "Engineer"}
    custom = [{"from": "job_title", "to": "Job title"}]
    expect = {
        "synced": True,
        "group": "Founders",
        "fields": {"custom_fields.Job title": "Designer", "email": "a@acme.test"},
    }
    failures = _failures(employee, expect, group="Employees", custom_fields=custom)
    assert failures == (
        "expected group Founders, got Employees",
        "expected custom_fields.Job title = Designer, got Engineer",
    )


def test_fixture_values_are_typed_as_the_source_types_them() -> None:
    data = {
        "work_email": "a@acme.test",
        "birthdate": "1990-02-03",
        "pay_rate": "52000",
        "country": "Germany",
        "job_title": 7,
        "raw.shoe_size": "44",
    }
    employee = fixture_employee(3, data, TODAY)
    assert employee.id == "test-3"
    assert employee.birthdate == date(1990, 2, 3)
    assert employee.pay_rate == 52000.0
    assert employee.country == "DE"
    assert employee.job_title == "7"
    assert employee.raw == {"shoe_size": "44"}
    assert employee.employment_status == "active"


def test_an_unknown_country_is_kept_as_written_and_a_stated_status_stands() -> None:
    data = {"work_email": "a@acme.test", "country": "Atlantis", "employment_status": "pending"}
    employee = fixture_employee(0, data, TODAY)
    assert employee.country == "Atlantis"
    assert employee.employment_status == "pending"

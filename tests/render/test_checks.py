"""The check runs the sync job reports: verdicts, titles, and the plan as their summary."""

from __future__ import annotations

from reconciler.engine.ruletests import RuleTestResult
from reconciler.render.checks import CUT, SUMMARY_LIMIT, plan_check, validation_check
from tests.render.plans import CREATE, UPDATE, plan

WHERE = {"config": "company.yaml", "plan_file": "company.plan.json"}


def test_passing_rule_tests_and_a_safe_plan_are_successes_with_the_plan_as_summary() -> None:
    body = "🔄 **HR changes**\n\nthe plan"
    tests = [RuleTestResult("a leaver lands in Alumni")]
    valid = validation_check("v", tests=tests, plan_body=body, **WHERE)
    planned = plan_check("p", plan=plan((CREATE, UPDATE)), refusal=None, plan_body=body, **WHERE)
    assert (valid.name, valid.conclusion, valid.title) == (
        "v",
        "success",
        "The config is valid; 1 rule tests passed",
    )
    assert (planned.name, planned.conclusion) == ("p", "success")
    assert planned.title == "Plan: 1 to create, 1 to update, 2 unchanged, 0 skipped"
    for report in (valid, planned):
        assert report.summary.endswith(body)
        assert "GitHub starts no workflow for a pull request opened with the workflow's token" in (
            report.summary
        )
        assert "`company.plan.json`" in report.summary


def test_failed_rule_tests_are_listed_escaped_and_fail_the_check() -> None:
    tests = [
        RuleTestResult("ok"),
        RuleTestResult("<b>US</b> is out", ("expected synced: false, got true",)),
    ]
    report = validation_check("v", tests=tests, plan_body="plan", **WHERE)
    assert (report.conclusion, report.title) == ("failure", "1 of 2 rule tests failed")
    assert "<b>" not in report.summary
    assert "false, got true" in report.summary and "&lt;b&gt;US" in report.summary


def test_an_unsafe_plan_fails_its_check_and_says_why() -> None:
    report = plan_check(
        "p",
        plan=plan((CREATE,)),
        refusal="3 creates, more than max_creates (1)",
        plan_body="x",
        **WHERE,
    )
    assert report.conclusion == "failure" and report.title.startswith("Unsafe plan: 1 to create")
    assert "⛔ **Unsafe plan**: 3 creates, more than max\\_creates (1)" in report.summary


def test_a_summary_past_githubs_limit_is_cut_and_says_so() -> None:
    report = plan_check("p", plan=plan(), refusal=None, plan_body="x" * SUMMARY_LIMIT, **WHERE)
    assert len(report.summary) == SUMMARY_LIMIT and report.summary.endswith(CUT)
    fits = plan_check("p", plan=plan(), refusal=None, plan_body="x" * 60_000, **WHERE)
    assert not fits.summary.endswith(CUT)

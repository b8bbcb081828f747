"""The check runs the sync job reports on the head commit of its pull request.

GitHub starts no workflow for a pull request opened with the workflow's own token
(https://docs.github.com/en/actions/concepts/security/github_token), so the plan
workflow's jobs, whose checks branch protection requires, never run there. The sync
job has done their work itself: it validated the config, ran its rule tests and made
the plan. It reports each under the name the job's check has, with the plan as its
summary, and a failure as a failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reconciler.engine.plan import Plan
from reconciler.engine.ruletests import RuleTestResult
from reconciler.render.markdown import code, escape
from reconciler.render.values import summary_line

SUMMARY_LIMIT = 65_535
"""GitHub's limit on a check run's ``output.summary``."""
CUT = "\n\n> The plan is cut here: the pull request and the sync run's job summary show all of it."

Conclusion = Literal["success", "failure"]


@dataclass(frozen=True, slots=True)
class CheckReport:
    """One finished check run: its name, verdict, one-line title and Markdown summary."""

    name: str
    conclusion: Conclusion
    title: str
    summary: str


def _why(config: str, plan_file: str) -> str:
    return (
        "Reported by the sync job: GitHub starts no workflow for a pull request opened "
        "with the workflow's token, so the sync job did this check's work itself, on "
        f"{code(config)} as the base branch has it (this pull request changes only "
        f"{code(plan_file)}). A push to this branch runs the plan workflow as usual."
    )


def _summary(parts: Sequence[str]) -> str:
    text = "\n\n".join(parts)
    if len(text) <= SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - len(CUT)] + CUT


def validation_check(
    name: str, *, config: str, plan_file: str, tests: Sequence[RuleTestResult], plan_body: str
) -> CheckReport:
    """The "validate and rule tests" check: the config loaded, and its rule tests' verdict."""
    failed = [t for t in tests if not t.passed]
    if failed:
        title = f"{len(failed)} of {len(tests)} rule tests failed"
        lines = [f"- **{escape(t.name)}**: " + "; ".join(map(escape, t.failures)) for t in failed]
        verdict = f"❌ {title}:\n\n" + "\n".join(lines)
    else:
        title = f"The config is valid; {len(tests)} rule tests passed"
        verdict = f"✅ {title}."
    conclusion: Conclusion = "failure" if failed else "success"
    return CheckReport(
        name, conclusion, title, _summary([verdict, _why(config, plan_file), plan_body])
    )


def plan_check(
    name: str,
    *,
    plan: Plan,
    config: str,
    plan_file: str,
    refusal: str | None,
    plan_body: str,
) -> CheckReport:
    """The "plan comment" check: the plan, failed when it is unsafe (as the plan job fails)."""
    if refusal is not None:
        title = f"Unsafe plan: {summary_line(plan)}"
        verdict = f"⛔ **Unsafe plan**: {escape(refusal)}"
        conclusion: Conclusion = "failure"
    else:
        title = f"Plan: {summary_line(plan)}"
        verdict = f"✅ {title}, in the body of this pull request."
        conclusion = "success"
    return CheckReport(
        name, conclusion, title, _summary([verdict, _why(config, plan_file), plan_body])
    )


def every_config_check(name: str, reports: Sequence[CheckReport]) -> CheckReport:
    """With several configs, the check that reports once every config's jobs are done:
    failed when one of ``reports`` failed (the sync pull request plans one config)."""
    failed = [report.name for report in reports if report.conclusion == "failure"]
    if failed:
        title = f"Failed: {', '.join(failed)}"
        return CheckReport(name, "failure", title, f"⛔ {escape(title)}")
    title = "Every config's checks passed"
    return CheckReport(name, "success", title, f"✅ {title}: {', '.join(r.name for r in reports)}")

"""What a merge requires of the GitHub emulator's checks and statuses.

A merge (``PUT /pulls/{n}/merge``) is refused with 405 while a status check that
branch protection or an active ruleset requires has not passed on the head commit:
passed means its latest check run of that name concluded ``success``, ``neutral`` or
``skipped`` (a skipped job reports success,
https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/collaborating-on-repositories-with-code-quality-features/about-status-checks),
and its latest status of that context, if any, is ``success``. A check pinned to an
app (``app_id`` in branch protection, ``integration_id`` in a ruleset) counts only
that app's check runs and statuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.domain.json import Json
from reconciler.sandbox.github_api import Reply, invalid
from reconciler.sandbox.github_checks import PASSING, latest_runs, latest_statuses
from reconciler.sandbox.github_rules import applies

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

ANY_SOURCE = -1
"""``app_id`` of a required check that any source may set (GitHub's "any source")."""


def required_checks(data: GitHubData, branch: str) -> list[tuple[str, int | None, bool]]:
    """Every status check a merge into ``branch`` needs: ``(context, app id or None,
    from a ruleset)``, from branch protection and the active rulesets on the branch."""
    found: list[tuple[str, int | None, bool]] = []
    checks = data.protection.get(branch, {}).get("required_status_checks") or {}
    for check in checks.get("checks") or []:
        found.append((str(check["context"]), check.get("app_id"), False))
    for ruleset in data.rulesets:
        if ruleset["enforcement"] != "active" or not applies(
            ruleset, branch, data.git.default_branch
        ):
            continue
        for rule in ruleset["rules"]:
            if rule["type"] != "required_status_checks":
                continue
            for check in rule["parameters"]["required_status_checks"]:
                found.append((str(check["context"]), check.get("integration_id"), True))
    return found


def _verdict(data: GitHubData, sha: str, context: str, app_id: int | None) -> str:
    """``passed``, ``failing`` or ``expected`` (not reported, or not finished)."""

    def counts(app: int | None) -> bool:
        return app_id in (None, ANY_SOURCE) or app == app_id

    runs = [
        r
        for r in latest_runs(r for r in data.check_runs if r["head_sha"] == sha)
        if r["name"] == context and counts(r["app"]["id"])
    ]
    statuses = [
        s
        for s in latest_statuses(data.statuses.get(sha, []))
        if s["context"] == context and counts(data.status_apps.get(s["id"]))
    ]
    if any(r["status"] == "completed" and r["conclusion"] not in PASSING for r in runs) or any(
        s["state"] in ("error", "failure") for s in statuses
    ):
        return "failing"
    done = [r for r in runs if r["status"] == "completed"] + [
        s for s in statuses if s["state"] == "success"
    ]
    if not done or len(done) < len(runs) + len(statuses):
        return "expected"
    return "passed"


def merge_refusal(data: GitHubData, pr: Json) -> Reply | None:
    """GitHub's 405 for a merge whose required checks have not passed on the head."""
    sha = pr["head"]["sha"]
    for context, app_id, ruleset in required_checks(data, pr["base"]["ref"]):
        verdict = _verdict(data, sha, context, app_id)
        if verdict == "passed":
            continue
        said = f'Required status check "{context}" is {verdict}.'
        if ruleset:
            said = f"Repository rule violations found\n\n{said}\n\n"
        return invalid(said, 405)
    return None

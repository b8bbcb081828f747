"""doctor's checklist: each missing setting is named with what to do; nothing is guessed."""

from __future__ import annotations

from dataclasses import replace

from reconciler.scaffold.checklist import (
    GITHUB_ACTIONS_APP,
    Expected,
    Finding,
    Protection,
    RepoSettings,
    Workflow,
    findings,
    ledgy_state,
    merged,
)
from reconciler.scaffold.files import PLAN_CHECKS

SECRETS = ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET")
ALL = frozenset({*SECRETS, "RECONCILER_PLAN_KEY"})
FROM_ACTIONS = tuple((c, GITHUB_ACTIONS_APP) for c in PLAN_CHECKS)
"""The plan workflow's checks, each from GitHub Actions (as SETUP.md says)."""
READY = RepoSettings(
    branch="main",
    environments=frozenset({"reconciler-plan", "reconciler-apply"}),
    environment_secrets={"reconciler-plan": ALL, "reconciler-apply": ALL},
    protection=Protection(contexts=PLAN_CHECKS, approvals=1, code_owners=True, pinned=FROM_ACTIONS),
    restricted=frozenset({"reconciler-apply"}),
    workflow=Workflow(default_write=False, may_create_pull_requests=True),
)


def _by_status(settings: RepoSettings) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings(settings, Expected(secrets=SECRETS)):
        grouped.setdefault(finding.status, []).append(finding)
    return grouped


def _missing(settings: RepoSettings) -> list[str]:
    return [f.what for f in _by_status(settings).get("missing", [])]


def test_a_ready_repository_has_nothing_missing() -> None:
    grouped = _by_status(READY)
    assert set(grouped) == {"ok"}
    assert len(grouped["ok"]) == 2 + 1 + 2 * 3 + 1 + 1 + 2 + 1


def test_a_missing_environment_is_named_and_its_secrets_not_checked() -> None:
    settings = replace(
        READY,
        branch="trunk",
        environments=frozenset({"reconciler-plan"}),
        environment_secrets={"reconciler-plan": ALL},
    )
    (finding,) = [f for f in findings(settings, Expected(SECRETS)) if f.status != "ok"]
    assert finding.what == "environment reconciler-apply"
    assert finding.remedy and "deployment branches: trunk only" in finding.remedy


def test_each_missing_secret_is_named_per_environment() -> None:
    settings = replace(
        READY,
        environment_secrets={
            "reconciler-plan": frozenset({"CHARLIEHR_CLIENT_ID"}),
            "reconciler-apply": ALL,
        },
    )
    assert _missing(settings) == ["secret CHARLIEHR_CLIENT_SECRET in environment reconciler-plan"]
    advice = _by_status(settings)["advice"]
    assert [a.what for a in advice] == ["secret RECONCILER_PLAN_KEY in environment reconciler-plan"]


def test_a_secret_kept_only_at_repository_level_is_explained() -> None:
    settings = replace(
        READY,
        environment_secrets={"reconciler-plan": frozenset(), "reconciler-apply": ALL},
        repo_secrets=frozenset(SECRETS),
    )
    missing = _by_status(settings)["missing"]
    assert len(missing) == 2
    assert all("reusable workflows do not see" in (m.remedy or "") for m in missing)


def test_an_unprotected_branch_is_missing() -> None:
    settings = replace(READY, protection=None)
    assert _missing(settings) == ["protection of main"]


def test_missing_checks_and_approvals_are_each_named() -> None:
    settings = replace(
        READY,
        protection=Protection(
            contexts=(PLAN_CHECKS[0], "ci / lint"), approvals=0, pinned=FROM_ACTIONS
        ),
    )
    assert _missing(settings) == [
        f"required status check '{PLAN_CHECKS[1]}'",
        "required approvals: 0",
    ]
    assert [a.what for a in _by_status(settings)["advice"]] == [
        "required status check 'ci / lint' never reports on the sync pull request",
        "review from code owners is not required",
    ]


def test_a_check_from_another_app_is_missing_the_sync_job_reports_as_github_actions() -> None:
    elsewhere = Protection(
        contexts=PLAN_CHECKS,
        approvals=1,
        code_owners=True,
        pinned=((PLAN_CHECKS[0], GITHUB_ACTIONS_APP), (PLAN_CHECKS[1], 4242)),
    )
    (finding,) = [
        f
        for f in findings(replace(READY, protection=elsewhere), Expected(SECRETS))
        if f.status != "ok"
    ]
    assert (finding.status, finding.what) == (
        "missing",
        f"required status check '{PLAN_CHECKS[1]}' from GitHub Actions",
    )
    assert finding.remedy is not None and "it expects app 4242" in finding.remedy
    assert finding.remedy.startswith("Settings > Branches > branch protection rule for main")


def test_checks_any_source_may_set_are_advice_to_pin_them_to_github_actions() -> None:
    anyone = Protection(contexts=PLAN_CHECKS, approvals=1, code_owners=True)
    (advice,) = _by_status(replace(READY, protection=anyone))["advice"]
    assert advice.what == f"required status checks from any source: {', '.join(PLAN_CHECKS)}"
    assert "anyone who may push can pass them with a commit status" in (advice.remedy or "")


def test_a_check_no_workflow_reports_on_the_sync_pull_request_is_advice() -> None:
    extra = Protection(
        contexts=(*PLAN_CHECKS, "ci / lint"), approvals=1, code_owners=True, pinned=FROM_ACTIONS
    )
    (advice,) = _by_status(replace(READY, protection=extra))["advice"]
    assert advice.what == "required status check 'ci / lint' never reports on the sync pull request"
    assert advice.remedy is not None
    assert "GitHub starts no workflow for a pull request opened with the workflow's token" in (
        advice.remedy
    )
    assert f"the sync job reports only '{PLAN_CHECKS[0]}' and '{PLAN_CHECKS[1]}'" in advice.remedy


def test_what_the_token_could_not_read_is_unknown_never_ok_or_missing() -> None:
    settings = replace(
        READY,
        environment_secrets={"reconciler-plan": "403 not allowed", "reconciler-apply": ALL},
        repo_secrets="403 not allowed",
        protection="403 not allowed",
    )
    unknown = _by_status(settings)["unknown"]
    assert [u.what for u in unknown] == [
        "secret CHARLIEHR_CLIENT_ID in environment reconciler-plan",
        "secret CHARLIEHR_CLIENT_SECRET in environment reconciler-plan",
        "secret RECONCILER_PLAN_KEY in environment reconciler-plan",
        "protection of main",
    ]
    assert all("admin" in (u.remedy or "") for u in unknown)
    assert "missing" not in _by_status(settings)


def test_unreadable_environments_make_every_environment_unknown() -> None:
    settings = RepoSettings(branch="main", environments="403", protection=READY.protection)
    assert [f.status for f in findings(settings, Expected(SECRETS))][:2] == ["unknown", "unknown"]


def test_the_workbook_driver_needs_an_encrypted_export_for_ci() -> None:
    assert ledgy_state("api", 0) == ()
    assert [f.status for f in ledgy_state("workbook", 2)] == ["ok"]
    (missing,) = ledgy_state("workbook", 0)
    assert missing.status == "missing" and "ledgy-state update" in (missing.remedy or "")


def test_an_apply_environment_any_branch_may_deploy_to_is_missing_its_policy() -> None:
    settings = replace(READY, restricted=frozenset())
    assert _missing(settings) == ["only chosen branches deploy to reconciler-apply"]


def test_actions_that_may_not_create_pull_requests_break_the_sync_workflow() -> None:
    settings = replace(READY, workflow=Workflow(default_write=True, may_create_pull_requests=False))
    assert _missing(settings) == ["Actions may create pull requests (the sync workflow opens one)"]
    assert [a.what for a in _by_status(settings)["advice"]] == [
        "the default GITHUB_TOKEN may write"
    ]
    unreadable = replace(READY, workflow="403")
    assert [f.what for f in _by_status(unreadable)["unknown"]] == [
        "Actions may create pull requests (the sync workflow opens one)"
    ]


# -- rulesets with or instead of branch protection ----------------------------

RULESET = Protection(
    contexts=PLAN_CHECKS,
    approvals=1,
    code_owners=True,
    source="ruleset 'Main'",
    pinned=FROM_ACTIONS,
)


def test_a_ruleset_alone_protects_the_branch() -> None:
    settings = replace(READY, protection=None, rulesets=(RULESET,))
    grouped = _by_status(settings)
    assert set(grouped) == {"ok"}
    assert "protection of main (ruleset 'Main')" in [f.what for f in grouped["ok"]]


def test_what_several_rules_require_is_merged_strictest_first() -> None:
    classic = Protection(contexts=(PLAN_CHECKS[0],), approvals=1, pinned=FROM_ACTIONS[:1])
    reviews = Protection(approvals=2, code_owners=True, source="ruleset 'Reviews'")
    checks = Protection(
        contexts=(PLAN_CHECKS[1], "lint"), source="ruleset 'Checks'", pinned=FROM_ACTIONS[1:]
    )
    assert merged([classic, reviews, checks]) == Protection(
        contexts=tuple(sorted({*PLAN_CHECKS, "lint"})),
        approvals=2,
        code_owners=True,
        source="branch protection, ruleset 'Reviews', ruleset 'Checks'",
        pinned=tuple(sorted(FROM_ACTIONS)),
    )
    settings = replace(READY, protection=classic, rulesets=(reviews, checks))
    assert set(_by_status(settings)) == {"ok", "advice"}  # "lint" never reports on sync PRs
    assert [a.what for a in _by_status(settings)["advice"]] == [
        "required status check 'lint' never reports on the sync pull request"
    ]


def test_a_shortfall_is_unknown_not_missing_while_branch_protection_is_unreadable() -> None:
    partial = Protection(approvals=1, code_owners=True, source="ruleset 'Reviews'")
    settings = replace(READY, protection="403 Must have admin rights", rulesets=(partial,))
    unknown = _by_status(settings)["unknown"]
    assert [u.what for u in unknown] == [f"required status check '{c}'" for c in PLAN_CHECKS]
    assert all(
        (u.remedy or "").startswith("Settings > Rules > Rulesets > 'Reviews' > Require status")
        and "403 Must have admin rights" in (u.remedy or "")
        for u in unknown
    )
    assert "missing" not in _by_status(settings)
    covered = replace(settings, rulesets=(RULESET,))
    assert set(_by_status(covered)) == {"ok"}  # nothing the unread rule could add is lacking


def test_neither_branch_protection_nor_a_ruleset_is_missing_and_says_both_places() -> None:
    (finding,) = [
        f for f in findings(replace(READY, protection=None), Expected(SECRETS)) if f.status != "ok"
    ]
    assert finding.what == "protection of main"
    assert finding.remedy is not None
    assert (
        "Settings > Rules > Rulesets" in finding.remedy and "Settings > Branches" in finding.remedy
    )


def test_unreadable_rulesets_and_no_branch_protection_are_unknown() -> None:
    settings = replace(READY, protection=None, rulesets="404 Not Found")
    (finding,) = _by_status(settings)["unknown"]
    assert finding.what == "protection of main" and "404 Not Found" in (finding.remedy or "")


def test_a_ruleset_that_is_not_enforced_is_advice() -> None:
    settings = replace(READY, inactive_rulesets=("'Trial' (evaluate)", "'Old' (disabled)"))
    advice = _by_status(settings)["advice"]
    assert [a.what for a in advice] == [
        "ruleset 'Trial' (evaluate) is not enforced",
        "ruleset 'Old' (disabled) is not enforced",
    ]
    assert advice[0].remedy == (
        "Settings > Rules > Rulesets > 'Trial' > Enforcement status: Active, "
        "if it is meant to protect main"
    )

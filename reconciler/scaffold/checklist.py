"""What an adopter's repository still lacks, given its settings as GitHub reports them.

Pure: ``reconciler doctor`` reads the settings (where its token may) into
:class:`RepoSettings`, and :func:`findings` compares them with what the scaffolded
workflows need. A branch may be protected by a classic branch protection rule, by
repository rulesets, or both; GitHub enforces all of them, so what they require
together is what counts. Every check has three outcomes: in place, missing (with what to do),
or unknown because the token could not read it (with the permission that would).

The required status checks are the plan workflow's, and GitHub Actions must be their
source: the sync pull request, which no workflow runs on, gets them from the sync job,
which reports them as GitHub Actions (with the workflow's token). With a job per config
(reconciler.yaml) the one to require is ``reconciler plan``, which reports on every pull
request; a required check the plan workflow no longer reports, or reports only for one
config, would hold up pull requests for ever, and is missing until it is removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from reconciler.scaffold.files import (
    ALL_PLANS_CHECK,
    APPLY_ENVIRONMENT,
    PLAN_CHECKS,
    PLAN_ENVIRONMENT,
    RECOMMENDED_SECRETS,
)

Status = Literal["ok", "missing", "unknown", "advice"]
Unreadable = str
"""Why a setting could not be read (the API's answer), in place of its value."""

SECRETS_PERMISSION = (
    "use a token of a repository admin (fine-grained: Secrets and Environments: read)"
)
PROTECTION_PERMISSION = "use a token of a repository admin (fine-grained: Administration: read)"
BRANCH_PROTECTION = "branch protection"
GITHUB_ACTIONS_APP = 15368
"""The GitHub Actions app: the source of the checks workflows and the sync job report."""
_CONFIG_CHECK = re.compile(rf"{re.escape(ALL_PLANS_CHECK)} ([a-z0-9][a-z0-9-]*) / ")
"""A check of one config's plan jobs: ``reconciler plan beta / plan comment``."""


@dataclass(frozen=True, slots=True)
class Protection:
    """The parts of a branch's protection the loop relies on, and where they are set."""

    contexts: tuple[str, ...] = ()
    approvals: int = 0
    code_owners: bool = False
    source: str = BRANCH_PROTECTION
    """``branch protection`` (the classic rule) or ``ruleset 'NAME'``."""
    pinned: tuple[tuple[str, int], ...] = ()
    """Required checks that only one GitHub App may set: ``(context, app id)``; a check
    not listed accepts any source."""


@dataclass(frozen=True, slots=True)
class RepoSettings:
    """The repository's settings as read, each value or why it could not be read."""

    branch: str
    environments: frozenset[str] | Unreadable
    environment_secrets: Mapping[str, frozenset[str] | Unreadable] = field(default_factory=dict)
    repo_secrets: frozenset[str] | Unreadable = frozenset()
    protection: Protection | Unreadable | None = None
    """The classic branch protection rule (``None``: the branch has none)."""
    rulesets: tuple[Protection, ...] | Unreadable = ()
    """What each active ruleset that applies to the branch requires of a merge."""
    inactive_rulesets: tuple[str, ...] = ()
    """Rulesets that exist but are not enforced: ``NAME (evaluate)``, ``NAME (disabled)``."""
    restricted: frozenset[str] = frozenset()
    """Environments only some branches may deploy to (a deployment branch policy)."""
    workflow: Workflow | Unreadable | None = None
    """Settings > Actions > General > Workflow permissions (None: not read)."""


@dataclass(frozen=True, slots=True)
class Workflow:
    """The repository's Actions settings the workflows depend on."""

    default_write: bool
    """The GITHUB_TOKEN is read-write unless a workflow says otherwise."""
    may_create_pull_requests: bool
    """"Allow GitHub Actions to create and approve pull requests" (the sync workflow)."""


@dataclass(frozen=True, slots=True)
class Expected:
    """What the scaffolded workflows need: the secrets come from the config's env/ refs."""

    secrets: tuple[str, ...]
    environments: tuple[str, str] = (PLAN_ENVIRONMENT, APPLY_ENVIRONMENT)
    """The config's plan (and sync) environment, then its apply environment."""
    checks: tuple[str, ...] = PLAN_CHECKS
    """The required checks (:func:`reconciler.scaffold.files.required_checks`)."""
    recommended: tuple[str, ...] = RECOMMENDED_SECRETS
    approvals: int = 1
    config: tuple[Finding, ...] = ()
    """What the config itself lacks for CI (see :func:`ledgy_state`)."""
    matrix: bool = False
    """The plan workflow runs a job per config (reconciler.yaml), not one config."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the checklist."""

    status: Status
    what: str
    remedy: str | None = None


def ledgy_state(driver: str, recipients: int) -> tuple[Finding, ...]:
    """Whether CI can read Ledgy's side: the workbook driver needs an encrypted export."""
    if driver != "workbook":
        return ()
    what = "Ledgy export encrypted in Git (ledgy.workbook.recipients)"
    if recipients:
        return (Finding("ok", what),)
    remedy = (
        "a plaintext export never reaches CI: add age public keys under "
        "ledgy.workbook.recipients and run `reconciler ledgy-state update` (SETUP.md)"
    )
    return (Finding("missing", what, remedy),)


def findings(settings: RepoSettings, expected: Expected) -> list[Finding]:
    """Return the checklist: the config, environments and their secrets, branch protection."""
    return config_findings(settings, expected) + repository_findings(settings, expected)


def config_findings(settings: RepoSettings, expected: Expected) -> list[Finding]:
    """What one config needs: what it lacks itself, its environments and their secrets."""
    found: list[Finding] = list(expected.config)
    for environment in expected.environments:
        found += _environment(settings, expected, environment)
    return found


def repository_findings(settings: RepoSettings, expected: Expected) -> list[Finding]:
    """What every config needs of the repository: Actions' settings, branch protection."""
    return _workflow(settings) + _protection(settings, expected)


def _environment(settings: RepoSettings, expected: Expected, name: str) -> list[Finding]:
    what = f"environment {name}"
    if isinstance(settings.environments, str):
        return [Finding("unknown", what, f"{settings.environments}; {SECRETS_PERMISSION}")]
    applies = name == expected.environments[1]
    if name not in settings.environments:
        remedy = f"Settings > Environments > New environment: {name}"
        if applies:
            remedy += f", deployment branches: {settings.branch} only"
        return [Finding("missing", what, remedy)]
    found = [Finding("ok", what)]
    if applies:
        found.append(_branch_policy(settings, name))
    secrets = settings.environment_secrets.get(name, frozenset())
    for secret in expected.secrets:
        found.append(_secret(settings, name, secrets, secret, required=True))
    for secret in expected.recommended:
        found.append(_secret(settings, name, secrets, secret, required=False))
    return found


def _branch_policy(settings: RepoSettings, name: str) -> Finding:
    what = f"only chosen branches deploy to {name}"
    if name in settings.restricted:
        return Finding("ok", what)
    remedy = (
        f"Settings > Environments > {name} > Deployment branches and tags: "
        f"Selected branches ({settings.branch}), or Protected branches only; otherwise a "
        "workflow on any branch may use its secrets"
    )
    return Finding("missing", what, remedy)


def _workflow(settings: RepoSettings) -> list[Finding]:
    rules = settings.workflow
    what = "Actions may create pull requests (the sync workflow opens one)"
    where = "Settings > Actions > General > Workflow permissions"
    if rules is None:
        return []
    if isinstance(rules, str):
        return [Finding("unknown", what, f"{rules}; {PROTECTION_PERMISSION}")]
    found = [
        Finding("ok", what)
        if rules.may_create_pull_requests
        else Finding(
            "missing", what, f"{where}: Allow GitHub Actions to create and approve pull requests"
        )
    ]
    if rules.default_write:
        found.append(
            Finding(
                "advice",
                "the default GITHUB_TOKEN may write",
                f"{where}: Read repository contents and packages permissions "
                "(each reconciler workflow asks for what it needs)",
            )
        )
    return found


def _secret(
    settings: RepoSettings,
    environment: str,
    secrets: frozenset[str] | Unreadable,
    name: str,
    *,
    required: bool,
) -> Finding:
    what = f"secret {name} in environment {environment}"
    if isinstance(secrets, str):
        return Finding("unknown", what, f"{secrets}; {SECRETS_PERMISSION}")
    if name in secrets:
        return Finding("ok", what)
    remedy = f"Settings > Environments > {environment} > Add environment secret: {name}"
    if not isinstance(settings.repo_secrets, str) and name in settings.repo_secrets:
        remedy += (
            " (it is a repository secret, which the reusable workflows do not see: "
            "they read the environment's)"
        )
    return Finding("missing" if required else "advice", what, remedy)


def merged(parts: list[Protection]) -> Protection:
    """What a merge must satisfy when several rules apply: GitHub enforces each, so the
    strictest count of approvals, every required check, code owners if any asks."""
    return Protection(
        contexts=tuple(sorted({c for p in parts for c in p.contexts})),
        approvals=max((p.approvals for p in parts), default=0),
        code_owners=any(p.code_owners for p in parts),
        source=", ".join(p.source for p in parts),
        pinned=tuple(sorted({pin for p in parts for pin in p.pinned})),
    )


def _place(settings: RepoSettings, parts: list[Protection]) -> str:
    """Where in Settings the requirement is added: the ruleset in use, else the rule."""
    ruleset = next((p.source for p in parts if p.source != BRANCH_PROTECTION), None)
    if ruleset is not None:
        return f"Settings > Rules > Rulesets > {ruleset.removeprefix('ruleset ')}"
    return f"Settings > Branches > branch protection rule for {settings.branch}"


def _protection(settings: RepoSettings, expected: Expected) -> list[Finding]:
    """Branch protection and rulesets together: what the branch requires of a merge.

    A requirement neither has is missing, unless one of them could not be read: then
    it is unknown (the unread one may have it)."""
    branch, what = settings.branch, f"protection of {settings.branch}"
    sources = [settings.protection, *_listed(settings.rulesets)]
    parts = [p for p in sources if isinstance(p, Protection)]
    unread = [p for p in (settings.protection, settings.rulesets) if isinstance(p, str)]
    found = _inactive(settings)
    if not parts:
        if unread:
            reason = f"{'; '.join(unread)}; {PROTECTION_PERMISSION}"
            return [Finding("unknown", what, reason), *found]
        remedy = (
            f"Settings > Rules > Rulesets > New branch ruleset for {branch} (or Settings > "
            f"Branches > branch protection rule): require a pull request, "
            f"{expected.approvals} approval, and status checks"
        )
        return [Finding("missing", what, remedy), *found]
    rules, where = merged(parts), _place(settings, parts)
    short: Status = "unknown" if unread else "missing"
    why = f" ({'; '.join(unread)}; {PROTECTION_PERMISSION})" if unread else ""
    found.insert(0, Finding("ok", f"{what} ({rules.source})"))
    found += _checks(rules, expected, where, short, why)
    if rules.approvals >= expected.approvals:
        found.append(Finding("ok", f"required approvals: {rules.approvals}"))
    else:
        found.append(
            Finding(
                short,
                f"required approvals: {rules.approvals}",
                f"{where} > Require approvals: at least {expected.approvals}{why}",
            )
        )
    if not rules.code_owners:
        found.append(
            Finding(
                "advice",
                "review from code owners is not required",
                f"{where} > Require review from Code Owners (see .github/CODEOWNERS)",
            )
        )
    return found


def _checks(
    rules: Protection, expected: Expected, where: str, short: Status, why: str
) -> list[Finding]:
    """Each check the workflows report, required and from GitHub Actions; no other."""
    found = _never_reported(rules, expected, where)
    apps = dict(rules.pinned)
    for check in expected.checks:
        what = f"required status check '{check}'"
        if check not in rules.contexts:
            remedy = f"{where} > Require status checks: add '{check}'{why}"
            found.append(Finding(short, what, remedy))
        elif apps.get(check, GITHUB_ACTIONS_APP) != GITHUB_ACTIONS_APP:
            remedy = (
                f"{where} > Require status checks: set the source of '{check}' to GitHub "
                f"Actions (it expects app {apps[check]}, which never reports it: the plan "
                "workflow and the sync job report it as GitHub Actions)"
            )
            found.append(Finding("missing", f"{what} from GitHub Actions", remedy))
        else:
            found.append(Finding("ok", what))
    anyone = [c for c in expected.checks if c in rules.contexts and c not in apps]
    if anyone:
        found.append(
            Finding(
                "advice",
                f"required status checks from any source: {', '.join(anyone)}",
                f"{where} > Require status checks: choose GitHub Actions as their source; "
                "otherwise anyone who may push can pass them with a commit status",
            )
        )
    return found + _unreported(rules, expected, where)


def _unreported(rules: Protection, expected: Expected, where: str) -> list[Finding]:
    """Required checks the sync pull request never gets (no workflow runs on it)."""
    reported = " and ".join(f"'{c}'" for c in expected.checks)
    return [
        Finding(
            "advice",
            f"required status check '{check}' never reports on the sync pull request",
            f"GitHub starts no workflow for a pull request opened with the workflow's token, "
            f"and the sync job reports only {reported}: the sync pull request waits for "
            f"'{check}' until someone pushes to its branch ({where} > Require status checks)",
        )
        for check in rules.contexts
        if check not in expected.checks and _why_never(check, expected) is None
    ]


def _never_reported(rules: Protection, expected: Expected, where: str) -> list[Finding]:
    """Required checks the plan workflow does not report on every pull request: each
    would hold up pull requests for ever (typically the two of one config, still
    required after the workflows moved to a job per config)."""
    instead = " and ".join(f"'{c}'" for c in expected.checks if c not in rules.contexts)
    add = f", and add {instead}" if instead else ""
    found: list[Finding] = []
    for check in rules.contexts:
        why = _why_never(check, expected)
        if why is not None:
            found.append(
                Finding(
                    "missing",
                    f"required status check '{check}' is not reported on every pull request",
                    f"{where} > Require status checks: remove '{check}'{add}: {why}, so "
                    "pull requests would wait for it for ever",
                )
            )
    return found


def _why_never(check: str, expected: Expected) -> str | None:
    """Why the plan workflow does not report ``check`` on every pull request, or None
    (a check of the workflows, or one of the repository's other CI)."""
    one = _CONFIG_CHECK.match(check)
    if expected.matrix:
        if check in PLAN_CHECKS:
            return (
                "the plan workflow runs a job per config (reconciler.yaml) and no workflow "
                "reports this check of a single config any more"
            )
        if one is not None:
            return (
                f"it is the check of the config {one.group(1)}'s jobs, reported only on "
                "the pull requests that change that config"
            )
        return None
    if check == ALL_PLANS_CHECK or one is not None:
        return (
            "only plan workflows that run a job per config (reconciler.yaml) report it, "
            "and this one runs a single config"
        )
    return None


def _listed(rulesets: tuple[Protection, ...] | Unreadable) -> tuple[Protection, ...]:
    return () if isinstance(rulesets, str) else rulesets


def _inactive(settings: RepoSettings) -> list[Finding]:
    return [
        Finding(
            "advice",
            f"ruleset {name} is not enforced",
            f"Settings > Rules > Rulesets > {name.rsplit(' (', 1)[0]} > Enforcement status: "
            f"Active, if it is meant to protect {settings.branch}",
        )
        for name in settings.inactive_rulesets
    ]

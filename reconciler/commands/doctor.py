"""``reconciler doctor [CONFIG]``: what this repository's GitHub settings still lack.

Reads, through the GitHub API and only where the token may: the repository (its
default branch), its environments and the names of their secrets (never values),
repository secrets, and what protects the branch merges apply from: its classic
branch protection and the repository's rulesets (the rules in force on the branch,
https://docs.github.com/en/rest/repos/rules). A setting the token cannot read is
reported as unknown, never as in place.

With reconciler.yaml (run at the repository root), a config is checked in its own
environments (:func:`reconciler.config.matrix.environments`), and with no config given
every declared config is; the required check is the one the workflows that run a job
per config report once every config's jobs are done.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from reconciler import concurrency
from reconciler.artifacts.encryption import IDENTITY_VARIABLE
from reconciler.config.index import INDEX_FILE, DeclaredConfig, find_configs, resolve_config
from reconciler.config.load import load_config
from reconciler.config.matrix import environments
from reconciler.config.secrets import Secret, variable_of
from reconciler.engine.siblings import hris_account
from reconciler.errors import GitHubError, ReconcilerError
from reconciler.github.client import GitHubClient
from reconciler.github.models import (
    BranchProtection,
    BranchRule,
    Environment,
    Ruleset,
    WorkflowPermissions,
)
from reconciler.render.escape import term
from reconciler.scaffold.checklist import (
    Expected,
    Finding,
    Protection,
    RepoSettings,
    Unreadable,
    Workflow,
    config_findings,
    findings,
    ledgy_state,
    repository_findings,
)
from reconciler.scaffold.files import MATRIX_MARK, WORKFLOWS, required_checks

T = TypeVar("T")
_REMOTE = re.compile(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
_REPOSITORY = re.compile(r"[\w-][\w.-]*/[\w-][\w.-]*")
_LABELS = {"ok": "ok", "missing": "MISSING", "unknown": "unknown", "advice": "advice"}
NAME_LIMIT = 80


def runs_a_job_per_config(root: Path) -> bool:
    """Whether the plan workflow runs a job per config: the repository has an index, and
    its plan workflow (when there is one to read) calls the matrix workflows."""
    if not (root / INDEX_FILE).is_file():
        return False
    workflow = root / WORKFLOWS / "reconciler-plan.yml"
    try:
        return not workflow.is_file() or MATRIX_MARK in workflow.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True


def expected_of(config: Path, root: Path) -> Expected:
    """What the workflows need for ``config``: its secrets; its own environments when the
    repository has an index; the checks its plan workflow reports."""
    expected = _expected(config)
    matrix = runs_a_job_per_config(root)
    if (root / INDEX_FILE).is_file():
        name = resolve_config(root, str(config)).name
        expected = replace(expected, environments=environments(name))
    return replace(expected, checks=required_checks(matrix), matrix=matrix)


def _expected(config: Path) -> Expected:
    loaded = load_config(config)
    ledgy = loaded.config.ledgy
    refs = [loaded.config.hris.client_id, loaded.config.hris.client_secret]
    if ledgy.api_key is not None:
        refs.append(ledgy.api_key)
    names = [variable_of(ref) for ref in refs]
    recipients = len(ledgy.workbook.recipients) if ledgy.workbook else 0
    if ledgy.driver == "workbook" and recipients:
        names.append(IDENTITY_VARIABLE)
    return Expected(
        secrets=tuple(dict.fromkeys(names)), config=ledgy_state(ledgy.driver, recipients)
    )


def checked_repository(text: str) -> str:
    """Return ``text`` if it is OWNER/NAME, so it cannot reach another API path."""
    if not _REPOSITORY.fullmatch(text) or ".." in text:
        raise ReconcilerError(f"{text!r} is not a repository name", remedy="pass --repo OWNER/NAME")
    return text


def _origin_repository() -> str | None:
    try:
        url = subprocess.run(
            ["git", "remote", "get-url", "origin"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    match = _REMOTE.search(url)
    return match.group(1) if match else None


def _client(repository: str | None) -> GitHubClient:
    token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
    if not token:
        raise ReconcilerError(
            "doctor reads the repository's settings through the GitHub API and needs a token",
            remedy="export GITHUB_TOKEN (e.g. `export GITHUB_TOKEN=$(gh auth token)` as a "
            "repository admin, who may read secrets' names and branch protection)",
        )
    repository = repository or os.environ.get("GITHUB_REPOSITORY") or _origin_repository()
    if not repository:
        raise ReconcilerError(
            "doctor cannot tell which repository to check",
            remedy="pass --repo OWNER/NAME (or run it in a clone whose origin is on GitHub)",
        )
    checked_repository(repository)
    api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    return GitHubClient(api_url, Secret(token), repository)


async def _try(read: Awaitable[T]) -> T | Unreadable:
    try:
        return await read
    except GitHubError as error:
        return error.message


def _ruleset_protection(
    rules: list[BranchRule], rulesets: list[Ruleset] | Unreadable
) -> tuple[Protection, ...]:
    """What each ruleset's rules in force on the branch require of a merge (only the
    rulesets with a ``pull_request`` or ``required_status_checks`` rule)."""
    names = {} if isinstance(rulesets, str) else {r.id: _name(r.name, r.id) for r in rulesets}
    grouped: dict[object, list[BranchRule]] = {}
    for rule in rules:
        if rule.type in ("pull_request", "required_status_checks"):
            grouped.setdefault(rule.ruleset_id, []).append(rule)
    return tuple(
        _from_rules(group, names.get(ident) or _name("", ident)) for ident, group in grouped.items()
    )


def _name(name: str, ident: object) -> str:
    """A ruleset's name as a terminal may show it (an admin chose it: escaped, cut)."""
    return term(name)[:NAME_LIMIT] if name else f"#{term(str(ident))[:20]}"


def _from_rules(rules: list[BranchRule], name: str) -> Protection:
    contexts: set[str] = set()
    pinned: set[tuple[str, int]] = set()
    approvals, code_owners = 0, False
    for rule in rules:
        if rule.type == "pull_request":
            approvals = max(approvals, rule.approvals)
            code_owners = code_owners or rule.code_owners
        else:
            contexts |= set(rule.contexts)
            pinned |= set(rule.pinned)
    return Protection(
        tuple(sorted(contexts)), approvals, code_owners, f"ruleset '{name}'", tuple(sorted(pinned))
    )


def _inactive(rulesets: list[Ruleset] | Unreadable) -> tuple[str, ...]:
    if isinstance(rulesets, str):
        return ()
    return tuple(
        f"'{_name(r.name, r.id)}' ({term(r.enforcement)[:20]})"
        for r in rulesets
        if r.enforcement != "active"
    )


def _protection(rules: BranchProtection) -> Protection:
    return Protection(
        contexts=rules.contexts,
        approvals=rules.approvals,
        code_owners=rules.code_owners,
        pinned=rules.pinned,
    )


async def read_settings(
    client: GitHubClient, branch: str | None, wanted: tuple[str, ...]
) -> RepoSettings:
    """Read what the checklist needs (the secrets of the environments ``wanted``); keep
    why each unreadable part could not be read."""
    branch = branch or (await client.repo()).default_branch
    environments = await _try(client.environments())
    names = (
        environments if isinstance(environments, str) else frozenset(e.name for e in environments)
    )
    secrets: dict[str, frozenset[str] | Unreadable] = {}
    for name in wanted:
        if not isinstance(names, str) and name in names:
            found = await _try(client.environment_secrets(name))
            secrets[name] = found if isinstance(found, str) else frozenset(found)
    repo_secrets = await _try(client.repo_secrets())
    rules = await _try(client.branch_protection(branch))
    in_force = await _try(client.branch_rules(branch))
    rulesets = await _try(client.rulesets())
    workflow = await _try(client.workflow_permissions())
    return RepoSettings(
        branch=branch,
        environments=names,
        environment_secrets=secrets,
        repo_secrets=repo_secrets if isinstance(repo_secrets, str) else frozenset(repo_secrets),
        protection=rules if rules is None or isinstance(rules, str) else _protection(rules),
        rulesets=in_force if isinstance(in_force, str) else _ruleset_protection(in_force, rulesets),
        inactive_rulesets=_inactive(rulesets),
        restricted=_restricted(environments),
        workflow=workflow if isinstance(workflow, str) else _workflow(workflow),
    )


def _restricted(environments: list[Environment] | Unreadable) -> frozenset[str]:
    if isinstance(environments, str):
        return frozenset()
    return frozenset(e.name for e in environments if e.restricted)


def _workflow(rules: WorkflowPermissions) -> Workflow:
    return Workflow(default_write=rules.default_write, may_create_pull_requests=rules.may_approve)


def _print(found: list[Finding]) -> None:
    for finding in found:
        print(f"{_LABELS[finding.status]:<8} {finding.what}")
        if finding.remedy and finding.status != "ok":
            label = "why" if finding.status == "unknown" else "what to do"
            print(f"         {label}: {finding.remedy}")


async def _check(client: GitHubClient, branch: str | None, expected: Expected) -> list[Finding]:
    async with client:
        return findings(await read_settings(client, branch, expected.environments), expected)


def doctor(config: Path | None, *, repository: str | None, branch: str | None) -> int:
    """Print the checklist; exit 1 when something the workflows need is missing.

    ``config`` None: every config reconciler.yaml declares, else ``company.yaml``.
    """
    root = Path.cwd()
    if config is None and (root / INDEX_FILE).is_file():
        return _doctor_all(root, find_configs(root), repository=repository, branch=branch)
    config = Path("company.yaml") if config is None else config
    expected = expected_of(config, root)
    client = _client(repository)
    print(f"doctor: {client.repository}, config {config}")
    found = concurrency.run(_check(client, branch, expected))
    _print(found)
    return _summary(found, root)


def _doctor_all(
    root: Path, declared: tuple[DeclaredConfig, ...], *, repository: str | None, branch: str | None
) -> int:
    """Each declared config's environments and secrets, then the repository's settings
    once; a config that cannot be read is missing, and the others are checked all the same."""
    expecteds: list[tuple[DeclaredConfig, Expected | None]] = []
    for one in declared:
        try:
            expecteds.append((one, expected_of(root / one.path, root)))
        except ReconcilerError:  # validate says why; the others are checked all the same
            expecteds.append((one, None))
    client = _client(repository)
    print(f"doctor: {client.repository}, {len(declared)} configs ({INDEX_FILE})")
    readable = [e for _, e in expecteds if isinstance(e, Expected)]
    matrix = runs_a_job_per_config(root)
    union = Expected(secrets=(), checks=required_checks(matrix), matrix=matrix)
    settings = concurrency.run(_read_all(client, branch, readable or [union]))
    found: list[Finding] = []
    for one, expected in expecteds:
        print(f"config {one.name} ({one.path.as_posix()}):")
        part = (
            config_findings(settings, expected)
            if isinstance(expected, Expected)
            else [_unreadable(one)]
        )
        _print(part)
        found += part
    print("the repository:")
    part = repository_findings(settings, union)
    _print(part)
    return _summary(found + part, root)


def _unreadable(config: DeclaredConfig) -> Finding:
    return Finding(
        "missing",
        f"a valid config {config.name} ({config.path.as_posix()})",
        f"run `reconciler validate {config.name}` and fix what it says",
    )


async def _read_all(
    client: GitHubClient, branch: str | None, expecteds: list[Expected]
) -> RepoSettings:
    """The settings once, with the secrets of every config's environments."""
    names = tuple(dict.fromkeys(n for e in expecteds for n in e.environments))
    async with client:
        return await read_settings(client, branch, names)


def _summary(found: list[Finding], root: Path) -> int:
    for line in shared_accounts(root):
        print(line)
    counts = {s: sum(f.status == s for f in found) for s in ("missing", "unknown", "advice")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    print(f"{summary}: see SETUP.md" if summary else "everything the workflows need is in place")
    return 1 if counts["missing"] else 0


def shared_accounts(root: Path) -> list[str]:
    """The declared configs that read one CharlieHR account (allowed: entities split by
    rules), one line per account; nothing without an index or when a config is broken
    (``validate`` says why)."""
    if not (root / INDEX_FILE).is_file():
        return []
    accounts: dict[tuple[str, str], list[str]] = {}
    try:
        for declared in find_configs(root):
            config = load_config(root / declared.path).config
            accounts.setdefault(hris_account(config), []).append(declared.name)
    except ReconcilerError:
        return []
    return [
        f"info     one CharlieHR account ({url}, {client_id}) is read by {', '.join(names)}: "
        "allowed, as long as their sync_if rules split the people"
        for (url, client_id), names in accounts.items()
        if len(names) > 1
    ]

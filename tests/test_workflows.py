"""The GitHub workflows and the Action: zizmor finds nothing, GitHub's schemas accept
them, least privilege, and the project's own workflows call the reusable ones."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.scaffold.files import (
    ALL_PLANS_CHECK,
    PLAN_CHECKS,
    PLAN_COMMENT_CHECK,
    VALIDATE_CHECK,
    Pin,
    Scaffold,
    plan_checks,
    scaffold_files,
)
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
REUSABLE = [p for p in WORKFLOWS if p.name.startswith("reusable-")]
CALLERS = {"plan.yml": "plan", "apply.yml": "apply", "sync.yml": "sync"}
ACTION = ROOT / "action.yml"
REUSABLE_APPLY = ROOT / ".github" / "workflows" / "reusable-apply.yml"
REUSABLE_PLAN = ROOT / ".github" / "workflows" / "reusable-plan.yml"
BIN = Path(sys.executable).parent


def _load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is a dev dependency"
    return found


def test_the_workflows_and_their_reusable_forms_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"apply.yml", "ci.yml", "plan.yml", "sync.yml"} <= names
    assert {f"reusable-{verb}.yml" for verb in ("plan", "apply", "drift", "sync")} <= names


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing(persona: str) -> None:
    result = subprocess.run(
        [
            _tool("zizmor"),
            "--offline",
            "--persona",
            persona,
            "--no-progress",
            str(ROOT / ".github" / "workflows"),
            str(ACTION),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_github_workflow_schema_accepts_them() -> None:
    result = subprocess.run(
        [
            _tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_action_schema_accepts_the_action() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _steps(path: Path) -> list[dict[str, Any]]:
    return [step for job in _load(path)["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert "contents" in job["permissions"]
    for step in _steps(path):
        uses = step.get("uses")
        if uses and not uses.startswith("./.reconciler"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), uses
        if uses and uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", REUSABLE, ids=lambda p: p.name)
def test_reusable_workflows_run_the_action_at_their_own_commit(path: Path) -> None:
    workflow = _load(path)
    assert workflow["on"]["workflow_call"]["inputs"]["config"]["required"] is True
    steps = _steps(path)
    own = [s for s in steps if s.get("with", {}).get("path") == ".reconciler"]
    assert own and all(s["with"]["ref"] == "${{ job.workflow_sha }}" for s in own)
    assert all(s["with"]["repository"] == "${{ job.workflow_repository }}" for s in own)
    assert any(s.get("uses") == "./.reconciler" for s in steps)
    assert not any("run" in s for s in steps), "every command goes through the Action"


@pytest.mark.parametrize(("name", "verb"), CALLERS.items())
def test_the_projects_own_workflows_call_the_reusable_ones(name: str, verb: str) -> None:
    workflow = _load(ROOT / ".github" / "workflows" / name)
    (job,) = workflow["jobs"].values()
    assert job["uses"] == f"$/.github/workflows/reusable-{verb}.yml"
    assert job["with"]["config"] == "examples/company.yaml"
    # A caller must grant what the reusable workflow's jobs ask for, and no more.
    called = _load(ROOT / ".github" / "workflows" / f"reusable-{verb}.yml")
    asked: dict[str, str] = {}
    for called_job in called["jobs"].values():
        for scope, level in called_job["permissions"].items():
            asked[scope] = "write" if "write" in (level, asked.get(scope)) else level
    assert job["permissions"] == asked


def test_apply_is_serialised_and_never_cancelled() -> None:
    apply = _load(ROOT / ".github" / "workflows" / "apply.yml")
    assert apply["concurrency"] == {"group": "reconciler-apply", "cancel-in-progress": False}
    (step,) = [s for s in _steps(REUSABLE_APPLY) if s.get("uses") == "./.reconciler"]
    assert step["with"]["command"] == "apply"


def test_fork_pull_requests_get_the_checks_but_not_the_secret_job() -> None:
    plan = _load(REUSABLE_PLAN)
    (check,) = [s for s in plan["jobs"]["check"]["steps"] if s.get("uses") == "./.reconciler"]
    assert check["with"]["command"] == "check"
    assert "secrets." not in REUSABLE_PLAN.read_text().split("\n  plan:\n")[0].split("jobs:")[1]
    assert plan["jobs"]["plan"]["if"] == (
        "needs.check.outputs.config-changed == 'true' "
        "&& github.event.pull_request.head.repo.full_name == github.repository"
    )


def _scaffolded(verb: str) -> Any:
    pin = Pin("0" * 40, "v1.2.0", repository="acme/reconciler")
    files = scaffold_files(Scaffold("company.yaml", "Acme Ltd", "main", pin))
    (text,) = [f.text for f in files if f.path.name == f"reconciler-{verb}.yml"]
    return YAML(typ="safe", pure=True).load(text)


def test_the_required_checks_always_report_none_waits_behind_a_paths_filter() -> None:
    """GitHub leaves a required check pending for ever when a filter skips its workflow;
    a job skipped by its own `if:` reports success."""
    assert _scaffolded("plan")["on"] == {"pull_request": None}
    jobs = _load(REUSABLE_PLAN)["jobs"]
    check = jobs["check"]
    assert "if" not in check, "the check job runs on every pull request"
    (checkout, *_) = check["steps"]
    assert checkout["with"]["fetch-depth"] == 2  # the merge commit and the base it is told from
    (step,) = [s for s in check["steps"] if s.get("uses") == "./.reconciler"]
    assert step["id"] == "check" and step["with"]["command"] == "check"
    assert check["outputs"] == {"config-changed": "${{ steps.check.outputs.config-changed }}"}
    assert jobs["plan"]["needs"] == "check"
    assert jobs["plan"]["if"].startswith("needs.check.outputs.config-changed == 'true' && ")


def test_the_check_names_setup_and_doctor_require_are_the_plan_workflows_jobs() -> None:
    """GitHub names a called job's check "<caller job name> / <called job name>"."""
    (caller,) = _scaffolded("plan")["jobs"].values()
    called = _load(REUSABLE_PLAN)["jobs"]
    assert tuple(f"{caller['name']} / {job['name']}" for job in called.values()) == PLAN_CHECKS
    assert (VALIDATE_CHECK, PLAN_COMMENT_CHECK) == PLAN_CHECKS


def test_the_sync_job_may_report_the_checks_on_its_pull_request() -> None:
    (job,) = _load(ROOT / ".github" / "workflows" / "reusable-sync.yml")["jobs"].values()
    assert job["permissions"]["checks"] == "write"
    (caller,) = _scaffolded("sync")["jobs"].values()
    assert caller["permissions"]["checks"] == "write"


@pytest.mark.parametrize("path", REUSABLE, ids=lambda p: p.name)
def test_every_secret_the_action_gets_is_declared_and_the_same_everywhere(path: Path) -> None:
    workflow = _load(path)
    declared = set(workflow["on"]["workflow_call"].get("secrets") or {})
    for step in _steps(path):
        if step.get("uses") == "./.reconciler" and "env" in step:
            assert set(step["env"]) == {"GITHUB_TOKEN", *declared}
            assert declared == {
                "CHARLIEHR_CLIENT_ID",
                "CHARLIEHR_CLIENT_SECRET",
                "LEDGY_API_KEY",
                "RECONCILER_PLAN_KEY",
                "RECONCILER_AGE_IDENTITY",
            }


# -- several configs: a job per config, from the index ------------------------


def _several(verb: str) -> Any:
    pin = Pin("0" * 40, "v1.2.0", repository="acme/reconciler")
    files = scaffold_files(Scaffold("companies/b/company.yaml", "B", "main", pin, name="b"))
    (text,) = [f.text for f in files if f.path.name == f"reconciler-{verb}.yml"]
    return YAML(typ="safe", pure=True).load(text)


REUSABLE_CONFIGS = ROOT / ".github" / "workflows" / "reusable-configs.yml"
MATRIX = "${{ fromJSON(needs.configs.outputs.matrix) }}"


@pytest.mark.parametrize(
    ("verb", "changes", "environment"),
    [
        ("plan", "pull_request", "plan_environment"),
        ("apply", "${{ github.event_name == 'workflow_dispatch' && 'none' || 'push' }}", "apply_environment"),
        ("sync", "none", "plan_environment"),
    ],
)  # fmt: skip
def test_with_several_configs_each_runs_in_its_own_job_and_environment(
    verb: str, changes: str, environment: str
) -> None:
    workflow = _several(verb)
    assert workflow["permissions"] == {}
    configs = workflow["jobs"]["configs"]
    assert configs["uses"] == f"acme/reconciler/.github/workflows/reusable-configs.yml@{'0' * 40}"
    assert configs["with"]["changes"] == changes
    assert configs["permissions"] == {"contents": "read"}
    job = workflow["jobs"][verb]
    assert job["needs"] == "configs"
    assert job["if"] == "needs.configs.outputs.matrix != '[]'"  # an empty matrix is an error
    assert job["strategy"] == {"fail-fast": False, "matrix": {"config": MATRIX}}
    assert job["uses"].endswith(f"/.github/workflows/reusable-{verb}.yml@{'0' * 40}")
    assert job["with"]["config"] == "${{ matrix.config.config }}"
    assert job["with"]["environment"] == f"${{{{ matrix.config.{environment} }}}}"
    assert verb in job["name"] and "${{ matrix.config.name }}" in job["name"]


def test_with_several_configs_applies_of_one_ledgy_company_never_run_at_once() -> None:
    workflow = _several("apply")
    assert "concurrency" not in workflow  # configs of other companies apply side by side
    assert workflow["on"]["push"] == {"branches": ["main"]}  # the configs job selects
    assert workflow["jobs"]["apply"]["concurrency"] == {
        "group": "${{ matrix.config.ledgy }}",
        "cancel-in-progress": False,
    }
    dispatch = workflow["on"]["workflow_dispatch"]["inputs"]
    assert dispatch["config"]["required"] is True  # by hand: one config


def test_with_several_configs_one_check_reports_for_every_config() -> None:
    jobs = _several("plan")["jobs"]
    done = jobs["done"]
    assert done["name"] == ALL_PLANS_CHECK == plan_checks("b")[2]
    assert done["needs"] == ["configs", "plan"]
    assert done["if"] == "always()"  # reports even when a plan job failed or was skipped
    called = _load(REUSABLE_PLAN)["jobs"]
    names = tuple(
        f"{jobs['plan']['name'].replace('${{ matrix.config.name }}', 'b')} / {job['name']}"
        for job in called.values()
    )
    assert names == plan_checks("b")[:2]


def test_the_configs_workflow_lists_the_matrix_without_secrets() -> None:
    workflow = _load(REUSABLE_CONFIGS)
    call = workflow["on"]["workflow_call"]
    assert "secrets" not in call
    assert call["outputs"]["matrix"]["value"] == "${{ jobs.configs.outputs.matrix }}"
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    (step,) = [s for s in job["steps"] if s.get("uses") == "./.reconciler"]
    assert step["with"]["command"] == "configs"
    assert job["outputs"]["matrix"] == f"${{{{ steps.{step['id']}.outputs.matrix }}}}"
    assert "secrets." not in REUSABLE_CONFIGS.read_text()

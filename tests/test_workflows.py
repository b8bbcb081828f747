"""The GitHub workflows: zizmor finds nothing, GitHub's schema accepts them, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def _load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is a dev dependency"
    return found


def test_the_four_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["apply.yml", "ci.yml", "plan.yml", "sync.yml"]


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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert "contents" in job["permissions"]
        for step in job["steps"]:
            uses = step.get("uses")
            if uses:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), uses
            if uses and uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_apply_is_serialised_and_never_cancelled() -> None:
    apply = _load(ROOT / ".github" / "workflows" / "apply.yml")
    assert apply["concurrency"] == {"group": "reconciler-apply", "cancel-in-progress": False}
    run = apply["jobs"]["apply"]["steps"][3]["run"]
    assert "--from-pr" in run and '--plan "$PLAN"' in run and '--checksum "$PLAN"' in run
    assert "examples/company.plan.json" in apply["on"]["push"]["paths"]


def test_sync_runs_on_a_schedule_and_by_hand_and_may_push_only_its_branch() -> None:
    sync = _load(ROOT / ".github" / "workflows" / "sync.yml")
    assert set(sync["on"]) == {"schedule", "workflow_dispatch"}
    job = sync["jobs"]["sync"]
    assert job["permissions"]["contents"] == "write" and 'reconciler sync "$CONFIG"' in str(
        job["steps"]
    )


def test_fork_pull_requests_get_the_checks_but_not_the_secret_job() -> None:
    plan = _load(ROOT / ".github" / "workflows" / "plan.yml")
    check_runs = " ".join(s.get("run", "") for s in plan["jobs"]["check"]["steps"])
    assert "reconciler validate" in check_runs and "reconciler test" in check_runs
    assert (
        "secrets."
        not in (ROOT / ".github" / "workflows" / "plan.yml").read_text().split("plan:\n")[0]
    )
    assert (
        plan["jobs"]["plan"]["if"]
        == "github.event.pull_request.head.repo.full_name == github.repository"
    )

"""The pre-commit hooks: each config is judged on its own, offline, no credentials.

The fast tests run each hook's entry exactly as pre-commit does (entry, then the
file names) with this checkout's `reconciler` on PATH. The slow one runs
`pre-commit try-repo`, which installs this repository into a fresh virtualenv and
runs both hooks on a scratch repo, offline: pip may read only the session's
wheelhouse (tests/wheelhouse.py), never the package index.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import DATA, ROOT
from tests.scratch import commit_all, git_repo
from tests.wheelhouse import Wheelhouse

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
VALID = DATA / "configs" / "valid-minimal.yaml"
INVALID = DATA / "configs" / "invalid-five-errors.yaml"


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = YAML(typ="safe", pure=True).load(MANIFEST.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


@pytest.fixture
def adopter_repo(tmp_path: Path) -> Path:
    """A repository with a valid config at the root and an invalid one below."""
    repo = git_repo(tmp_path / "adopter")
    shutil.copy(VALID, repo / "company.yaml")
    (repo / "broken").mkdir()
    shutil.copy(INVALID, repo / "broken" / "company.yaml")
    commit_all(repo)
    return repo


def _run_entry(hook: dict[str, Any], repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        [*shlex.split(hook["entry"]), *files],
        cwd=repo,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_manifest_offers_validate_and_test_for_python() -> None:
    hooks = _hooks()
    assert sorted(hooks) == ["reconciler-test", "reconciler-validate"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"(^|/)company\.ya?ml$"


@pytest.mark.parametrize("hook_id", ["reconciler-validate", "reconciler-test"])
def test_a_valid_config_passes(hook_id: str, adopter_repo: Path) -> None:
    result = _run_entry(_hooks()[hook_id], adopter_repo, "company.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("hook_id", ["reconciler-validate", "reconciler-test"])
def test_one_invalid_config_fails_the_hook_and_is_named(hook_id: str, adopter_repo: Path) -> None:
    result = _run_entry(_hooks()[hook_id], adopter_repo, "broken/company.yaml", "company.yaml")
    assert result.returncode == 1
    assert "broken/company.yaml:5:18: hris.client_secret" in result.stderr
    # The valid config after it was still checked: one bad file does not hide the others.
    assert "company.yaml is valid" in result.stdout or "no tests" in result.stdout


def _try_repo(
    repo: Path, home: Path, wheelhouse: Wheelhouse, *files: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **wheelhouse.offline_pip(),
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
    }
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "pre-commit"),
            "try-repo",
            str(ROOT),
            "--verbose",
            "--files",
            *files,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_pre_commit_try_repo_fails_the_invalid_config_and_passes_the_valid_one(
    adopter_repo: Path, tmp_path: Path, wheelhouse: Wheelhouse
) -> None:
    result = _try_repo(
        adopter_repo, tmp_path / "pre-commit", wheelhouse, "company.yaml", "broken/company.yaml"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "reconciler validate" in output and "Failed" in output
    assert "broken/company.yaml:8:11: ledgy.driver" in output
    assert "company.yaml is valid" in output
    assert "company.yaml: no tests" in output

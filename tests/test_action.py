"""The composite Action: each command runs the reconciler with the flags it needs.

action/run.sh is run as the Action runs it, with a stand-in `reconciler` on PATH
that records its arguments and exits with a chosen code.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.release import REPOSITORY
from tests.conftest import ROOT

RUN = ROOT / "action" / "run.sh"
STUB = """#!/bin/sh
for arg in "$@"; do printf '%s\\n' "$arg" >> "$STUB_LOG"; done
printf -- '--\\n' >> "$STUB_LOG"
exit "${STUB_EXIT:-0}"
"""


class Action:
    """Runs action/run.sh against the stand-in and reads back what it was called with."""

    def __init__(self, tmp_path: Path) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        (self.bin / "reconciler").write_text(STUB)
        (self.bin / "reconciler").chmod(0o755)
        self.log = tmp_path / "calls.log"
        self.output = tmp_path / "github_output"
        self.temp = tmp_path

    def run(self, *, stub_exit: str = "0", **inputs: str) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "STUB_LOG": str(self.log),
            "STUB_EXIT": stub_exit,
            "GITHUB_OUTPUT": str(self.output),
            "RUNNER_TEMP": str(self.temp),
            **{key.upper(): value for key, value in inputs.items()},
        }
        return subprocess.run(
            ["bash", str(RUN)], env=env, capture_output=True, text=True, check=False
        )

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        text = self.log.read_text().removesuffix("--\n")
        return [call.splitlines() for call in text.split("--\n")]


@pytest.fixture
def action(tmp_path: Path) -> Action:
    return Action(tmp_path)


def test_check_validates_with_annotations_then_runs_the_rule_tests(action: Action) -> None:
    assert action.run(command="check", config="people/company.yaml").returncode == 0
    assert action.calls() == [
        ["validate", "people/company.yaml", "--format", "github"],
        ["test", "people/company.yaml"],
    ]


def test_check_stops_at_an_invalid_config(action: Action) -> None:
    result = action.run(stub_exit="1", command="check", config="company.yaml")
    assert result.returncode == 1
    assert action.calls() == [["validate", "company.yaml", "--format", "github"]]
    assert action.output.read_text() == "exit-code=1\n"


def test_plan_comments_and_keeps_the_json_with_the_base_config(action: Action) -> None:
    action.run(command="plan", config="my company.yaml", base_config="base/my company.yaml")
    assert action.calls() == [
        [
            "plan",
            "my company.yaml",
            "--comment",
            "--format",
            "json",
            "--out",
            f"{action.temp}/plan.json",
            "--base-config",
            "base/my company.yaml",
        ]
    ]


@pytest.mark.parametrize(
    ("inputs", "flags"),
    [
        ({}, ["--from-pr"]),
        ({"plan": "company.plan.json"}, ["--plan", "company.plan.json"]),
        ({"plan": "sha256:abc"}, ["--checksum", "sha256:abc"]),
        ({"force": "true"}, ["--force", "--auto-approve"]),
        ({"force": "true", "plan": "p.json"}, ["--plan", "p.json", "--force"]),
        ({"force": "false"}, ["--from-pr"]),
    ],
    ids=["on-merge", "saved-plan", "checksum", "force", "force-with-plan", "force-false"],
)
def test_apply_applies_only_a_reviewed_plan_unless_forced(
    action: Action, inputs: dict[str, str], flags: list[str]
) -> None:
    action.run(command="apply", config="company.yaml", **inputs)
    assert action.calls() == [["apply", "company.yaml", "--journal", "journal.jsonl", *flags]]


def test_sync_and_drift(action: Action) -> None:
    action.run(command="sync", config="company.yaml")
    action.run(command="drift", config="company.yaml")
    assert action.calls() == [["sync", "company.yaml"], ["plan", "company.yaml", "--drift-issue"]]


def test_the_exit_code_is_passed_on_and_recorded(action: Action) -> None:
    assert action.run(stub_exit="2", command="drift", config="c.yaml").returncode == 2
    assert action.output.read_text() == "exit-code=2\n"


def test_an_unknown_command_fails_without_running_anything_or_injecting(action: Action) -> None:
    result = action.run(command="deploy\n::add-mask::x", config="company.yaml")
    assert result.returncode != 0
    assert action.calls() == []
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error title=reconciler action::unknown command 'deploy??")


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe", pure=True).load(
        (ROOT / "action.yml").read_text(encoding="utf-8")
    )
    return loaded


def test_every_input_reaches_the_script_or_the_install() -> None:
    action = _action()
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"${{{{ inputs.{name} }}}}" in text, name
    assert action["runs"]["using"] == "composite"


def test_the_action_installs_its_own_commit_or_a_release_of_this_repository() -> None:
    (install,) = [s for s in _action()["runs"]["steps"] if s.get("name") == "install reconciler"]
    assert '"$ACTION_PATH"' in install["run"]
    assert f"git+https://github.com/{REPOSITORY}@" in install["run"]

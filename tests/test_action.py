"""The composite Action: each command runs the reconciler with the flags it needs.

action/run.sh is run as the Action runs it, with a stand-in `reconciler` on PATH
that records its arguments and exits with a chosen code.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

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


def _step(name: str) -> dict[str, Any]:
    (step,) = [s for s in _action()["runs"]["steps"] if s.get("name") == name]
    return step


def test_the_action_installs_its_own_commit_with_the_locked_dependencies() -> None:
    install = _step("install reconciler")
    assert install["run"] == 'bash "$ACTION_PATH/action/install.sh"'
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "git+" not in text and "pip install" not in text


def test_the_install_is_cached_on_the_locks_and_the_python() -> None:
    steps = _action()["runs"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", cache["uses"])
    key = _step("locate the install cache")
    assert '"$ACTION_PATH/requirements.lock" "$ACTION_PATH/action/uv.lock"' in key["run"]
    assert "$PYTHON_VERSION" in key["run"] and "$RUNNER_OS" in key["run"]
    assert cache["with"] == {
        "path": "${{ steps.cache.outputs.path }}",
        "key": "${{ steps.cache.outputs.key }}",
    }
    install = _step("install reconciler")
    assert install["env"]["RECONCILER_CACHE"] == "${{ steps.cache.outputs.path }}"
    names = [s.get("name") or s["uses"].split("@")[0] for s in steps]
    assert names.index("actions/cache") < names.index("install reconciler")


INSTALL = ROOT / "action" / "install.sh"
# Stand-ins for python and uv: each records its arguments, and makes what the real one
# would leave behind (a venv with a `reconciler`, a bootstrapped uv) so the script goes
# on; never outside the test's own directory.
PYTHON_STUB = """#!/bin/sh
inside() { case "$1" in "$STUB_TMP"/*) return 0 ;; *) echo "outside: $1" >&2; exit 9 ;; esac; }
printf 'python' >> "$STUB_LOG"; for arg in "$@"; do printf ' %s' "$arg" >> "$STUB_LOG"; done
echo >> "$STUB_LOG"
if [ "$2" = venv ]; then eval "dir=\\${$#}"; inside "$dir"; mkdir -p "$dir/bin"; cp "$STUB_DIR/reconciler" "$dir/bin/"; fi
target=; previous=
for arg in "$@"; do [ "$previous" = --target ] && target=$arg; previous=$arg; done
if [ -n "$target" ]; then
  [ -n "$STUB_NO_UV" ] && exit 1
  inside "$target"; mkdir -p "$target/bin" && cp "$STUB_DIR/uv-stub" "$target/bin/uv"
fi
exit 0
"""
UV_STUB = """#!/bin/sh
inside() { case "$1" in "$STUB_TMP"/*) return 0 ;; *) echo "outside: $1" >&2; exit 9 ;; esac; }
printf 'uv' >> "$STUB_LOG"; for arg in "$@"; do printf ' %s' "$arg" >> "$STUB_LOG"; done
echo >> "$STUB_LOG"
if [ "$1" = venv ]; then eval "dir=\\${$#}"; inside "$dir"; mkdir -p "$dir/bin"; cp "$STUB_DIR/reconciler" "$dir/bin/"; fi
exit 0
"""


class Install:
    """Runs action/install.sh with stand-ins for python and (optionally) uv on PATH."""

    def __init__(self, tmp_path: Path) -> None:
        self.stubs = tmp_path / "stubs"
        self.stubs.mkdir()
        for name, text in {
            "python": PYTHON_STUB,
            "uv-stub": UV_STUB,
            "reconciler": "#!/bin/sh\necho reconciler 9.9.9\n",
        }.items():
            (self.stubs / name).write_text(text)
            (self.stubs / name).chmod(0o755)
        self.path_with_uv = tmp_path / "with-uv"
        self.path_with_uv.mkdir()
        (self.path_with_uv / "uv").symlink_to(self.stubs / "uv-stub")
        self.tmp = tmp_path
        self.log = tmp_path / "calls.log"
        self.github_path = tmp_path / "github_path"

    def run(self, *, uv_on_path: bool, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
        path = [str(self.stubs), "/usr/bin", "/bin"]
        if uv_on_path:
            path.insert(0, str(self.path_with_uv))
        variables = {
            "PATH": os.pathsep.join(path),
            "HOME": str(self.tmp),
            "STUB_LOG": str(self.log),
            "STUB_DIR": str(self.stubs),
            "STUB_TMP": str(self.tmp),
            "ACTION_PATH": str(ROOT),
            "VENV": str(self.tmp / "venv"),
            "TOOLS": str(self.tmp / "tools"),
            "GITHUB_PATH": str(self.github_path),
            **env,
        }
        return subprocess.run(
            ["bash", str(INSTALL)], cwd=cwd, env=variables, capture_output=True, text=True, check=False
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def install(tmp_path: Path) -> Install:
    return Install(tmp_path)


def test_install_with_uv_checks_every_hash_and_builds_the_checkout_without_resolving(
    install: Install,
) -> None:
    result = install.run(uv_on_path=True)
    assert result.returncode == 0, result.stderr
    venv = install.tmp / "venv"
    assert install.calls() == [
        f"uv venv --quiet --python python {venv}",
        f"uv pip install --quiet --python {venv}/bin/python --require-hashes -r {ROOT}/requirements.lock",
        f"uv pip install --quiet --python {venv}/bin/python --no-deps --no-build-isolation {ROOT}",
    ]
    assert install.github_path.read_text() == f"{venv}/bin\n"
    assert result.stdout == "reconciler 9.9.9\n"


def test_without_uv_on_path_uv_is_bootstrapped_from_its_hash_pinned_lock(install: Install) -> None:
    result = install.run(uv_on_path=False)
    assert result.returncode == 0, result.stderr
    tools = install.tmp / "tools"
    first, *rest = install.calls()
    assert first == (
        f"python -m pip install --quiet --require-hashes --no-deps --target {tools} "
        f"-r {ROOT}/action/uv.lock"
    )
    assert [call.split()[:3] for call in rest] == [["uv", "venv", "--quiet"], *[["uv", "pip", "install"]] * 2]


def test_without_uv_pip_installs_the_same_lock_with_hashes(install: Install) -> None:
    result = install.run(uv_on_path=False, STUB_NO_UV="1")
    assert result.returncode == 0, result.stderr
    assert "uv could not be installed; installing with pip" in result.stderr
    venv = install.tmp / "venv"
    pip = f"python -m pip --python {venv}/bin/python install --quiet --no-input"
    assert install.calls()[1:] == [
        f"python -m venv --without-pip {venv}",
        f"{pip} --require-hashes -r {ROOT}/requirements.lock",
        f"{pip} --no-deps --no-build-isolation {ROOT}",
    ]


def test_installer_pip_is_used_even_where_uv_is(install: Install) -> None:
    assert install.run(uv_on_path=True, INSTALLER="pip").returncode == 0
    assert not [call for call in install.calls() if call.startswith("uv")]
    assert install.calls()[0].startswith("python -m venv --without-pip")


def test_a_relative_action_path_is_never_taken_for_a_package_name(install: Install) -> None:
    assert install.run(uv_on_path=True, cwd=ROOT.parent, ACTION_PATH=ROOT.name).returncode == 0
    assert install.calls()[-1].endswith(f"--no-build-isolation {ROOT}")


def test_the_caches_live_in_the_directory_the_action_caches(install: Install) -> None:
    cache = install.tmp / "cache"
    result = install.run(uv_on_path=False, RECONCILER_CACHE=str(cache), TOOLS="")
    assert result.returncode == 0, result.stderr
    assert f"--target {cache}/tools " in install.calls()[0]
    assert (cache / "tools" / "bin" / "uv").is_file()


def test_an_unknown_installer_is_refused(install: Install) -> None:
    result = install.run(uv_on_path=True, INSTALLER="conda")
    assert result.returncode == 2
    assert install.calls() == []

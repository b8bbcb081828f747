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
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir()

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
            ["bash", str(RUN)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            cwd=self.workspace,
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


def _git(where: Path, *args: str) -> str:
    who = ["-c", "user.name=ada", "-c", "user.email=ada@acme.test", "-c", "init.defaultBranch=main"]
    done = subprocess.run(
        ["git", *who, *args], cwd=where, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _merge_of(workspace: Path, files: dict[str, str]) -> None:
    """The workspace as actions/checkout leaves it on a pull request: the merge commit of
    a branch that writes ``files`` into main, with its parents (fetch-depth 2)."""
    _git(workspace, "init", "-q")
    (workspace / "company.yaml").write_text("version: 1\n")
    (workspace / "README.md").write_text("# people\n")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "base")
    _git(workspace, "checkout", "-q", "-b", "change")
    for name, text in files.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text)
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "change")
    _git(workspace, "checkout", "-q", "main")
    (workspace / "NOTES.md").write_text("main moved on\n")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "main moved on")
    _git(workspace, "merge", "-q", "--no-ff", "-m", "merge", "change")


@pytest.mark.parametrize(
    ("files", "changed"),
    [
        ({"company.yaml": "version: 1\n# more\n"}, "true"),
        ({"company.plan.json": "{}\n"}, "true"),
        ({"company.ledgy.xlsx.age": "age\n"}, "true"),
        ({".github/workflows/reconciler-plan.yml": "on: push\n"}, "true"),
        ({"README.md": "# other\n"}, "false"),
        ({"docs/company.yaml": "elsewhere\n", "other.plan.json": "{}\n"}, "false"),
    ],
    ids=["config", "saved-plan", "ledgy-export", "workflow", "readme", "look-alikes"],
)
def test_check_says_whether_the_pull_request_changes_the_config_or_its_files(
    action: Action, files: dict[str, str], changed: str
) -> None:
    _merge_of(action.workspace, files)
    result = action.run(command="check", config="company.yaml")
    assert result.returncode == 0
    assert action.output.read_text() == f"config-changed={changed}\nexit-code=0\n"
    assert "README" not in result.stderr and "plan.json" not in result.stderr  # no file names


def test_a_config_in_a_folder_counts_its_own_files_only(action: Action) -> None:
    _merge_of(action.workspace, {"people/company.plan.json": "{}\n"})
    action.run(command="check", config="people/company.yaml")
    assert "config-changed=true" in action.output.read_text()
    action.output.unlink()
    action.run(command="check", config="people/other.yaml")
    assert "config-changed=false" in action.output.read_text()


def test_check_plans_when_it_cannot_tell_what_the_pull_request_changes(action: Action) -> None:
    action.run(command="check", config="company.yaml")  # no git repository at all
    assert action.output.read_text() == "config-changed=true\nexit-code=0\n"
    _merge_of(action.workspace, {"README.md": "x\n"})
    _git(action.workspace, "checkout", "-q", "HEAD^2")  # a plain commit, not a merge
    action.output.unlink()
    result = action.run(command="check", config="company.yaml")
    assert action.output.read_text() == "config-changed=true\nexit-code=0\n"
    assert "not a pull request's merge commit: the plan runs" in result.stderr


def test_a_shallow_checkout_without_the_base_plans(action: Action, tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _merge_of(origin, {"README.md": "x\n"})
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(action.workspace / "c"))
    action.workspace = action.workspace / "c"
    result = action.run(command="check", config="company.yaml")
    assert action.output.read_text() == "config-changed=true\nexit-code=0\n"
    assert "the plan runs" in result.stderr


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
        (
            {"force": "true", "reason": "payroll closes today"},
            ["--force", "--auto-approve", "--reason", "payroll closes today"],
        ),
    ],
    ids=[
        "on-merge",
        "saved-plan",
        "checksum",
        "force",
        "force-with-plan",
        "force-false",
        "force-with-reason",
    ],
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
    steps: list[dict[str, Any]] = _action()["runs"]["steps"]
    (step,) = [s for s in steps if s.get("name") == name]
    return step


def test_the_action_installs_its_own_commit_with_the_locked_dependencies() -> None:
    install = _step("install reconciler")
    assert install["run"] == 'bash "$ACTION_PATH/action/install.sh"'
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "git+" not in text and "pip install" not in text


def test_the_install_is_cached_on_the_locks_the_python_and_the_source(tmp_path: Path) -> None:
    steps = _action()["runs"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", cache["uses"])
    assert cache["with"] == {
        "path": "${{ steps.cache.outputs.path }}",
        "key": "${{ steps.cache.outputs.key }}",
        "restore-keys": "${{ steps.cache.outputs.restore-keys }}",
    }
    install = _step("install reconciler")
    assert install["env"]["RECONCILER_CACHE"] == "${{ steps.cache.outputs.path }}"
    names = [s.get("name") or s["uses"].split("@")[0] for s in steps]
    assert names.index("locate the install cache") < names.index("actions/cache")
    assert names.index("actions/cache") < names.index("install reconciler")
    # The key step, run as the runner runs it, on this checkout.
    output = tmp_path / "output"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": "/home/runner",
        "ACTION_PATH": str(ROOT),
        "PYTHON_VERSION": "3.11.14",
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "GITHUB_OUTPUT": str(output),
    }
    step = _step("locate the install cache")
    subprocess.run(["bash", "-c", step["run"]], env=env, check=True, cwd=tmp_path)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    prefix = outputs["restore-keys"]
    assert re.fullmatch(r"reconciler-install-Linux-X64-py3\.11\.14-[0-9a-f]{32}-", prefix)
    assert re.fullmatch(re.escape(prefix) + r"[0-9a-f]{32}", outputs["key"])
    assert outputs["path"] == "/home/runner/.cache/reconciler-action"


INSTALL = ROOT / "action" / "install.sh"
# Stand-ins for python and uv: each records its arguments (not python's -c probes), and
# makes what the real one would leave behind (a venv with a `python` and a `reconciler`,
# a bootstrapped uv) so the script goes on; never outside the test's own directory.
COMMON = """#!/bin/sh
inside() { case "$1" in "$STUB_TMP"/*) return 0 ;; *) echo "outside: $1" >&2; exit 9 ;; esac; }
venv() { inside "$1"; mkdir -p "$1/bin"; cp "$STUB_DIR/reconciler" "$STUB_DIR/venv-python" "$1/bin/"
  mv "$1/bin/venv-python" "$1/bin/python"; }
log() { printf '%s' "$1" >> "$STUB_LOG"; shift; for a in "$@"; do printf ' %s' "$a" >> "$STUB_LOG"; done
  echo >> "$STUB_LOG"; }
"""
PYTHON_STUB = (
    COMMON
    + """
if [ "$1" = -c ]; then echo "3.11.7 /stub/python"; exit 0; fi
log python "$@"
if [ "$2" = venv ]; then eval "dir=\\${$#}"; venv "$dir"; fi
target=; previous=
for arg in "$@"; do [ "$previous" = --target ] && target=$arg; previous=$arg; done
if [ -n "$target" ]; then
  [ -n "$STUB_NO_UV" ] && exit 1
  inside "$target"; mkdir -p "$target/bin" && cp "$STUB_DIR/uv-stub" "$target/bin/uv"
fi
exit 0
"""
)
UV_STUB = (
    COMMON
    + """
log uv "$@"
if [ "$1" = venv ]; then eval "dir=\\${$#}"; venv "$dir"; fi
exit 0
"""
)


class Install:
    """Runs action/install.sh on a small stand-in source tree, with stand-ins for python
    and (optionally) uv on PATH."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.stubs = tmp_path / "stubs"
        self.stubs.mkdir()
        for name, text in {
            "python": PYTHON_STUB,
            "uv-stub": UV_STUB,
            "venv-python": "#!/bin/sh\nexit 0\n",
            "reconciler": "#!/bin/sh\necho reconciler 9.9.9\n",
        }.items():
            (self.stubs / name).write_text(text)
            (self.stubs / name).chmod(0o755)
        self.path_with_uv = tmp_path / "with-uv"
        self.path_with_uv.mkdir()
        (self.path_with_uv / "uv").symlink_to(self.stubs / "uv-stub")
        self.source = tmp_path / "source"
        for name in ("requirements.lock", "action/uv.lock", "pyproject.toml", "reconciler/main.py"):
            (self.source / name).parent.mkdir(parents=True, exist_ok=True)
            (self.source / name).write_text(f"{name}\n")
        self.cache = tmp_path / "cache"
        self.venv = self.cache / "venv"
        self.tools = tmp_path / "scratch" / "tools"
        self.log = tmp_path / "calls.log"
        self.github_path = tmp_path / "github_path"

    def run(
        self, *args: str, uv_on_path: bool, cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        path = [str(self.stubs), "/usr/bin", "/bin"]
        if uv_on_path:
            path.insert(0, str(self.path_with_uv))
        variables = {
            "PATH": os.pathsep.join(path),
            "HOME": str(self.tmp),
            "STUB_LOG": str(self.log),
            "STUB_DIR": str(self.stubs),
            "STUB_TMP": str(self.tmp),
            "ACTION_PATH": str(self.source),
            "RECONCILER_CACHE": str(self.cache),
            "SCRATCH": str(self.tmp / "scratch"),
            "GITHUB_PATH": str(self.github_path),
            **env,
        }
        return subprocess.run(
            ["bash", str(INSTALL), *args],
            cwd=cwd or self.tmp,
            env=variables,
            capture_output=True,
            text=True,
            check=False,
        )

    def calls(self) -> list[str]:
        calls = self.log.read_text().splitlines() if self.log.exists() else []
        self.log.unlink(missing_ok=True)
        return calls


@pytest.fixture
def install(tmp_path: Path) -> Install:
    return Install(tmp_path)


def test_install_with_uv_checks_every_hash_and_builds_the_checkout_without_resolving(
    install: Install,
) -> None:
    result = install.run(uv_on_path=True)
    assert result.returncode == 0, result.stderr
    venv, source = install.venv, install.source
    assert install.calls() == [
        f"uv venv --quiet --python python {venv}",
        f"uv pip install --quiet --python {venv}/bin/python --require-hashes -r {source}/requirements.lock",
        f"uv pip install --quiet --python {venv}/bin/python --no-deps --no-build-isolation "
        f"--reinstall-package ledgy-charliehr-reconciler {source}",
    ]
    assert install.github_path.read_text() == f"{venv}/bin\n"
    assert result.stdout == "reconciler 9.9.9\n"


def test_without_uv_on_path_uv_is_bootstrapped_from_its_hash_pinned_lock(install: Install) -> None:
    result = install.run(uv_on_path=False)
    assert result.returncode == 0, result.stderr
    first, *rest = install.calls()
    assert first == (
        f"python -m pip install --quiet --require-hashes --no-deps --target {install.tools} "
        f"-r {install.source}/action/uv.lock"
    )
    assert [call.split()[:3] for call in rest] == [
        ["uv", "venv", "--quiet"],
        *[["uv", "pip", "install"]] * 2,
    ]
    assert (install.tools / "bin" / "uv").is_file()
    assert not (install.cache / "tools").exists()  # only the venv is kept between runs


def test_without_uv_pip_installs_the_same_lock_with_hashes(install: Install) -> None:
    result = install.run(uv_on_path=False, STUB_NO_UV="1")
    assert result.returncode == 0, result.stderr
    assert "uv could not be installed; installing with pip" in result.stderr
    venv, source = install.venv, install.source
    pip = f"python -m pip --python {venv}/bin/python install --quiet --no-input"
    assert install.calls()[1:] == [
        f"python -m venv --without-pip {venv}",
        f"{pip} --require-hashes -r {source}/requirements.lock",
        f"{pip} --no-deps --no-build-isolation --force-reinstall {source}",
    ]


def test_installer_pip_is_used_even_where_uv_is(install: Install) -> None:
    assert install.run(uv_on_path=True, INSTALLER="pip").returncode == 0
    calls = install.calls()
    assert calls[0].startswith("python -m venv --without-pip")
    assert not [call for call in calls if call.startswith("uv")]


def test_a_relative_action_path_is_never_taken_for_a_package_name(install: Install) -> None:
    assert install.run(uv_on_path=True, cwd=install.tmp, ACTION_PATH="source").returncode == 0
    assert install.calls()[-1].endswith(f" {install.source}")


def test_an_unknown_installer_is_refused(install: Install) -> None:
    result = install.run(uv_on_path=True, INSTALLER="conda")
    assert result.returncode == 2
    assert install.calls() == []


def test_a_restored_venv_of_the_same_locks_and_source_installs_nothing(install: Install) -> None:
    assert install.run(uv_on_path=False).returncode == 0
    install.calls()
    again = install.run(uv_on_path=False)
    assert again.returncode == 0, again.stderr
    assert install.calls() == []
    assert again.stdout == "reconciler 9.9.9\n"


def test_a_new_source_reinstalls_only_the_reconciler_with_pip_when_uv_is_not_at_hand(
    install: Install,
) -> None:
    assert install.run(uv_on_path=True).returncode == 0
    install.calls()
    (install.source / "reconciler" / "main.py").write_text("changed\n")
    assert install.run(uv_on_path=False).returncode == 0
    assert install.calls() == [
        f"python -m pip --python {install.venv}/bin/python install --quiet --no-input "
        f"--no-deps --no-build-isolation --force-reinstall {install.source}"
    ]


def test_a_new_lock_makes_a_new_venv(install: Install) -> None:
    assert install.run(uv_on_path=True).returncode == 0
    install.calls()
    (install.source / "requirements.lock").write_text("changed\n")
    assert install.run(uv_on_path=True).returncode == 0
    assert [call.split()[:2] for call in install.calls()] == [
        ["uv", "venv"],
        ["uv", "pip"],
        ["uv", "pip"],
    ]


def test_the_cache_key_follows_the_locks_and_the_source_not_bytecode_or_the_build_stamp(
    install: Install,
) -> None:
    def key() -> dict[str, str]:
        result = install.run("key", uv_on_path=False)
        assert result.returncode == 0, result.stderr
        return dict(line.split("=") for line in result.stdout.splitlines())

    first = key()
    assert set(first) == {"locks", "source"} and all(
        re.fullmatch(r"[0-9a-f]{32}", v) for v in first.values()
    )
    (install.source / "reconciler" / "__pycache__").mkdir()
    (install.source / "reconciler" / "__pycache__" / "main.cpython-311.pyc").write_text("x")
    (install.source / "reconciler" / "_build.py").write_text("version = '1'\n")
    assert key() == first
    (install.source / "reconciler" / "new.py").write_text("")
    assert key()["source"] != first["source"] and key()["locks"] == first["locks"]
    (install.source / "action" / "uv.lock").write_text("uv==0\n")
    assert key()["locks"] != first["locks"]
    assert install.calls() == []

"""The release as an adopter gets it: a wheel built from a tagged commit, installed into
a fresh virtualenv outside the checkout, scaffolding a repository of its own.

The wheel comes from the session's wheelhouse (tests/wheelhouse.py: built once from a
clone of HEAD tagged v9.9.9, as ``pip install "git+https://github.com/…@vX.Y.Z"``
builds it); the venv is installed from the wheelhouse alone, with no package index.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from reconciler.release import DISTRIBUTION
from tests.conftest import ROOT
from tests.scratch import commit_all, git_repo
from tests.wheelhouse import TAG, Wheelhouse, run

pytestmark = pytest.mark.slow
DEV_BIN = Path(sys.executable).parent
# The copy the tests imagine a company publishes; pip records it for a git install.
COPY = "acme/ledgy-reconciler"


@dataclass(frozen=True)
class Release:
    wheel: Path
    bin: Path
    commit: str

    def run(self, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        # A clean environment: nothing points back at the checkout.
        env = {"PATH": f"{self.bin}{os.pathsep}/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
        return subprocess.run(
            [str(self.bin / "reconciler"), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture(scope="module")
def release(wheelhouse: Wheelhouse, tmp_path_factory: pytest.TempPathFactory) -> Release:
    venv = tmp_path_factory.mktemp("venv") / "venv"
    # A fresh venv without pip of its own (ensurepip is slow); this pip installs into it,
    # from the wheelhouse only. No rmtree after: pytest prunes its temporary directories.
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    run(
        *pip,
        "--quiet",
        "--no-compile",
        "--no-index",
        "--find-links",
        str(wheelhouse.path),
        str(wheelhouse.wheel),
    )
    # What `pip install "git+https://github.com/acme/ledgy-reconciler@v9.9.9"` records
    # (PEP 610): the repository and the commit the tag resolved to. The wheel is the one
    # that install builds; only where it came from is written here.
    (record,) = venv.glob("lib/python*/site-packages/ledgy_charliehr_reconciler-*.dist-info")
    (record / "direct_url.json").write_text(
        json.dumps(
            {
                "url": f"https://github.com/{COPY}",
                "vcs_info": {
                    "vcs": "git",
                    "requested_revision": TAG,
                    "commit_id": wheelhouse.commit,
                },
            }
        )
    )
    return Release(wheelhouse.wheel, venv / "bin", wheelhouse.commit)


@pytest.fixture(scope="module")
def adopter(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = git_repo(tmp_path_factory.mktemp("adopter") / "people-repo")
    result = release.run(repo, "init", "--company", "Acme Ltd")
    assert result.returncode == 0, result.stdout + result.stderr
    commit_all(repo, "reconciler init")
    return repo


def test_the_wheel_has_its_own_name_the_tagged_version_and_the_licence(release: Release) -> None:
    assert release.wheel.name == f"{DISTRIBUTION.replace('-', '_')}-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(release.wheel) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"{DISTRIBUTION.replace('-', '_')}-9.9.9.dist-info/METADATA").decode()
    assert f"Name: {DISTRIBUTION}" in metadata and "License-Expression: MIT" in metadata
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert "reconciler/scaffold/templates/workflows/reconciler-plan.yml" in names
    # Without it a run still works, checking the operations itself, a tenth of a second later.
    assert "reconciler/targets/ledgy/operations.printed.json" in names


def test_the_installed_command_reports_the_tag(release: Release, tmp_path: Path) -> None:
    result = release.run(tmp_path, "--version")
    assert result.stdout.strip() == "reconciler 9.9.9"
    where = subprocess.run(
        [str(release.bin / "python"), "-c", "import reconciler; print(reconciler.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(release.bin.parent)), "imported from the checkout, not the venv"


def test_init_calls_the_copy_it_was_installed_from_at_the_release_commit(
    release: Release, adopter: Path
) -> None:
    plan = YAML(typ="safe", pure=True).load(
        (adopter / ".github" / "workflows" / "reconciler-plan.yml").read_text()
    )
    assert plan["jobs"]["plan"]["uses"] == (
        f"{COPY}/.github/workflows/reusable-plan.yml@{release.commit}"
    )
    assert (
        f"@{release.commit} # {TAG}"
        in (adopter / ".github/workflows/reconciler-plan.yml").read_text()
    )
    first = (adopter / "company.yaml").read_text().splitlines()[0]
    assert first.endswith(f"githubusercontent.com/{COPY}/{TAG}/schemas/company.schema.json")
    assert "TODO" not in (adopter / "SETUP.md").read_text()
    assert (adopter / "schemas" / "company.schema.json").is_file()


def test_the_scaffolded_config_validates_and_its_rule_tests_pass(
    release: Release, adopter: Path
) -> None:
    validate = release.run(adopter, "validate", "company.yaml")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    rule_tests = release.run(adopter, "test", "company.yaml")
    assert rule_tests.returncode == 0, rule_tests.stdout + rule_tests.stderr


def test_a_sandbox_plan_runs_in_the_adopters_repository(release: Release, adopter: Path) -> None:
    result = release.run(adopter, "plan", "company.yaml", "--sandbox")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"^Plan: \d+ to create", result.stdout, re.MULTILINE)


def test_a_plain_install_plans_the_sandbox_without_a_server_and_says_how_to_serve(
    release: Release, tmp_path: Path
) -> None:
    absent = subprocess.run(
        [str(release.bin / "python"), "-c", "import uvicorn"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert absent.returncode != 0, "uvicorn belongs to the serve extra, not the plain install"
    plan = release.run(tmp_path, "plan", str(ROOT / "examples" / "company.yaml"), "--sandbox")
    assert plan.returncode == 0, plan.stdout[-2000:] + plan.stderr[-2000:]
    assert re.search(r"^Plan: \d+ to create", plan.stdout, re.MULTILINE)
    printed = "from reconciler.targets.ledgy.printed import printed_operations as p; print(p() is not None)"
    served = subprocess.run(
        [str(release.bin / "python"), "-c", printed], cwd=tmp_path, capture_output=True, text=True
    )
    assert served.stdout.strip() == "True", (
        "the installed operations.printed.json is stale or missing"
    )
    serve = release.run(tmp_path, "sandbox", "serve", "--port", "0")
    assert serve.returncode != 0
    assert "needs uvicorn" in serve.stderr
    assert "pip install 'ledgy-charliehr-reconciler[serve]'" in serve.stderr


def test_the_scaffolded_workflows_pass_zizmor_and_the_schema(adopter: Path) -> None:
    workflows = adopter / ".github" / "workflows"
    zizmor = subprocess.run(
        [
            str(DEV_BIN / "zizmor"),
            "--offline",
            "--persona",
            "auditor",
            "--no-progress",
            str(workflows),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert zizmor.returncode == 0 and "No findings to report" in zizmor.stdout + zizmor.stderr
    schema = subprocess.run(
        [str(DEV_BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in sorted(workflows.glob("*.yml"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


@dataclass(frozen=True)
class ActionInstall:
    venv: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def action_install(
    wheelhouse: Wheelhouse, tmp_path_factory: pytest.TempPathFactory
) -> ActionInstall:
    """action/install.sh as the Action runs it on the tagged checkout, with uv, from the
    wheelhouse alone: every file it installs is checked against requirements.lock."""
    work = tmp_path_factory.mktemp("action")
    env = {
        "PATH": f"{DEV_BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "ACTION_PATH": str(wheelhouse.source),
        "PYTHON": sys.executable,
        "VENV": str(work / "venv"),
        "RECONCILER_CACHE": str(work / "cache"),
        "SCRATCH": str(work / "scratch"),
        "INSTALLER": "uv",
        "UV_OFFLINE": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(wheelhouse.path),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    result = subprocess.run(
        ["bash", str(ROOT / "action" / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return ActionInstall(work / "venv", result)


def test_the_action_installs_the_tagged_checkout_with_exactly_the_locked_set(
    action_install: ActionInstall, tmp_path: Path
) -> None:
    result = action_install.result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip() == "reconciler 9.9.9"
    listed = subprocess.run(
        [
            str(action_install.venv / "bin" / "python"),
            "-c",
            "from importlib.metadata import distributions as d\n"
            "print('\\n'.join(sorted(f\"{x.metadata['Name']}=={x.version}\" for x in d())))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    installed = {_canonical(line) for line in listed}
    locked = {
        _canonical(line.split(" ")[0])
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if re.match(r"[a-z0-9]", line)  # every marker in the lock holds on Linux
    }
    assert installed - locked == {f"{DISTRIBUTION}==9.9.9"}
    assert locked <= installed


def _canonical(pin: str) -> str:
    name, _, version = pin.partition("==")
    return f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}"


def test_what_the_action_installed_plans_the_sandbox_company(
    action_install: ActionInstall, tmp_path: Path
) -> None:
    assert action_install.result.returncode == 0
    plan = subprocess.run(
        [
            str(action_install.venv / "bin" / "reconciler"),
            "plan",
            str(ROOT / "examples" / "company.yaml"),
            "--sandbox",
            "--format",
            "markdown",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert plan.returncode == 0, plan.stderr[-2000:]
    assert re.search(r"^\*\*\d+ to create", plan.stdout, re.MULTILINE)

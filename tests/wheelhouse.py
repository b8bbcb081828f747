"""One build of the release for the tests that install it as an adopter would.

The wheel is built from a clone of HEAD tagged v9.9.9, which is what
``pip install "git+https://github.com/…@vX.Y.Z"`` builds. Beside it, the wheelhouse
holds every wheel an install needs (the dependencies pinned by constraints.txt, and
setuptools with setuptools-scm to build the package again), so the installs that
follow (a fresh venv, pre-commit's hook environment) run with no package index.
Building it is the one step that reads the index.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.scratch import git

TAG = "v9.9.9"


@dataclass(frozen=True)
class Wheelhouse:
    """The built wheel, the directory of every wheel it needs, the commit it came from,
    and the tagged clone it was built from (what the Action checks out)."""

    path: Path
    wheel: Path
    commit: str
    source: Path

    def offline_pip(self) -> dict[str, str]:
        """Environment variables that make any pip install from the wheelhouse only."""
        return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(self.path), "PIP_NO_COMPILE": "1"}


def run(*args: str, cwd: Path | None = None) -> None:
    """Run a command; fail the test with the end of its output if it fails."""
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def build_wheelhouse(work: Path) -> Wheelhouse:
    """Clone HEAD, tag it, and build its wheel with every wheel an install needs."""
    source = work / "source"
    run("git", "clone", "--quiet", str(ROOT), str(source))
    git(source, "tag", TAG)
    commit = git(source, "rev-parse", "HEAD").strip()
    house = work / "wheelhouse"
    build = ("setuptools>=77", "setuptools-scm==10.3.4")  # as pyproject.toml's build-system
    constraints = str(ROOT / "constraints.txt")
    pip = (sys.executable, "-m", "pip", "wheel", "--quiet", "-c", constraints, "-w", str(house))
    run(*pip, str(source), *build)
    (wheel,) = house.glob("ledgy_charliehr_reconciler-*.whl")
    return Wheelhouse(house, wheel, commit, source)

"""Scratch Git repositories for the tests that play an adopter's repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

_IDENTITY = ("-c", "user.name=reconciler tests", "-c", "user.email=tests@example.invalid")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and return its output."""
    result = subprocess.run(
        ["git", *_IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return result.stdout


def git_repo(path: Path) -> Path:
    """Make an empty repository at ``path`` on branch main."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet", "--initial-branch=main")
    return path


def commit_all(repo: Path, message: str = "scratch") -> None:
    """Commit everything in ``repo``."""
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-gpg-sign", "--message", message)

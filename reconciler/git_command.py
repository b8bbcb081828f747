"""Asking the local Git, for the few questions a run has of the repository it runs in.

Every caller treats "Git cannot answer" (not installed, not a repository, timed out)
as "do not know", never as an error of its own: hence ``None`` rather than raising.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GitAnswer:
    """What ``git`` said: its exit code and its standard output."""

    code: int
    out: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def git(directory: Path, *args: str, timeout: float = 30) -> GitAnswer | None:
    """Run ``git -C directory ARGS``; ``None`` when Git could not be run at all."""
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return GitAnswer(done.returncode, done.stdout)


def git_output(directory: Path, *args: str, timeout: float = 30) -> str | None:
    """Git's output, stripped, or ``None`` (no Git, not a repository, no such object)."""
    answer = git(directory, *args, timeout=timeout)
    return answer.out.strip() if answer is not None and answer.ok else None

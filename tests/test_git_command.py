"""The local Git, asked: an answer, a refusal, or no Git at all."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reconciler.git_command import git, git_output


def _repository(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_git_output_is_the_stripped_answer_inside_a_repository(tmp_path: Path) -> None:
    top = _repository(tmp_path)
    assert git_output(top, "rev-parse", "--show-toplevel") == str(top.resolve())


def test_a_refusal_is_none_for_the_output_and_a_code_for_the_answer(tmp_path: Path) -> None:
    assert git_output(tmp_path, "rev-parse", "--show-toplevel") is None  # not a repository
    answer = git(tmp_path, "rev-parse", "--show-toplevel")
    assert answer is not None and not answer.ok and answer.code != 0


def test_no_git_at_all_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no git on it
    assert git(tmp_path, "status") is None
    assert git_output(tmp_path, "status") is None

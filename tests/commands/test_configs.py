"""``reconciler configs``: the configs a change touches, as the workflows' matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.scratch import commit_all, git, git_repo

EXAMPLE = Path(__file__).parents[2] / "examples" / "company.yaml"
INDEX = "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n"


def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = git_repo(tmp_path / "repo")
    (repo / "reconciler.yaml").write_text(INDEX)
    for name, company in (("a", "A Ltd"), ("b", "B GmbH"), ("c", "A Ltd")):
        (repo / "companies" / name).mkdir(parents=True)
        text = EXAMPLE.read_text().replace("company: ", f"company: {company!r} #", 1)
        (repo / "companies" / name / "company.yaml").write_text(text)
    commit_all(repo, "three companies")
    monkeypatch.chdir(repo)
    return repo


def _matrix(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["configs", "--json", *args]) == 0
    found: list[dict[str, str]] = json.loads(capsys.readouterr().out)
    return found


def _change(repo: Path, path: str) -> str:
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    with (repo / path).open("a") as file:
        file.write("# changed\n")
    commit_all(repo, f"change {path}")
    return base


def test_a_change_to_one_config_selects_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    base = _change(repo, "companies/b/company.plan.json")
    (entry,) = _matrix(capsys, "--changed", base, "HEAD")
    assert entry["name"] == "b" and entry["config"] == "companies/b/company.yaml"
    assert entry["plan_environment"] == "reconciler-plan-b"


def test_a_workflow_change_plans_every_config_but_applies_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path, monkeypatch)
    base = _change(repo, ".github/workflows/reconciler-plan.yml")
    assert [e["name"] for e in _matrix(capsys, "--changed", base, "HEAD")] == ["a", "b", "c"]
    assert _matrix(capsys, "--changed", base, "HEAD", "--merged") == []


def test_when_git_cannot_tell_every_config_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch)
    assert len(_matrix(capsys, "--changed", "0" * 40, "HEAD")) == 3  # a new branch
    assert len(_matrix(capsys, "--changed", "f" * 40, "HEAD")) == 3  # not in the checkout


def test_configs_of_one_ledgy_company_share_the_apply_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch)
    groups = {e["name"]: e["ledgy"] for e in _matrix(capsys)}
    assert groups["a"] == groups["c"] != groups["b"]


def test_one_config_by_name_and_an_unknown_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch)
    assert [e["name"] for e in _matrix(capsys, "c")] == ["c"]
    assert main(["configs", "nope"]) == 1
    assert "no config named 'nope'" in capsys.readouterr().err


def test_the_list_for_people_is_a_line_per_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch)
    assert main(["configs"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "a  companies/a/company.yaml",
        "b  companies/b/company.yaml",
        "c  companies/c/company.yaml",
    ]

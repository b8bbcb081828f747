"""``reconciler init --config PATH`` in a repository that holds a config already: the
next config is declared beside the first, which is never touched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reconciler.main import main
from reconciler.scaffold.files import ALL_PLANS_CHECK, PLAN_CHECKS
from tests.commands.test_init import _init


def _files(repo: Path) -> dict[str, str]:
    return {
        p.relative_to(repo).as_posix(): p.read_text()
        for p in repo.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix()
    }


def test_init_twice_declares_both_configs_and_validate_checks_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _init(tmp_path, "--config", "companies/a/company.yaml") == 0
    first = (tmp_path / "companies" / "a" / "company.yaml").read_text()
    assert _init(tmp_path, "--config", "companies/b/company.yaml", "--company", "B") == 0
    out = capsys.readouterr().out
    assert (tmp_path / "companies" / "a" / "company.yaml").read_text() == first
    index = (tmp_path / "reconciler.yaml").read_text()
    assert "  - name: company\n    path: companies/a/company.yaml\n" in index
    assert "  - path: companies/b/company.yaml\n" in index
    assert (tmp_path / "schemas" / "reconciler.schema.json").is_file()
    assert "reconciler-plan-b (plan, sync) and reconciler-apply-b" in out
    workflows = tmp_path / ".github" / "workflows"
    for verb in ("plan", "apply", "sync"):  # a job per config now, from the index
        text = (workflows / f"reconciler-{verb}.yml").read_text()
        assert "reusable-configs.yml" in text and "matrix.config.config" in text
    owners = (tmp_path / ".github" / "CODEOWNERS").read_text()
    assert "/companies/a/company.yaml @your-org/people-team" in owners  # the first's lines
    assert owners.endswith("/companies/b/ @your-org/people-team\n")
    assert "reconciler-plan-b" in (tmp_path / "companies" / "b" / "SETUP.md").read_text()

    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "company (companies/a/company.yaml) is valid" in out
    assert "b (companies/b/company.yaml) is valid" in out
    broken = tmp_path / "companies" / "b" / "company.yaml"
    broken.write_text(broken.read_text().replace("version: 1", "version: 9", 1))
    assert main(["validate"]) == 1
    said = capsys.readouterr()
    assert "companies/b/company.yaml" in said.out + said.err
    assert "b" in said.out + said.err and "companies/a/company.yaml:" not in said.err


def test_the_matrix_of_init_twice_runs_the_first_under_its_old_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _init(tmp_path) == 0
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["configs", "--json"]) == 0
    matrix = json.loads(capsys.readouterr().out)
    assert [(e["name"], e["key"], e["plan_environment"], e["apply_environment"]) for e in matrix] == [
        ("company", "company.yaml", "reconciler-plan", "reconciler-apply"),
        ("b", "b", "reconciler-plan-b", "reconciler-apply-b"),
    ]  # fmt: skip


def test_a_third_config_is_appended_and_nothing_else_changes(tmp_path: Path) -> None:
    assert _init(tmp_path) == 0
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    before = _files(tmp_path)
    assert _init(tmp_path, "--config", "companies/c/company.yaml") == 0
    after = _files(tmp_path)
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"reconciler.yaml", ".github/CODEOWNERS", ".gitignore"}
    assert (
        after["reconciler.yaml"]
        == before["reconciler.yaml"] + "  - path: companies/c/company.yaml\n"
    )
    assert set(after) - set(before) == {"companies/c/company.yaml", "companies/c/SETUP.md"}


def test_edited_workflows_are_kept_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path) == 0
    plan = tmp_path / ".github" / "workflows" / "reconciler-plan.yml"
    plan.write_text(plan.read_text() + "# ours\n")
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    assert plan.read_text().endswith("# ours\n")
    assert "reconciler-plan.yml was edited, so it was kept" in capsys.readouterr().err


def test_a_next_config_whose_name_is_taken_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path, "--config", "companies/a/company.yaml") == 0
    assert _init(tmp_path, "--config", "other/company.yaml") == 0
    capsys.readouterr()
    assert _init(tmp_path, "--config", "more/other/company.yaml") == 1
    err = capsys.readouterr().err
    assert "the name 'other' is taken" in err
    assert not (tmp_path / "more").exists()


def _required(setup: str) -> list[str]:
    """The checks step 4 of SETUP.md tells the adopter to require."""
    section = setup.split("## 4.", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^  - \[ \] `([^`]+)`$", section, re.MULTILINE)


def test_the_move_to_a_job_per_config_says_the_required_check_and_updates_setup_md(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path) == 0
    before = (tmp_path / "SETUP.md").read_text()
    assert _required(before) == list(PLAN_CHECKS)
    capsys.readouterr()
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    out = capsys.readouterr().out
    assert "required check: the workflows run a job per config now" in out
    assert f"must require `{ALL_PLANS_CHECK}` (from GitHub Actions) instead of" in out
    assert f"updated {tmp_path / 'SETUP.md'}: step 4 requires `{ALL_PLANS_CHECK}`" in out
    after = (tmp_path / "SETUP.md").read_text()
    assert _required(after) == [ALL_PLANS_CHECK]
    assert after.split("## 4.")[0] == before.split("## 4.")[0]  # the rest is as it was
    assert after.split("## 5.")[1] == before.split("## 5.")[1]
    assert "are reported by no workflow any more: remove them" in after
    assert all(f"`{check}`" in after for check in PLAN_CHECKS)
    assert not (tmp_path / "SETUP-required-check.md").exists()


def test_an_edited_setup_md_is_kept_and_a_note_beside_it_says_the_required_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path) == 0
    setup = tmp_path / "SETUP.md"
    setup.write_text(setup.read_text() + "\nOur notes.\n")
    edited = setup.read_text()
    capsys.readouterr()
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    out = capsys.readouterr().out
    assert setup.read_text() == edited
    note = (tmp_path / "SETUP-required-check.md").read_text()
    assert f"  - [ ] `{ALL_PLANS_CHECK}`" in note
    assert all(f"`{check}`" in note for check in PLAN_CHECKS)
    assert "`reconciler init --config companies/b/company.yaml` added a config" in note
    assert f"wrote {tmp_path / 'SETUP-required-check.md'} ({setup} was edited" in out


def test_no_required_check_changes_while_the_plan_workflow_runs_one_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path) == 0
    plan = tmp_path / ".github" / "workflows" / "reconciler-plan.yml"
    plan.write_text(plan.read_text() + "# ours\n")
    before = (tmp_path / "SETUP.md").read_text()
    capsys.readouterr()
    assert _init(tmp_path, "--config", "companies/b/company.yaml") == 0
    assert "required check" not in capsys.readouterr().out
    assert (tmp_path / "SETUP.md").read_text() == before
    assert not (tmp_path / "SETUP-required-check.md").exists()

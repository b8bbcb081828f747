"""``reconciler show PLANFILE``: a saved plan shown as ``plan`` showed it, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "company.yaml")
PLAN = ["plan", EXAMPLE, "--sandbox", "--as-of", "2026-11-25"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One saved plan and what `plan` printed in each format."""
    directory = tmp_path_factory.mktemp("show")
    saved = directory / "company.plan.json"
    printed: dict[str, str] = {}
    for kind in ("text", "markdown", "json"):
        out = directory / f"plan.{kind}"
        assert main([*PLAN, "--format", kind, "--out", str(out), "--save", str(saved)]) == 0
        printed[kind] = out.read_text(encoding="utf-8")
    return saved, printed


@pytest.mark.parametrize("kind", ["text", "markdown", "json"])
def test_show_prints_the_saved_plan_as_plan_printed_it(
    kind: str, planned: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    saved, printed = planned
    capsys.readouterr()
    assert main(["show", str(saved), "--format", kind]) == 0
    out = capsys.readouterr().out
    if kind == "text":
        head, out = out.split("\n", 1)
        assert head == f"Saved plan of {Path(EXAMPLE).as_posix()}"
    assert out == printed[kind]


def test_show_of_a_rendered_plan_exits_1_naming_the_file_and_the_remedy(
    planned: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = tmp_path / "plan.txt"
    rendered.write_text(planned[1]["text"], encoding="utf-8")
    assert main(["show", str(rendered)]) == 1
    err = capsys.readouterr().err
    assert f"{rendered} is a plan as `reconciler plan --format text` prints it" in err
    assert "--save FILE" in err


def test_show_of_another_json_file_says_it_is_not_a_saved_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    assert main(["show", str(other)]) == 1
    assert f"{other} is not a saved plan" in capsys.readouterr().err


def test_apply_of_a_rendered_plan_is_refused_and_told_to_save_one(
    planned: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = tmp_path / "plan.md"
    rendered.write_text(planned[1]["markdown"], encoding="utf-8")
    argv = ["apply", EXAMPLE, "--sandbox", "--plan", str(rendered), "--journal"]
    assert main([*argv, str(tmp_path / "journal.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"{rendered} is a plan as `reconciler plan --format markdown` prints it" in err
    assert "save the plan with `reconciler plan CONFIG --save FILE`" in err

"""``validate --format json``: one document a pipeline can read, with the same exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import DATA, ROOT


def _document(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_a_valid_config_is_valid_with_its_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code, document = _document(
        ["validate", str(ROOT / "examples" / "company.yaml"), "--format", "json"], capsys
    )
    assert code == 0 and document["valid"] is True and document["error"] is None
    assert all(p["severity"] == "warning" for p in document["problems"])


def test_every_problem_is_listed_with_its_place(capsys: pytest.CaptureFixture[str]) -> None:
    config = DATA / "configs" / "invalid-five-errors.yaml"
    code, document = _document(["validate", str(config), "--format", "json"], capsys)
    assert code == 1 and document["valid"] is False
    assert len(document["problems"]) == 6
    first = document["problems"][0]
    assert {"path", "line", "col", "severity", "message", "hint"} == set(first)


def test_an_unreadable_config_is_still_a_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _document(
        ["validate", str(tmp_path / "none.yaml"), "--format", "json"], capsys
    )
    assert code == 1 and "no such file" in document["error"] and document["problems"] == []

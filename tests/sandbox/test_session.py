"""``--sandbox``: the live factories build both sides, wired to the emulators in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "company.yaml"


def _config(tmp_path: Path, ledgy: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace("\nledgy:", f"\nledgy:\n{ledgy}", 1)
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sandbox_reads_the_operations_file_the_config_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "  operations: ledgy-operations.graphql")
    assert main(["plan", str(config), "--sandbox"]) != 0
    assert "ledgy-operations.graphql: cannot be read" in capsys.readouterr().err


def test_the_sandbox_needs_no_secret_in_the_environment_and_reads_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET", "LEDGY_API_KEY"):
        monkeypatch.setenv(name, "a real company's key, never sent to the emulators")
    assert main(["plan", str(EXAMPLE), "--sandbox"]) == 0
    assert capsys.readouterr().out.startswith("Plan: ")

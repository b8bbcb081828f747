"""``reconciler schema``: the committed schemas checked, and written when stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import ROOT


def test_schema_check_passes_on_the_committed_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["schema", "--check"]) == 0


def test_schema_check_fails_on_a_stale_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "company.schema.json"
    stale.write_text("{}\n")
    assert main(["schema", "--check", "--output", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["schema", "--output", str(stale)]) == 0
    assert main(["schema", "--check", "--output", str(stale)]) == 0

"""``reconciler explain``: why the plan does what it does for one person, on a sandbox
directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.main import main
from tests.commands.test_plan_apply import AS_OF, EXAMPLE, _plan_json


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    directory = tmp_path / "sandbox"
    assert main(["sandbox", "init", str(directory), "--size", "120", "--config", EXAMPLE]) == 0
    return directory


def test_explain_a_synced_employee(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _plan_json(sandbox, capsys)
    update = next(c for c in data["changes"] if c["action"] == "update")
    assert (
        main(["explain", EXAMPLE, update["identifier"], "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    )
    out = capsys.readouterr().out
    assert "Sync rules (all must pass):" in out and "-> pass" in out
    assert "Match: " in out and "Result: update" in out


def test_explain_an_orphan_and_an_unknown(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["explain", EXAMPLE, "long.gone@acme.test", "--sandbox-dir", str(sandbox), *AS_OF])
        == 0
    )
    assert "is orphaned" in capsys.readouterr().out
    assert (
        main(["explain", EXAMPLE, "nobody@nowhere.test", "--sandbox-dir", str(sandbox), *AS_OF])
        == 1
    )

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import DATA, ROOT

CONFIGS = DATA / "configs"


def test_validate_a_valid_config_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "examples" / "company.yaml")]) == 0
    out = capsys.readouterr().out
    assert "is valid" in out and "Ledgy company 'Acme Ltd'" in out


def test_validate_an_invalid_config_exits_1_listing_every_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(CONFIGS / "invalid-five-errors.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.count("invalid-five-errors.yaml:") == 7  # six problems and the total
    assert "6 problems in the config" in err
    assert "Traceback" not in err


def test_validate_github_format_prints_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["validate", "--format", "github", str(CONFIGS / "invalid-unknown-key-typo.yaml")])
        == 1
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"::error file={CONFIGS / 'invalid-unknown-key-typo.yaml'},line=10,col=3,"
        "title=reconciler validate::unknown key 'grup' in 'stakeholders'; did you mean 'group'?"
        "%0Ahint: known keys here: sensitive_exceptions, identifier, email, group, "
        "optional_fields, custom_fields, sync_if, terminated"
    )


def test_validate_github_format_prints_warnings_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["validate", "--format", "github", str(CONFIGS / "valid-sensitive-exception.yaml")])
        == 0
    )
    assert capsys.readouterr().out.startswith("::warning file=")


def test_a_missing_file_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "none.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


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


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("reconciler ")

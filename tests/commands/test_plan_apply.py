"""plan and apply as a user runs them, on a sandbox directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reconciler.main import main
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "company.yaml")
AS_OF = ["--as-of", "2026-11-25"]


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    directory = tmp_path / "sandbox"
    assert main(["sandbox", "init", str(directory), "--size", "120", "--config", EXAMPLE]) == 0
    return directory


def _plan_json(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["plan", EXAMPLE, "--sandbox-dir", str(sandbox), "--format", "json", *AS_OF]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_plan_apply_plan_gives_no_changes(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _plan_json(sandbox, capsys)
    assert first["summary"]["create"] > 0 and first["summary"]["update"] > 0
    assert (
        main(
            [
                "apply",
                EXAMPLE,
                "--sandbox-dir",
                str(sandbox),
                "--checksum",
                first["checksum"],
                *AS_OF,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Applied:" in out and "0 failed" in out and f"sandbox state saved to {sandbox}" in out
    second = _plan_json(sandbox, capsys)
    assert second["summary"]["create"] == second["summary"]["update"] == 0
    assert main(["plan", EXAMPLE, "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    assert "No changes." in capsys.readouterr().out
    journal = [json.loads(line) for line in (sandbox / "journal.jsonl").read_text().splitlines()]
    assert journal[0]["event"] == "start" and journal[-1]["event"] == "end"
    assert journal[-1]["written"] == first["summary"]["create"] + first["summary"]["update"]


def test_detailed_exitcode_is_2_with_changes_and_0_without(sandbox: Path) -> None:
    assert (
        main(["plan", EXAMPLE, "--sandbox-dir", str(sandbox), "--detailed-exitcode", *AS_OF]) == 2
    )
    assert main(["apply", EXAMPLE, "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    assert (
        main(["plan", EXAMPLE, "--sandbox-dir", str(sandbox), "--detailed-exitcode", *AS_OF]) == 0
    )


def test_a_stale_checksum_applies_nothing(
    sandbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (sandbox / "ledgy.json").read_text()
    stale = "hmac-sha256:" + "0" * 64
    code = main(["apply", EXAMPLE, "--sandbox-dir", str(sandbox), "--checksum", stale, *AS_OF])
    assert code == 1
    assert "not the approved hmac-sha256:000" in capsys.readouterr().err
    assert (sandbox / "ledgy.json").read_text() == before


def test_markdown_and_json_go_to_a_file_masked(sandbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    assert (
        main(
            [
                "plan",
                EXAMPLE,
                "--sandbox-dir",
                str(sandbox),
                "--format",
                "markdown",
                "--out",
                str(out),
                *AS_OF,
            ]
        )
        == 0
    )
    text = out.read_text()
    assert text.startswith("**") and "to create" in text.splitlines()[0]
    people = json.loads((sandbox / "charliehr.json").read_text())["team_members"]
    for secret in [p["date_of_birth"] for p in people] + [p["postcode"] for p in people]:
        assert secret not in text


def test_show_values_shows_them(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert (
        main(
            [
                "plan",
                EXAMPLE,
                "--sandbox-dir",
                str(sandbox),
                "--format",
                "json",
                "--show-values",
                *AS_OF,
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    fields = [f for c in data["changes"] for f in c["fields"].values()]
    assert not any(f.get("masked") for f in fields)


def test_a_missing_sandbox_directory_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", EXAMPLE, "--sandbox-dir", str(tmp_path / "none")]) == 1
    assert "reconciler sandbox init" in capsys.readouterr().err


def test_plan_without_the_secrets_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CHARLIEHR_CLIENT_ID", raising=False)
    assert main(["plan", EXAMPLE]) == 1
    err = capsys.readouterr().err
    assert "environment variable CHARLIEHR_CLIENT_ID is not set" in err and "company.yaml:9:" in err


def test_an_unwritable_journal_is_a_user_error(
    sandbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code = main(
        [
            "apply",
            EXAMPLE,
            "--sandbox-dir",
            str(sandbox),
            "--journal",
            str(blocker / "journal.jsonl"),
            *AS_OF,
        ]
    )
    assert code == 1
    assert "cannot be written" in capsys.readouterr().err


def test_the_workbook_driver_in_the_sandbox_prepares_then_the_admin_uploads(
    sandbox: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CI", "GITHUB_ACTIONS"):  # a developer's machine, also when CI runs the suite
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "workbook.yaml"
    config.write_text(Path(EXAMPLE).read_text().replace("  driver: api ", "  driver: workbook "))
    assert main(["plan", str(config), "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    assert (sandbox / "ledgy-export.xlsx").exists()
    assert main(["apply", str(config), "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    out = capsys.readouterr().out
    assert "Applied" not in out and "sandbox state saved" not in out
    (folder,) = (sandbox / "ledgy-upload").iterdir()
    assert f"folder: {folder}" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.txt",
        "ledgy-bulk-edit-natural-persons.xlsx",
        "ledgy-import-natural-persons.xlsx",
        "manifest.json",
    ]
    assert main(["apply", str(config), "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    assert "Nothing to apply." in capsys.readouterr().out  # pending: never prepared twice
    assert [p.name for p in (sandbox / "ledgy-upload").iterdir()] == [folder.name]
    assert main(["sandbox", "upload", str(sandbox), str(folder)]) == 0
    assert (
        main(["plan", str(config), "--sandbox-dir", str(sandbox), "--detailed-exitcode", *AS_OF])
        == 0
    )


def test_an_unknown_workbook_header_role_points_at_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "workbook.yaml"
    text = Path(EXAMPLE).read_text().replace("  driver: api ", "  driver: workbook ")
    config.write_text(
        text.replace("stakeholder_id: Stakeholder ID", "stakeholder_idx: Stakeholder ID")
    )
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET"):
        monkeypatch.setenv(name, "x")
    assert main(["plan", str(config)]) == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "stakeholder_id:" in row)
    assert f"{config}:{line}:" in capsys.readouterr().err


def test_a_config_changed_after_the_saved_plan_is_named_as_the_cause(
    sandbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(Path(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    saved = tmp_path / "company.plan.json"
    reading = ["--sandbox-dir", str(sandbox), *AS_OF]
    assert main(["plan", str(config), *reading, "--save", str(saved)]) == 0
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  group: Employees ", "  group: Staff ", 1), encoding="utf-8")
    capsys.readouterr()
    journal = ["--journal", str(tmp_path / "journal.jsonl")]
    assert main(["apply", str(config), *reading, "--plan", str(saved), *journal]) == 1
    err = capsys.readouterr().err
    assert "; the config changed since the review, and with it what it reads" in err
    assert "HR or Ledgy data changed" not in err

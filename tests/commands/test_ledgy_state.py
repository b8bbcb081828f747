"""``reconciler ledgy-state``: the export goes into Git encrypted, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrage import x25519

from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.main import main
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS
from reconciler.targets.ledgy.workbook import export_workbook

ADMIN = x25519.Identity.generate()
CONFIG = """version: 1
hris: {{provider: charliehr, client_id: env/HR_ID, client_secret: env/HR_SECRET}}
ledgy:
  company: Acme Ltd
  driver: workbook
  workbook:
{workbook}
stakeholders: {{group: Employees}}
"""


def _config(tmp_path: Path, workbook: str) -> Path:
    path = tmp_path / "company.yaml"
    path.write_text(CONFIG.format(workbook=workbook))
    return path


def _export(path: Path) -> Path:
    people = tuple(
        Stakeholder(id=f"sh_{n}", name=f"P {n}", identifier=f"p{n}@a.test") for n in range(3)
    )
    export_workbook(TargetState("Acme Ltd", people), path, DEFAULT_HEADERS)
    return path


def test_update_encrypts_next_to_the_config_and_show_reads_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, f"    recipients: [{ADMIN.to_public()}]")
    export = _export(tmp_path.parent / f"{tmp_path.name}-export.xlsx")
    assert main(["ledgy-state", "update", str(export), "--config", str(config)]) == 0
    sealed = tmp_path / "company.ledgy.xlsx.age"
    assert b"p1@a.test" not in sealed.read_bytes()
    assert "3 stakeholders, encrypted to 1 recipients" in capsys.readouterr().out
    monkeypatch.setenv("RECONCILER_AGE_IDENTITY", str(ADMIN))
    assert main(["ledgy-state", "show", "--config", str(config)]) == 0
    assert "3 stakeholders" in capsys.readouterr().out


def test_update_refuses_without_recipients_and_a_file_that_is_no_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _config(tmp_path, "    export: ledgy-export.xlsx")
    export = _export(tmp_path.parent / f"{tmp_path.name}-export.xlsx")
    assert main(["ledgy-state", "update", str(export), "--config", str(plain)]) == 1
    assert "recipients is empty" in capsys.readouterr().err
    config = _config(tmp_path, f"    recipients: [{ADMIN.to_public()}]")
    text = tmp_path.parent / f"{tmp_path.name}-notes.xlsx"
    text.write_text("name,salary\n")
    assert main(["ledgy-state", "update", str(text), "--config", str(config)]) == 1
    assert "not an .xlsx workbook" in capsys.readouterr().err
    assert not (tmp_path / "company.ledgy.xlsx.age").exists()


def test_a_mistyped_recipient_is_located_in_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "    recipients: [age1typo]")
    export = _export(tmp_path.parent / f"{tmp_path.name}-export.xlsx")
    assert main(["ledgy-state", "update", str(export), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"{config}:7:" in err and "recipients" in err

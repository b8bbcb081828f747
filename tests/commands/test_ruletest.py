"""``reconciler test``: a config's rule tests offline, as text or JSON, and with no path
every declared config's, each run and the failing ones named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.commands.test_validate import _document
from tests.commands.test_validate_all import _repo
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "company.yaml")
EXAMPLE_TEXT = Path(EXAMPLE).read_text(encoding="utf-8")


def test_rule_tests_pass_and_fail_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", EXAMPLE]) == 0
    assert "3 passed, 0 failed" in capsys.readouterr().out
    broken = tmp_path / "company.yaml"
    broken.write_text(
        Path(EXAMPLE)
        .read_text()
        .replace(
            "expect: {synced: true, group: Alumni}", "expect: {synced: true, group: Employees}"
        )
    )
    assert main(["test", str(broken)]) == 1
    out = capsys.readouterr().out
    assert (
        "FAIL  a German leaver lands in Alumni" in out
        and "expected group Employees, got Alumni" in out
    )


def test_rule_tests_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "company.yaml"
    code, document = _document(["test", str(example), "--format", "json"], capsys)
    assert code == 0 and document["failed"] == 0 and document["passed"] == len(document["tests"])
    failing = tmp_path / "company.yaml"
    failing.write_text(example.read_text().replace("synced: false", "synced: true", 1))
    code, document = _document(["test", str(failing), "--format", "json"], capsys)
    assert code == 1 and document["failed"] == 1
    assert next(t for t in document["tests"] if not t["passed"])["failures"]


def test_rule_tests_of_every_config_each_run_the_failing_one_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = EXAMPLE_TEXT.replace("synced: false", "synced: true", 1)
    _repo(tmp_path, monkeypatch, acme=EXAMPLE_TEXT, beta=failing, gamma=EXAMPLE_TEXT)
    assert main(["test"]) == 1
    out, err = capsys.readouterr()
    assert out.count("3 passed, 0 failed") == 2 and "2 passed, 1 failed" in out
    assert "1 of 3 configs fail: beta" in err
    assert main(["test", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["failed"]) for c in document["configs"]] == [
        ("acme", 0),
        ("beta", 1),
        ("gamma", 0),
    ]

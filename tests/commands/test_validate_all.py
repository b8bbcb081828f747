"""``validate`` with no path: every declared config, then across configs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.conftest import ROOT

EXAMPLE = (ROOT / "examples" / "company.yaml").read_text(encoding="utf-8")
COUNTRY_RULE = "    - {field: country, in: [GB, DE, FR]}"


def _repo(root: Path, monkeypatch: pytest.MonkeyPatch, **configs: str) -> Path:
    for name, text in configs.items():
        path = root / "companies" / name / "company.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    (root / "reconciler.yaml").write_text(
        "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n", encoding="utf-8"
    )
    monkeypatch.chdir(root)
    return root


def _countries(*codes: str) -> str:
    return EXAMPLE.replace(COUNTRY_RULE, f"    - {{field: country, in: [{', '.join(codes)}]}}")


def test_every_config_is_checked_and_the_broken_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _countries("US").replace("version: 1", "version: 2", 1)
    _repo(tmp_path, monkeypatch, acme=_countries("GB"), beta=broken, gamma=_countries("FR"))
    assert main(["validate"]) == 1
    out, err = capsys.readouterr()
    assert "acme (companies/acme/company.yaml) is valid" in out
    assert "gamma (companies/gamma/company.yaml) is valid" in out
    assert "companies/beta/company.yaml:5:10: version: must be 1, not 2" in err
    assert "1 of 3 configs are broken: beta" in err


def test_all_valid_and_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch, acme=_countries("GB"), beta=_countries("DE", "FR"))
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert "all 2 configs are valid" in out
    assert "may overlap" not in err


def test_overlapping_rules_of_one_ledgy_company_are_reported_with_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch, acme=_countries("GB", "DE"), beta=_countries("DE"))
    assert main(["validate"]) == 0  # a warning: only a plan sees who holds which value
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(EXAMPLE.splitlines(), 1) if COUNTRY_RULE in text)
    assert (
        f"companies/acme/company.yaml:{line}:7: warning: configs acme and beta both write to "
        "the Ledgy company 'Acme Ltd' and may overlap: both accept country 'DE' "
        f"(see companies/beta/company.yaml:{line})"
    ) in err


def test_other_ledgy_companies_may_share_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = EXAMPLE.replace("company: Acme Ltd", "company: Acme GmbH")
    _repo(tmp_path, monkeypatch, acme=EXAMPLE, beta=other)
    assert main(["validate"]) == 0
    assert "may overlap" not in capsys.readouterr().err


def test_the_json_document_lists_every_config_and_the_cross_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch, acme=EXAMPLE, beta="version: 1\n")
    assert main(["validate", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False
    assert [(c["name"], c["valid"]) for c in document["configs"]] == [
        ("acme", True),
        ("beta", False),
    ]
    assert document["cross_config"] == []


def test_a_config_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path, monkeypatch, acme=EXAMPLE, beta="version: 1\n")
    assert main(["validate", "acme"]) == 0
    assert "companies/acme/company.yaml is valid" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["validate", "acne"])
    assert usage.value.code == 64
    assert "no config named 'acne'; did you mean 'acme'?" in capsys.readouterr().err


def test_no_path_and_no_config_says_where_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 1
    assert "no config here: neither reconciler.yaml nor company.yaml" in capsys.readouterr().err


def test_without_an_index_the_root_company_yaml_is_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "company.yaml").write_text(EXAMPLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    assert "company (company.yaml) is valid" in capsys.readouterr().out

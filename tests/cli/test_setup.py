"""The setup verbs' parsers: init's values are checked before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.main import build_parser, main


def test_init_refuses_a_config_path_outside_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path), "--config", "../elsewhere.yaml"])
    assert stopped.value.code == 64
    err = capsys.readouterr().err
    assert "--config '../elsewhere.yaml': not a relative path to a .yaml file" in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_init_and_doctor_defaults() -> None:
    init = build_parser().parse_args(["init"])
    assert (init.config, init.branch, init.age_recipient) == ("company.yaml", "main", [])
    doctor = build_parser().parse_args(["doctor"])
    assert doctor.config is None and doctor.repo is None  # every declared config, or company.yaml

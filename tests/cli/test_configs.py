"""The ``configs`` parser: what each flag takes, the one pairing it refuses, and the
handler it sets (the verb's output is tests/commands/test_configs.py's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.errors import ReconcilerError
from reconciler.main import build_parser
from tests.conftest import ROOT


def test_every_flag_is_read_and_the_name_is_optional() -> None:
    args = build_parser().parse_args(
        ["configs", "acme", "--changed", "main", "HEAD", "--merged", "--json"]
    )
    assert (args.name, args.changed, args.merged, args.json) == (
        "acme",
        ["main", "HEAD"],
        True,
        True,
    )
    bare = build_parser().parse_args(["configs"])
    assert (bare.name, bare.changed, bare.merged, bare.json) == (None, None, False, False)


def test_changed_takes_a_base_and_a_head() -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["configs", "--changed", "main"])
    assert stopped.value.code == 64


def test_merged_without_changed_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["configs", "--merged"])
    with pytest.raises(SystemExit) as stopped:
        args.handler(args)
    assert stopped.value.code == 64
    assert "--merged goes with --changed" in capsys.readouterr().err


def test_the_handler_runs_the_verb_with_what_was_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "company.yaml").write_text((ROOT / "examples" / "company.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["configs", "--json"])
    assert args.handler(args) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert (only["name"], only["config"]) == ("company", "company.yaml")
    by_name = build_parser().parse_args(["configs", "nobody"])
    with pytest.raises(ReconcilerError, match="no config named 'nobody'"):
        by_name.handler(by_name)

"""Hostile and careless configs: each is a clear error at its place, never a bug (exit 3)."""

from __future__ import annotations

import pytest

from reconciler.main import main
from tests.hostile.corpus import Case, cases

CONFIGS = cases("configs", "*.yaml")


def test_the_corpus_is_large_enough() -> None:
    assert len(CONFIGS) >= 80


@pytest.mark.parametrize("case", CONFIGS, ids=lambda c: c.name)
def test_validate_answers_a_hostile_config(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(case.path)])
    out, err = capsys.readouterr()
    assert code != 3, err
    assert code == case.code
    assert case.needle in out + err
    assert "Traceback" not in err


def test_an_operations_file_with_a_pasted_token_is_not_echoed(tmp_path) -> None:
    from reconciler.errors import TargetError
    from reconciler.targets.ledgy.operations import load_operations

    path = tmp_path / "ops.graphql"
    path.write_text("ghp_16C7e42F292c6912E7710c838347Ae178B4a query Auth { auth }\n")
    with pytest.raises(TargetError) as caught:
        load_operations(path)
    assert "ghp_" not in caught.value.diagnostics()
    assert f"{path}:1:1: Syntax Error: Unexpected Name." in caught.value.message

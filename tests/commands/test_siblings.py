"""A plan, and an apply, refuse people two configs of one Ledgy company would both manage."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.main import main
from reconciler.sandbox.charliehr import GROUP_ENTITIES, Behaviour, MemberShape
from reconciler.sandbox.ledgy_data import LedgyData
from tests.e2e.harness import served

GROUP = Behaviour(member_shape=MemberShape(legal_entities=GROUP_ENTITIES))
LTD = "  sync_if:\n    - {field: entity, in: [Acme Ltd]}\n"


def _with_sibling(run_config: Path, sibling_rule: str, *, company: str = "Acme Ltd") -> None:
    """Declare the served config and a sibling with other rules, in an index beside them."""
    text = run_config.read_text(encoding="utf-8")
    sibling = text.replace(LTD, sibling_rule).replace("company: Acme Ltd", f"company: {company}")
    (run_config.parent / "gmbh.yaml").write_text(sibling, encoding="utf-8")
    (run_config.parent / "reconciler.yaml").write_text(
        f"version: 1\nconfigs:\n  - name: ltd\n    path: {run_config.name}\n  - path: gmbh.yaml\n",
        encoding="utf-8",
    )


def test_a_person_both_configs_would_manage_is_refused_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    overlapping = "  sync_if:\n    - {field: entity, in: [Acme GmbH, Acme Ltd]}\n"
    with served(tmp_path, monkeypatch, behaviour=GROUP, stakeholders=LTD) as run:
        _with_sibling(run.loaded.path, overlapping)
        monkeypatch.chdir(tmp_path)
        code = main(["plan", "ltd"])
    err = capsys.readouterr().err
    assert code == 1
    assert "would be managed by both configs ltd (company.yaml) and gmbh (gmbh.yaml)" in err
    assert "the same Ledgy company 'Acme Ltd'" in err
    assert "make the sync_if rules at company.yaml:" in err and "gmbh.yaml:" in err


def test_disjoint_siblings_plan_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gmbh = "  sync_if:\n    - {field: entity, in: [Acme GmbH]}\n"
    with served(tmp_path, monkeypatch, behaviour=GROUP, stakeholders=LTD) as run:
        _with_sibling(run.loaded.path, gmbh)
        monkeypatch.chdir(tmp_path)
        assert main(["plan", "ltd"]) == 0, capsys.readouterr().err


def test_a_config_of_another_ledgy_company_may_hold_the_same_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(tmp_path, monkeypatch, behaviour=GROUP, stakeholders=LTD) as run:
        _with_sibling(run.loaded.path, LTD, company="Acme Holding AG")
        monkeypatch.chdir(tmp_path)
        assert main(["plan", "ltd"]) == 0, capsys.readouterr().err


OVERLAPPING = "  sync_if:\n    - {field: entity, in: [Acme GmbH, Acme Ltd]}\n"


@pytest.mark.parametrize(
    "how",
    [
        ["--auto-approve"],
        ["--plan", "company.plan.json"],
        ["--plan", "company.plan.json", "--force", "--reason", "the rules are fine"],
    ],
    ids=["auto-approve", "reviewed-plan", "forced"],
)
def test_an_apply_refuses_them_too_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: list[str],
) -> None:
    ledgy = LedgyData({"id": "co_1", "name": "Acme Ltd"}, [])
    journal = ["--journal", str(tmp_path / "journal.jsonl")]
    with served(tmp_path, monkeypatch, behaviour=GROUP, stakeholders=LTD, ledgy=ledgy) as run:
        monkeypatch.chdir(tmp_path)
        # Saved while ltd was alone; the sibling declared since would manage its people too.
        assert main(["plan", "company.yaml", "--save", "company.plan.json"]) == 0
        _with_sibling(run.loaded.path, OVERLAPPING)
        capsys.readouterr()
        code = main(["apply", "ltd", *how, *journal])
    err = capsys.readouterr().err
    assert code == 1
    assert "would be managed by both configs ltd (company.yaml) and gmbh (gmbh.yaml)" in err
    assert ledgy.stakeholders == []

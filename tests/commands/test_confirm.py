"""``apply`` without a reviewed plan: a terminal asks for yes, CI refuses, as Terraform does."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date
from pathlib import Path

import pytest

from reconciler.commands.confirm import confirm, needs_confirmation
from reconciler.commands.context import open_run
from reconciler.commands.plan import compute
from reconciler.engine.plan import Plan
from reconciler.errors import NotApprovedError, ReconcilerError
from reconciler.main import main
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "company.yaml")
AS_OF = ["--as-of", "2026-11-25"]


class Terminal(io.StringIO):
    """Typed answers on a stdin that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    directory = tmp_path / "sandbox"
    assert main(["sandbox", "init", str(directory), "--size", "40", "--config", EXAMPLE]) == 0
    return directory


def test_a_reviewed_plan_or_auto_approve_never_asks() -> None:
    assert not needs_confirmation(reviewed=True, auto_approve=False, sandbox=False)
    assert not needs_confirmation(reviewed=False, auto_approve=True, sandbox=False)


def test_without_a_terminal_or_a_reviewed_plan_apply_refuses() -> None:
    with pytest.raises(NotApprovedError, match="needs a terminal"):
        needs_confirmation(reviewed=False, auto_approve=False, sandbox=False)
    assert not needs_confirmation(reviewed=False, auto_approve=False, sandbox=True)


def test_on_a_terminal_apply_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Terminal())
    assert needs_confirmation(reviewed=False, auto_approve=False, sandbox=False)


@pytest.mark.parametrize("answer", ["no", "y", "YES please", ""])
def test_anything_but_yes_cancels(answer: str, sandbox_plan: Plan) -> None:
    with pytest.raises(ReconcilerError, match="cancelled; nothing was written"):
        confirm(sandbox_plan, ask=lambda _prompt: answer)


def test_yes_goes_ahead_and_the_prompt_counts_the_changes(sandbox_plan: Plan) -> None:
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "yes"

    confirm(sandbox_plan, ask=answer)
    assert f"Apply these {len(sandbox_plan.changes)} changes to Ledgy?" in prompts[0]


@pytest.fixture
def sandbox_plan(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> Plan:
    run = open_run(Path(EXAMPLE), sandbox=sandbox, as_of=date(2026, 11, 25))
    plan = asyncio.run(compute(run))
    assert plan.has_changes
    return plan


def test_in_ci_a_live_apply_without_a_reviewed_plan_reads_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET", "LEDGY_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["apply", EXAMPLE]) == 1
    err = capsys.readouterr().err
    assert "needs a terminal" in err and "--auto-approve" in err
    assert "secret" not in err.split("what to do")[0]  # refused before any secret was asked


def test_on_a_terminal_no_cancels_and_writes_nothing(
    sandbox: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (sandbox / "ledgy.json").read_text()
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    assert main(["apply", EXAMPLE, "--sandbox-dir", str(sandbox), *AS_OF]) == 1
    out, err = capsys.readouterr()
    assert "to create" in out and "Only 'yes' applies" in out
    assert "apply cancelled; nothing was written" in err
    assert (sandbox / "ledgy.json").read_text() == before


def test_on_a_terminal_yes_applies(
    sandbox: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    assert main(["apply", EXAMPLE, "--sandbox-dir", str(sandbox), *AS_OF]) == 0
    assert "Applied:" in capsys.readouterr().out


def test_apply_writes_its_result_as_json(
    sandbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = tmp_path / "result.json"
    argv = ["apply", EXAMPLE, "--sandbox-dir", str(sandbox), "--format", "json", "--out"]
    assert main([*argv, str(result), *AS_OF]) == 0
    document = json.loads(result.read_text())
    assert document["outcome"] == "applied" and document["failed"] == 0
    assert document["written"] == len(document["writes"]) > 0
    assert "sha256:" in document["checksum"]
    assert {"action", "identifier", "fields", "ok"} <= set(document["writes"][0])


def test_json_without_out_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["apply", EXAMPLE, "--sandbox", "--format", "json"])
    assert caught.value.code == 64

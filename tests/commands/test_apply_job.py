"""One apply run as ``apply`` and apply-from-the-merge share it: the plan shown first,
``yes`` asked for when it must be, every write journaled, the result written when
asked (on a sandbox directory; the ways in are tests/commands/test_apply.py,
test_manual.py and test_apply_merged.py)."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date
from pathlib import Path

import pytest

from reconciler.artifacts.journal import Journal
from reconciler.commands.apply_job import ApplyJob
from reconciler.commands.context import Run, open_run
from reconciler.errors import ReconcilerError
from reconciler.main import main
from tests.commands.test_plan_apply import EXAMPLE


@pytest.fixture
def run(tmp_path: Path) -> Run:
    directory = tmp_path / "sandbox"
    assert main(["sandbox", "init", str(directory), "--size", "40", "--config", EXAMPLE]) == 0
    return open_run(Path(EXAMPLE), sandbox=directory, as_of=date(2026, 11, 25))


def _events(journal: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in journal.read_text().splitlines()]


def test_the_plan_is_shown_then_every_write_is_journaled(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "journal.jsonl"
    job = ApplyJob(run, Journal(journal))
    report = asyncio.run(job(approved=None, force=True))
    assert job.plan is report.plan and report.plan.has_changes
    assert "create" in capsys.readouterr().out  # the plan, as `plan` prints it
    events = _events(journal)
    assert events[0]["event"] == "start" and events[0]["checksum"] == report.plan.checksum
    writes = events[1:]
    assert [e["event"] for e in writes] == ["write"] * len(report.results)
    assert [e["identifier"] for e in writes] == [r.write.identifier for r in report.results]
    assert all(e["ok"] for e in writes)  # the caller ends the journal, not the job


def test_a_job_that_must_ask_writes_nothing_unless_told_yes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "journal.jsonl"
    job = ApplyJob(run, Journal(journal))
    job.confirm = True
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    with pytest.raises(ReconcilerError, match="apply cancelled; nothing was written"):
        asyncio.run(job(approved=None, force=True))
    assert job.plan is not None and not journal.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    again = ApplyJob(run, Journal(journal))
    again.confirm = True
    report = asyncio.run(again(approved=None, force=True))
    assert report.plan.changes == job.plan.changes  # the cancelled run wrote nothing
    assert len(report.results) == len(report.plan.changes)


def test_the_result_is_written_only_where_asked(run: Run, tmp_path: Path) -> None:
    job = ApplyJob(run, Journal(tmp_path / "journal.jsonl"))
    job.write_result("refused", "not approved")  # no --out: nothing is written
    assert list(tmp_path.glob("*.json")) == []
    job.result = tmp_path / "result.json"
    job.write_result("refused", "not approved")
    early = json.loads(job.result.read_text())
    assert (early["outcome"], early["checksum"], early["writes"]) == ("refused", None, [])
    report = asyncio.run(job(approved=None, force=True))
    job.write_result("applied", "done", report)
    document = json.loads(job.result.read_text())
    assert (document["outcome"], document["checksum"]) == ("applied", report.plan.checksum)
    assert document["written"] == len(report.results) > 0

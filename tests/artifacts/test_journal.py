"""The apply journal: one JSON line per event, what was done and never a value; and
when a plan last landed in full."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reconciler.artifacts.journal import Journal, landed_at
from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import ReconcilerError
from tests.engine.helpers import config, employee, state


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_run_writes_start_writes_and_end_under_one_run_id(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "journal.jsonl"
    journal = Journal(path)
    plan = build_plan([employee(1)], state(), config(), key=SANDBOX_KEY)
    journal.start(plan)
    write = Write("create", "ada@acme.test", {"name": "Ada", "hris.salary": 99000})
    journal.record(WriteResult(write, True, "sh_1"))
    journal.end("applied", "1 written", written=1)
    start, wrote, end = _lines(path)
    assert {start["run"], wrote["run"], end["run"]} == {journal.run}
    assert (start["event"], start["checksum"]) == ("start", plan.checksum)
    assert {k: wrote[k] for k in ("event", "identifier", "stakeholder_id", "fields", "ok")} == {
        "event": "write",
        "identifier": "ada@acme.test",
        "stakeholder_id": "sh_1",
        "fields": ["hris.salary", "name"],
        "ok": True,
    }
    assert "99000" not in path.read_text() and 'Ada"' not in path.read_text()
    assert (end["outcome"], end["written"], end["failed"]) == ("applied", 1, 0)


def test_two_runs_append_to_one_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    first, second = Journal(path), Journal(path)
    first.end("refused", "no")
    second.receipt(actor="ada", how="by hand", reason="urgent", told="#12")
    assert [(e["run"], e["event"]) for e in _lines(path)] == [
        (first.run, "end"),
        (second.run, "receipt"),
    ]
    assert first.run != second.run


def test_landed_is_found_by_checksum_and_only_strictly_after_since(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    assert landed_at(path, "abc") is None  # no journal
    journal = Journal(path)
    journal.landed("abc")
    journal.landed("other")
    with path.open("a") as handle:
        handle.write("{torn\n")
    (at,) = [
        datetime.fromisoformat(str(e["at"])) for e in _lines_ok(path) if e["checksum"] == "abc"
    ]
    assert landed_at(path, "abc") == at
    assert landed_at(path, "missing") is None
    assert landed_at(path, "abc", since=at) is None
    assert landed_at(path, "abc", since=at - timedelta(seconds=1)) == at
    assert at.tzinfo == UTC


def _lines_ok(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith('{"')]


def test_an_unwritable_journal_says_so_and_what_to_do(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ReconcilerError) as caught:
        Journal(blocker / "journal.jsonl")
    assert "cannot be written" in caught.value.message
    assert caught.value.remedy == "give a writable path with --journal"

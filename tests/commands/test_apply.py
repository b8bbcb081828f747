"""apply with a saved plan: applies only what it approved, resumes, says when it is done."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.main import main
from reconciler.sandbox.faults import Knobs
from tests.e2e.harness import live, member


def _journal(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _args(run: Any, tmp_path: Path) -> tuple[str, str, list[str]]:
    config = str(run.loaded.path)
    saved = str(tmp_path / "company.plan.json")
    return config, saved, ["--journal", str(tmp_path / "journal.jsonl")]


def test_a_saved_plan_is_stable_applies_once_then_is_already_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with live(tmp_path, monkeypatch, [member(n) for n in range(1, 5)], []) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        first = Path(saved).read_bytes()
        run.later()  # each command a minute after the last: Ledgy's 5 s window has passed
        assert main(["plan", config, "--save", saved]) == 0
        assert Path(saved).read_bytes() == first
        assert "is up to date" in capsys.readouterr().err
        run.later()
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        run.later()
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        out = capsys.readouterr().out
        assert "Already applied: all 4 approved writes have landed (the journal " in out
        assert len(run.ledgy.stakeholders) == 4
    data = json.loads(first)
    assert all(len(c["digest"]) == 32 for c in data["changes"]) and "at" not in data
    ends = [e for e in _journal(tmp_path / "journal.jsonl") if e["event"] == "end"]
    assert [e["outcome"] for e in ends] == ["applied", "already-applied"]


def test_a_plan_that_landed_is_not_applied_again_after_a_change_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with live(tmp_path, monkeypatch, [member(n) for n in range(1, 4)], []) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        checksum = json.loads(Path(saved).read_text())["checksum"]
        run.later()  # each command a minute after the last: Ledgy's 5 s window has passed
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        del run.ledgy.stakeholders[1:]  # someone removes two of them in Ledgy by hand
        capsys.readouterr()
        run.later()
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        by_plan = capsys.readouterr().out
        run.later()
        assert main(["apply", config, "--checksum", checksum, *journal]) == 0
        by_checksum = capsys.readouterr().out
        assert len(run.ledgy.stakeholders) == 1  # neither replays the plan as a resume
        run.later()
        assert main(["plan", config]) == 0  # the change by hand is there to review
        planned = capsys.readouterr().out
    assert "Already applied: all 3 approved writes have landed (the journal " in by_plan
    assert "Already applied: its writes have landed (the journal " in by_checksum
    for out in (by_plan, by_checksum):
        assert "The plan now has 2 change(s)" in out and "for review" in out
    assert "Plan: 2 to create" in planned
    ends = [e for e in _journal(tmp_path / "journal.jsonl") if e["event"] == "end"]
    assert [e["outcome"] for e in ends] == ["applied", "already-applied", "already-applied"]


def test_an_interrupted_apply_resumes_with_the_approved_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with live(tmp_path, monkeypatch, [member(n) for n in range(1, 6)], []) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        run.later()  # each command a minute after the last: Ledgy's 5 s window has passed
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        del run.ledgy.stakeholders[3:]  # as if the run died after three writes:
        _killed_after(tmp_path / "journal.jsonl", writes=3)  # its record stops there
        capsys.readouterr()
        run.later()
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        err = capsys.readouterr().err
        identifiers = sorted(s["identifier"] for s in run.ledgy.stakeholders)
    assert "resuming: 3 of 5 approved writes had landed; applying the other 2" in err
    assert identifiers == [f"person{n}@acme.test" for n in range(1, 6)]
    assert _journal(tmp_path / "journal.jsonl")[-1]["outcome"] == "resumed"


def _killed_after(path: Path, *, writes: int) -> None:
    """The journal as a run killed after ``writes`` writes leaves it: no landed line,
    no end."""
    kept, seen = [], 0
    for line in path.read_text().splitlines():
        seen += json.loads(line)["event"] == "write"
        if seen > writes:
            break
        kept.append(line)
    path.write_text("\n".join(kept) + "\n")


def test_a_change_nobody_approved_is_refused_and_journaled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(1), member(2)]
    with live(tmp_path, monkeypatch, members, []) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        members.append(member(3))  # a hire after the review
        assert main(["apply", config, "--plan", saved, *journal]) == 1
        assert run.ledgy.stakeholders == []
    err = capsys.readouterr().err
    assert "1 change(s) in the plan now were not approved" in err and "person3@acme.test" in err
    last = _journal(tmp_path / "journal.jsonl")[-1]
    assert last["event"] == "end" and last["outcome"] == "refused"


def test_a_truncated_checksum_says_truncated_not_data_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with live(tmp_path, monkeypatch, [member(1)], []) as run:
        config, _, journal = _args(run, tmp_path)
        checksum = "hmac-sha256:" + "ab" * 10
        assert main(["apply", config, "--checksum", checksum, *journal]) == 1
    err = capsys.readouterr().err
    assert "the checksum is truncated (20 of 64 hex digits)" in err and "changed" not in err
    assert _journal(tmp_path / "journal.jsonl")[-1]["outcome"] == "refused"


def test_a_truncated_plan_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.commands.test_plan_apply import EXAMPLE

    saved = tmp_path / "company.plan.json"
    saved.write_text('{"format": "reconciler-saved-plan", "checksum": "hmac-sha')
    journal = ["--journal", str(tmp_path / "j.jsonl")]
    assert main(["apply", EXAMPLE, "--sandbox", "--plan", str(saved), *journal]) == 1
    assert "not JSON" in capsys.readouterr().err


def _writes(journal: Path) -> int:
    if not journal.exists():
        return 0
    return sum('"event": "write"' in line for line in journal.read_text().splitlines())


def _apply_until_written(
    config: str, saved: str, journal: list[str], path: Path, writes: int
) -> subprocess.Popen[bytes]:
    """``apply --plan`` in its own process, returned once it has journaled ``writes``."""
    command = [sys.executable, "-m", "reconciler", "apply", config, "--plan", saved, *journal]
    apply = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Ctrl-C as a terminal delivers it, even when the suite runs as a background job
        # (which starts with SIGINT ignored, inherited by children).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while _writes(path) < writes and apply.poll() is None:
        assert time.monotonic() < deadline, "the apply never wrote"
        time.sleep(0.02)
    return apply


def _records(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in p.items() if k != "id"} for p in people), key=str)


def test_an_apply_killed_midway_finishes_with_the_same_plan_file_and_no_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    people = [member(n) for n in range(1, 13)]
    (tmp_path / "clean").mkdir()
    with live(tmp_path / "clean", monkeypatch, people, []) as clean:
        clean_apply = ["apply", str(clean.loaded.path), "--auto-approve"]
        assert main([*clean_apply, "--journal", str(tmp_path / "c.jsonl")]) == 0
        expected = _records(clean.ledgy.stakeholders)
    slow = Knobs(latency=0.3)  # each Ledgy request: slow enough to be killed between writes
    with live(tmp_path, monkeypatch, people, [], batch_size=1) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        run.misbehave(slow)  # only while the apply is to be killed
        apply = _apply_until_written(config, saved, journal, tmp_path / "journal.jsonl", 4)
        apply.send_signal(signal.SIGKILL)
        apply.communicate(timeout=60)
        assert apply.returncode == -signal.SIGKILL
        run.misbehave(Knobs())
        landed = len(run.ledgy.stakeholders)
        assert 4 <= landed < 12
        capsys.readouterr()
        run.later()  # the rerun comes later: Ledgy's 5 s window has passed
        assert main(["apply", config, "--plan", saved, *journal]) == 0
        err = capsys.readouterr().err
        identifiers = [s["identifier"] for s in run.ledgy.stakeholders]
        finished = _records(run.ledgy.stakeholders)
    assert f"resuming: {landed} of 12 approved writes had landed; applying the other" in err
    assert len(identifiers) == len(set(identifiers)) == 12  # zero duplicates
    assert finished == expected  # the same Ledgy as one clean apply
    events = [e["event"] for e in _journal(tmp_path / "journal.jsonl")]
    assert events.count("start") == 2 and events.count("end") == 1  # the killed run has no end


def test_a_plan_saved_under_another_key_is_refused_and_the_remedy_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with live(tmp_path, monkeypatch, [member(1), member(2)], []) as run:
        config, saved, journal = _args(run, tmp_path)
        monkeypatch.setenv("RECONCILER_PLAN_KEY", "the plan workflow's key, 32 chars")
        assert main(["plan", config, "--save", saved]) == 0
        monkeypatch.setenv("RECONCILER_PLAN_KEY", "the apply workflow's other key!!")
        assert main(["apply", config, "--plan", saved, *journal]) == 1
        assert run.ledgy.stakeholders == []
    err = capsys.readouterr().err
    assert "keyed differently (this run's key comes from RECONCILER_PLAN_KEY)" in err


def test_an_apply_stopped_with_ctrl_c_ends_its_journal_as_interrupted_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [member(n) for n in range(1, 9)]
    slow = Knobs(latency=0.3)  # each Ledgy request: slow enough to be stopped between writes
    with live(tmp_path, monkeypatch, people, [], batch_size=1) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        run.misbehave(slow)  # only while the apply is to be stopped
        apply = _apply_until_written(config, saved, journal, tmp_path / "journal.jsonl", 2)
        apply.send_signal(signal.SIGINT)
        _, err = apply.communicate(timeout=60)
        assert apply.returncode == 130
        landed = len(run.ledgy.stakeholders)
    assert 2 <= landed < 8
    assert err.decode().strip().splitlines()[-1] == "interrupted"
    last = _journal(tmp_path / "journal.jsonl")[-1]
    assert last["event"] == "end" and last["outcome"] == "interrupted"
    assert last["message"] == "stopped by the user; apply again to finish"


def test_an_unexpected_error_midway_still_ends_the_journal_as_failed_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a mock of our code: the HTTP library itself breaks on the first Ledgy write,
    # as a bug in a dependency would.
    send = httpx.AsyncClient.send

    async def breaks_on_writes(
        self: httpx.AsyncClient, request: httpx.Request, **kw: Any
    ) -> httpx.Response:
        if request.content and json.loads(request.content)["query"].startswith("mutation"):
            raise RuntimeError("a dependency broke")
        return await send(self, request, **kw)

    with live(tmp_path, monkeypatch, [member(1), member(2)], []) as run:
        config, saved, journal = _args(run, tmp_path)
        assert main(["plan", config, "--save", saved]) == 0
        monkeypatch.setattr(httpx.AsyncClient, "send", breaks_on_writes)
        assert main(["apply", config, "--plan", saved, *journal]) == 3
        assert run.ledgy.stakeholders == []
    events = _journal(tmp_path / "journal.jsonl")
    assert events[0]["event"] == "start"
    assert events[-1]["event"] == "end" and events[-1]["outcome"] == "failed"
    assert events[-1]["message"] == "unexpected error (RuntimeError)"
    assert "unexpected error (RuntimeError); this is a bug" in capsys.readouterr().err

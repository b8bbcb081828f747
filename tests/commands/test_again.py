"""Sync when the base branch holds the plan already: review it again, or apply it.

Over the emulators: a refused merge, a merge never answered, a plan reverted in Ledgy
by hand after it landed, and a merge whose apply was cancelled.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reconciler.main import main
from tests.e2e.harness import Live, live, member
from tests.github.harness import Actions, actions

PLAN_FILE = "company.plan.json"


@contextmanager
def _world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[dict[str, Any]]
) -> Iterator[tuple[Actions, Live, str]]:
    with actions(tmp_path, monkeypatch) as gh, live(tmp_path, monkeypatch, members, []) as run:
        gh.commit_config(run.loaded.path)
        yield gh, run, str(run.loaded.path)


def _sync(gh: Actions, config: str) -> list[dict[str, Any]]:
    """Run the scheduled sync; the sync pull requests so far, oldest first."""
    gh.schedule_event()
    assert main(["sync", config]) == 0
    return [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]


def _merge_and_apply(
    gh: Actions, config: str, number: int, *, approve_by: str | None = "grace"
) -> int:
    gh.merge(number, approve_by=approve_by)
    return main(["apply", config, "--from-pr"])


def test_sync_after_a_refused_merge_proposes_the_plan_again_and_tells_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1), member(2)]) as (gh, run, config):
        (old,) = _sync(gh, config)
        run.later()  # each run a minute after the last: Ledgy's 5 s window has passed
        assert _merge_and_apply(gh, config, old["number"], approve_by=None) == 1  # refused
        capsys.readouterr()
        run.later()
        old_pr, new = _sync(gh, config)
        err = capsys.readouterr().err
        saved = json.loads(gh.data.file(PLAN_FILE, new["head"]["ref"]) or "{}")
        told = gh.comments(old["number"])[-1]["body"]
        assert new["state"] == "open" and new["number"] != old["number"]
        run.later()
        _sync(gh, config)  # the next run: the old one is not told again
        assert gh.comments(old["number"])[-1]["body"] == told
        run.later()
        assert _merge_and_apply(gh, config, new["number"]) == 0
        assert len(run.ledgy.stakeholders) == 2
    assert old_pr is old
    assert "approved" not in err and "sync pull request opened" in err
    assert saved["proposed_again"] == {"after": old["number"], "because": "refused"}
    assert (
        f"-->\n\n🔁 **Proposed again for review.** The same plan, merged in #{old['number']}, "
        "was refused by its apply"
    ) in new["body"]
    assert told.startswith(f"🔁 **Proposed again in #{new['number']}**")
    assert f"Review and merge #{new['number']} to apply it." in told


def test_a_merge_without_approvals_that_no_apply_answered_is_proposed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, run, config):
        (old,) = _sync(gh, config)
        gh.merge(old["number"], approve_by=None)  # and its apply run is cancelled
        _, new = _sync(gh, config)
        assert run.ledgy.stakeholders == []
    assert "lacked the approvals it needed" in new["body"]
    assert f"#{old['number']} has 0 of the 1 approving review(s)" in new["body"]
    assert "approved and merged" not in capsys.readouterr().err


def test_a_plan_reverted_by_hand_after_it_landed_is_proposed_again_not_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1), member(2)]) as (gh, run, config):
        (old,) = _sync(gh, config)
        run.later()  # each run a minute after the last: Ledgy's 5 s window has passed
        assert _merge_and_apply(gh, config, old["number"]) == 0
        run.ledgy.stakeholders.clear()  # someone deletes both in Ledgy by hand
        capsys.readouterr()
        run.later()
        assert main(["apply", config, "--from-pr"]) == 0  # the workflow re-run
        rerun = capsys.readouterr().out
        assert run.ledgy.stakeholders == []  # not replayed as a resume
        run.later()
        _, new = _sync(gh, config)
        saved = json.loads(gh.data.file(PLAN_FILE, new["head"]["ref"]) or "{}")
    assert "Already applied: all 2 approved writes have landed (the receipt on #" in rerun
    assert "The plan now has 2 change(s)" in rerun
    assert saved["proposed_again"] == {"after": old["number"], "because": "applied"}
    assert "was applied, and Ledgy has gone back since" in new["body"]


def test_a_plan_merged_with_its_approvals_whose_apply_was_cancelled_is_due_not_reviewed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, _, config):
        (old,) = _sync(gh, config)
        gh.merge(old["number"])  # approved; its apply run is cancelled
        capsys.readouterr()
        assert _sync(gh, config) == [old]  # no new pull request
    err = capsys.readouterr().err
    assert f"merged with its approvals in #{old['number']}; its apply did not run" in err
    assert "re-run the apply workflow" in err


def test_a_plan_committed_to_the_base_branch_directly_is_proposed_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, _, config):
        assert main(["plan", config, "--save", str(tmp_path / PLAN_FILE)]) == 0
        gh.data.commit_files("main", {PLAN_FILE: (tmp_path / PLAN_FILE).read_text()})
        (new,) = _sync(gh, config)
        saved = json.loads(gh.data.file(PLAN_FILE, new["head"]["ref"]) or "{}")
    assert saved["proposed_again"] == {"after": None, "because": "unreviewed"}
    assert "-->\n\n🔁 **Proposed again for review.** The same plan, on the base" in new["body"]

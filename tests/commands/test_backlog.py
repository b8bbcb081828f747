"""Every approved merge is applied, in order, over the emulators.

GitHub keeps one pending run per concurrency group and cancels the one before it, so
of three quick merges the middle one's apply never runs: the harness simply never
runs it. The third merge's apply finds it and applies its approved changes too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reconciler.github.answers import read_outcome
from reconciler.github.sticky import read_state
from reconciler.main import main
from reconciler.sandbox.faults import Knobs
from tests.e2e.harness import Live, live, member
from tests.github.harness import Actions, actions


@contextmanager
def _world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[dict[str, Any]]
) -> Iterator[tuple[Actions, Live, str]]:
    # Many runs in a few seconds: Ledgy's limit of 20 requests per 5 s is not the point.
    knobs = Knobs(rate_limit=1000)
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, members, [], ledgy_knobs=knobs) as run,
    ):
        gh.commit_config(run.loaded.path)
        yield gh, run, str(run.loaded.path)


def _planned(gh: Actions, config: str, number: int) -> str:
    """Open pull request ``number`` and post its plan comment; its approved checksum."""
    gh.open_pull(number)
    assert main(["plan", config, "--comment"]) == 0
    return read_state(gh.comments(number)[0]["body"]).checksum or ""


def _identifiers(run: Live) -> list[str]:
    return sorted(s["identifier"] for s in run.ledgy.stakeholders)


def _receipts(gh: Actions, number: int) -> list[str]:
    return [c["body"] for c in gh.comments(number) if c["body"].startswith("<!-- reconciler:r")]


def test_three_quick_merges_with_the_middle_run_cancelled_apply_every_approved_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(1)]
    with _world(tmp_path, monkeypatch, members) as (gh, run, config):
        _planned(gh, config, 1)  # plans: create person1
        _planned(gh, config, 3)  # planned early: create person1
        gh.merge(1)
        assert main(["apply", config, "--from-pr"]) == 0  # person1
        members.append(member(2))  # a hire
        middle = _planned(gh, config, 2)  # planned after it: create person2
        gh.merge(2)  # its apply run is cancelled: the next merge's run replaces it
        gh.merge(3)
        capsys.readouterr()
        assert main(["apply", config, "--from-pr"]) == 0
        assert _identifiers(run) == ["person1@acme.test", "person2@acme.test"]
        err = capsys.readouterr().err
        (second,) = _receipts(gh, 2)
        (third,) = _receipts(gh, 3)
        assert main(["apply", config, "--from-pr"]) == 0  # the workflow re-run: nothing more
        assert len(_receipts(gh, 2)) == 1 and len(_receipts(gh, 3)) == 1
    assert "#2 was merged with its approvals, but its apply did not run" in err
    assert f"🧾 **Applied** plan `{middle}`" in second and "1 created, 0 updated" in second
    assert "the run of #3's merge applied this plan's approved changes" in second
    assert "`person2@acme.test`" in second
    assert "With this plan, the approved changes of earlier merges" in third and "#2" in third
    assert "1 created, 0 updated, 0 failed" in third
    outcome2, outcome3 = read_outcome(second), read_outcome(third)
    assert outcome2 is not None and (outcome2.outcome, outcome2.checksum) == ("landed", middle)
    assert outcome3 is not None and outcome3.outcome == "landed"


def test_an_earlier_merge_without_its_approvals_is_named_on_its_pull_request_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(1)]
    with _world(tmp_path, monkeypatch, members) as (gh, run, config):
        _planned(gh, config, 1)
        _planned(gh, config, 3)
        gh.merge(1)
        assert main(["apply", config, "--from-pr"]) == 0
        members.append(member(2))
        _planned(gh, config, 2)
        gh.merge(2, approve_by=None)  # no approval, and its run is cancelled
        gh.merge(3)
        assert main(["apply", config, "--from-pr"]) == 1  # person2 was approved by no one
        assert _identifiers(run) == ["person1@acme.test"]
        (note,) = _receipts(gh, 2)
        compared = _receipts(gh, 3)[-1]
        assert main(["apply", config, "--from-pr"]) == 1  # a re-run: #2 is not told again
        assert len(_receipts(gh, 2)) == 1
    assert "⛔ **Not applied**" in note and "the run of #3's merge" in note
    assert "#2 has 0 of the 1 approving review(s)" in note and "tries it again" in note
    said = read_outcome(note)
    assert said is not None and said.outcome == "refused"
    assert "**Not approved, in the plan now (1):** `person2@acme.test` (create)" in compared
    assert "#2 was merged, never applied, and is not applied now" in capsys.readouterr().err


def test_an_apply_that_failed_before_it_answered_is_finished_by_the_next_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1)]
    with _world(tmp_path, monkeypatch, members) as (gh, run, config):
        _planned(gh, config, 1)
        members.append(member(2))
        _planned(gh, config, 2)
        gh.merge(1)  # its run fails before it writes or says anything (Ledgy down, say)
        gh.merge(2)
        assert main(["apply", config, "--from-pr"]) == 0
        assert _identifiers(run) == ["person1@acme.test", "person2@acme.test"]
        (first,) = _receipts(gh, 1)
    assert "1 created, 0 updated" in first and "`person1@acme.test`" in first
    said = read_outcome(first)
    assert said is not None and said.outcome == "landed"

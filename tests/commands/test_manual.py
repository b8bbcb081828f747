"""No silent manual path: apply by hand is held to a merge's rule and leaves a receipt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reconciler.github.sticky import read_state
from reconciler.main import main
from tests.e2e.harness import Live, live, member
from tests.github.harness import Actions, actions

REASON = "payroll closes today and the review is stuck"
PLAN_FILE = "company.plan.json"


@contextmanager
def _world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Actions, Live]]:
    members = [member(n) for n in range(1, 4)]
    with actions(tmp_path, monkeypatch) as gh, live(tmp_path, monkeypatch, members, []) as run:
        gh.commit_config(run.loaded.path)
        yield gh, run


def _journal(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "journal.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def _apply(run: Live, tmp_path: Path, *options: str) -> list[str]:
    journal = ["--journal", str(tmp_path / "journal.jsonl")]
    return ["apply", str(run.loaded.path), *options, *journal]


def test_the_checksum_of_an_unapproved_pull_requests_comment_applies_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        gh.open_pull(50)
        assert main(["plan", str(run.loaded.path), "--comment"]) == 0
        checksum = read_state(gh.comments(50)[0]["body"]).checksum
        assert checksum is not None
        gh.dispatch_event("mallory")
        capsys.readouterr()
        assert main(_apply(run, tmp_path, "--checksum", checksum)) == 1  # the PR is open
        assert (
            "#50 is open: only a merged pull request's plan is applied" in capsys.readouterr().err
        )
        gh.merge(50, approve_by=None)
        gh.dispatch_event("mallory")
        assert main(_apply(run, tmp_path, "--checksum", checksum)) == 1  # merged, unapproved
        assert run.ledgy.stakeholders == []
        notes = [c["body"] for c in gh.comments(50)]
    err = capsys.readouterr().err
    assert (
        "--checksum names the plan shown on #50 (its plan comment), which is not an approved merge's"
        in err
    )
    assert "#50 has 0 of the 1 approving review(s)" in err and "nothing was applied" in err
    assert "--force --reason" in err
    refused = [n for n in notes if "an apply of this pull request's plan" in n]
    assert len(refused) == 2 and "by hand was refused" in refused[-1]
    assert "Started by hand by **mallory** with `--checksum`. No reason was given." in refused[-1]
    assert [e["outcome"] for e in _journal(tmp_path) if e["event"] == "end"] == ["refused"] * 2


def test_a_sync_plan_whose_merge_was_refused_is_not_applied_by_hand_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        config = str(run.loaded.path)
        gh.schedule_event()
        assert main(["sync", config]) == 0
        (pull,) = [p for p in gh.data.pulls if p["head"]["ref"].startswith("reconciler/sync/")]
        number = pull["number"]
        gh.merge(number, approve_by=None)
        assert main(["apply", config, "--from-pr"]) == 1  # the merge is refused
        (tmp_path / PLAN_FILE).write_text(gh.data.file(PLAN_FILE, "main") or "")  # the checkout

        gh.dispatch_event("mallory")
        capsys.readouterr()
        assert main(_apply(run, tmp_path, "--plan", PLAN_FILE)) == 1
        assert run.ledgy.stakeholders == []
        err = capsys.readouterr().err
        assert f"the plan shown on #{number} (its body (the sync pull request))" in err
        assert f"#{number} has 0 of the 1 approving review(s)" in err

        gh.dispatch_event("maintainer-mo")
        with pytest.raises(SystemExit) as stopped:  # no reason: a usage error
            main(_apply(run, tmp_path, "--plan", PLAN_FILE, "--force"))
        assert stopped.value.code == 64 and run.ledgy.stakeholders == []
        assert "--force needs --reason" in capsys.readouterr().err
        assert main(_apply(run, tmp_path, "--plan", PLAN_FILE, "--force", "--reason", REASON)) == 0
        assert len(run.ledgy.stakeholders) == 3
        receipt = gh.comments(number)[-1]["body"]
    assert receipt.startswith("<!-- reconciler:receipt ")
    assert "🧾 **Applied by hand (forced)** plan `hmac-sha256:" in receipt
    assert "3 created, 0 updated, 0 failed." in receipt
    assert f"Started by hand by **maintainer-mo** with `--plan {PLAN_FILE} --force`." in receipt
    assert f"Reason given: {REASON}." in receipt
    assert f"Not from an approved merge: #{number} has 0 of the 1 approving review(s)" in receipt
    (told,) = [e for e in _journal(tmp_path) if e["event"] == "receipt"]
    assert told["actor"] == "maintainer-mo" and told["reason"] == REASON
    assert told["told"] == f"#{number}"


def test_an_approved_merges_plan_applies_by_hand_and_says_who_ran_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        gh.open_pull(51)
        assert main(["plan", str(run.loaded.path), "--comment"]) == 0
        checksum = read_state(gh.comments(51)[0]["body"]).checksum or ""
        gh.merge(51)  # approved; say its run on the merge was cancelled
        gh.dispatch_event("maintainer-mo")
        assert main(_apply(run, tmp_path, "--checksum", checksum)) == 0
        assert len(run.ledgy.stakeholders) == 3
        receipt = gh.comments(51)[-1]["body"]
    assert "🧾 **Applied by hand** plan" in receipt and "Not from an approved merge" not in receipt
    assert "Started by hand by **maintainer-mo** with `--checksum`." in receipt


def test_a_plan_no_pull_request_showed_applies_and_its_receipt_lands_on_the_drift_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        saved = str(tmp_path / "reviewed.plan.json")
        assert main(["plan", str(run.loaded.path), "--save", saved]) == 0
        gh.schedule_event()
        assert main(["plan", str(run.loaded.path), "--drift-issue"]) == 0
        (issue,) = gh.data.issues
        gh.dispatch_event("maintainer-mo")
        assert main(_apply(run, tmp_path, "--plan", saved, "--reason", REASON)) == 0
        assert len(run.ledgy.stakeholders) == 3
        receipt = gh.comments(issue["number"])[-1]["body"]
    assert "🧾 **Applied by hand** plan" in receipt and "3 created" in receipt
    assert f"Started by hand by **maintainer-mo** with `--plan {saved}`." in receipt
    assert f"Reason given: {REASON}." in receipt


def test_a_forced_apply_with_no_drift_issue_opens_one_for_its_receipt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        gh.dispatch_event("maintainer-mo")
        assert main(_apply(run, tmp_path, "--auto-approve", "--force", "--reason", REASON)) == 0
        (issue,) = gh.data.issues
        receipt = gh.comments(issue["number"])[-1]["body"]
        assert [label["name"] for label in issue["labels"]] == ["reconciler-drift"]
        gh.schedule_event()
        assert main(["plan", str(run.loaded.path), "--drift-issue"]) == 0  # nothing pending
    assert issue["state"] == "closed"  # the next drift run closes it, the receipt stays
    assert (
        "🧾 **Applied by hand (forced)**" in receipt and "the plan as it is now --force" in receipt
    )


def test_locally_without_github_the_receipt_goes_to_the_journal_and_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_ACTOR", "ada")
    with live(tmp_path, monkeypatch, [member(1), member(2)], []) as run:
        saved = str(tmp_path / "company.plan.json")
        assert main(["plan", str(run.loaded.path), "--save", saved]) == 0
        capsys.readouterr()
        assert main(_apply(run, tmp_path, "--plan", saved, "--reason", REASON)) == 0
    out, err = capsys.readouterr()
    assert "Receipt: ada applied plan hmac-sha256:" in out and f"reason: {REASON}." in out
    assert "GitHub could not be told" in err
    (told,) = [e for e in _journal(tmp_path) if e["event"] == "receipt"]
    assert told == {**told, "actor": "ada", "reason": REASON, "told": None}
    assert told["how"] == f"--plan {saved}"


@pytest.mark.parametrize("reason", [None, "   ", "ok"])
def test_force_needs_a_reason_in_words_and_says_so_as_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reason: str | None
) -> None:
    given = [] if reason is None else ["--reason", reason]
    with pytest.raises(SystemExit) as stopped:
        main(["apply", str(tmp_path / "company.yaml"), "--auto-approve", "--force", *given])
    assert stopped.value.code == 64  # never 2, "changes present"
    assert "--reason" in capsys.readouterr().err

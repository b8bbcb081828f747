"""Apply from the merged pull request (``apply --from-pr``), end to end over loopback:
an approved sync pull request applies exactly its plan; no approval, a forged or
untrusted comment, an open pull request's head pushed, apply nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.main import main
from tests.commands.test_sync import PLAN_FILE, _sync_pulls, _world
from tests.e2e.harness import member


def test_merging_an_approved_sync_pull_request_applies_exactly_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(n) for n in range(1, 5)]) as (gh, run, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        saved = json.loads(gh.data.file(PLAN_FILE, pull["head"]["ref"]) or "{}")
        gh.merge(pull["number"])
        assert main(["apply", config, "--from-pr"]) == 0
        receipt = gh.comments(pull["number"])[-1]["body"]
        created = sorted(s["identifier"] for s in run.ledgy.stakeholders)
        capsys.readouterr()
        assert main(["apply", config, "--from-pr"]) == 0  # the workflow re-run
        out = capsys.readouterr().out
        assert "Already applied: all 4 approved writes have landed (the receipt on #" in out
        assert len(run.ledgy.stakeholders) == 4
    assert created == sorted(c["identifier"] for c in saved["changes"])
    assert f"🧾 **Applied** plan `{saved['checksum']}`" in receipt
    assert "4 created, 0 updated, 0 failed" in receipt


def test_merging_a_sync_pull_request_without_an_approval_applies_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1), member(2)]) as (gh, run, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        gh.merge(pull["number"], approve_by=None)
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        said = gh.comments(pull["number"])[-1]["body"]
    assert "⛔ **Not applied**" in said and "has 0 of the 1 approving review(s)" in said
    assert "nothing was applied" in capsys.readouterr().err


def test_a_forged_marker_comment_by_another_user_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, run, config):
        gh.open_pull(20)
        assert main(["plan", config, "--comment"]) == 0
        genuine = gh.comments(20)[0]["body"]
        gh.data.issue_comments(20).clear()  # the bot's comment is gone; mallory's copy stays
        gh.data.add_comment(20, genuine, by="mallory")
        gh.merge(20)
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
    err = capsys.readouterr().err
    assert "ignored 1 comment(s) on #20" in err and "not written by github-actions[bot]" in err
    assert "has no reviewed plan" in err


def test_an_open_pull_requests_comment_is_not_trusted_on_push(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, run, config):
        head = gh.open_pull(21)
        assert main(["plan", config, "--comment"]) == 0
        gh.data.add_review(21, "grace", "APPROVED")
        gh.push_event(head)  # the PR's head commit pushed to main, the PR still open
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
    assert "is not the merge of a pull request" in capsys.readouterr().err


def test_with_the_approval_check_off_every_plan_warns_and_a_merge_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, run, config):
        path = run.loaded.path
        path.write_text(path.read_text() + "safety:\n  required_approvals: 0\n")
        gh.commit_config(path)  # the rule is off on main, where the rules come from
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        gh.merge(pull["number"], approve_by=None)
        assert main(["apply", config, "--from-pr"]) == 0
        assert len(run.ledgy.stakeholders) == 1
    assert "The approval check is off" in pull["body"] and "`approvals_off`" in pull["body"]
    assert "approvals_off" in capsys.readouterr().out


def test_a_github_app_identity_is_trusted_when_named_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch, [member(1)]) as (gh, run, config):
        gh.data.add_user("people-sync[bot]", token="app-token")
        monkeypatch.setenv("GITHUB_TOKEN", "app-token")  # the App posts the plan comment
        gh.open_pull(30)
        assert main(["plan", config, "--comment"]) == 0
        gh.merge(30)
        assert main(["apply", config, "--from-pr"]) == 1  # github-actions[bot] expected
        assert "ignored 1 comment(s) on #30" in capsys.readouterr().err
        monkeypatch.setenv("RECONCILER_BOT_LOGIN", "people-sync[bot]")
        assert main(["apply", config, "--from-pr"]) == 0
        assert len(run.ledgy.stakeholders) == 1


def test_a_merged_sync_pull_request_refused_names_the_input_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(1), member(2)]
    with _world(tmp_path, monkeypatch, members) as (gh, run, config):
        assert main(["sync", config]) == 0
        (pull,) = _sync_pulls(gh)
        members.append(member(3))  # a hire after the review: the plan moved
        gh.merge(pull["number"])
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        said = gh.comments(pull["number"])[-1]["body"]
    changed = "the HR data changed since the review (the config and the Ledgy data are as reviewed)"
    assert changed in capsys.readouterr().err
    assert f"). The {changed[4:]}, so this run wrote nothing" in said
    assert "HR or Ledgy" not in said

"""A pull request is judged by its base branch's rules, not its own, over the emulators.

Insiders as the issue plays them: a pull request that lowers its own approval rule,
one that points the endpoints holding the credentials at its own host, a bot that
approves, an approval given after the merge.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from reconciler.commands.rules import merge_base
from reconciler.config.secrets import Secret
from reconciler.github.client import GitHubClient
from reconciler.github.models import PullRequest
from reconciler.github.sticky import read_state
from reconciler.main import main
from reconciler.sandbox.github import SANDBOX_TOKEN
from reconciler.sandbox.server import serve_in_thread
from tests.e2e.harness import Live, live, member
from tests.github.harness import Actions, actions


@contextmanager
def _world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Actions, Live]]:
    """GitHub, CharlieHR and Ledgy; main holds the config with the default rules."""
    members = [member(n) for n in range(1, 4)]
    with actions(tmp_path, monkeypatch) as gh, live(tmp_path, monkeypatch, members, []) as run:
        gh.commit_config(run.loaded.path)
        yield gh, run


@contextmanager
def _rogue() -> Iterator[list[dict[str, Any]]]:
    """A host a pull request might point the endpoints at: it records whatever reaches it."""
    seen: list[dict[str, Any]] = []

    async def record(request: Request) -> JSONResponse:
        seen.append({"path": request.url.path, "headers": dict(request.headers)})
        return JSONResponse({})

    app = Starlette(routes=[Route("/{path:path}", record, methods=["GET", "POST"])])
    with serve_in_thread(app) as url:
        seen.append({"url": url})
        yield seen


def _review(gh: Actions, number: int, token: str) -> None:
    """An approval through the API, as the owner of ``token``."""
    answer = httpx.post(
        f"{gh.url}/repos/{gh.data.repository}/pulls/{number}/reviews",
        json={"event": "APPROVE"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def _visible(body: str) -> str:
    return body.split("\n\n", 1)[1]


def test_a_pull_request_that_lowers_its_own_approval_rule_is_merged_and_nothing_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        config = run.loaded.path
        config.write_text(config.read_text() + "safety:\n  required_approvals: 0\n")
        gh.open_pull(40)
        assert main(["plan", str(config), "--comment"]) == 0
        body = gh.comments(40)[0]["body"]
        gh.merge(40, approve_by=None)
        assert main(["apply", str(config), "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        note = gh.comments(40)[-1]["body"]
    visible = _visible(body)
    assert visible.startswith("⚖️ **This pull request changes the rules that guard an apply.**")
    assert visible.index("⚖️") < visible.index("📋 **Plan for")
    assert "| `safety.required_approvals` | `1` | `0` |" in visible
    assert "needs an approving review" in visible  # the rule in force, not the PR's "off"
    assert "⛔ **Not applied**" in note
    assert "#40 has 0 of the 1 approving review(s) the base branch's rules ask for" in note
    assert "its own `required_approvals: 0` counts only after it" in note
    err = capsys.readouterr().err
    assert "changes safety.required_approvals (1 -> 0); the base branch's value applies" in err


def test_the_base_branchs_stricter_rule_holds_whatever_the_pull_request_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        config = run.loaded.path
        gh.commit_config(config, config.read_text() + "safety: {required_approvals: 2}\n")
        gh.open_pull(41)  # the checkout's config: the default rule of 1
        assert main(["plan", str(config), "--comment"]) == 0
        gh.merge(41)  # one approval
        assert main(["apply", str(config), "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        note = gh.comments(41)[-1]["body"]
    assert "#41 has 1 of the 2 approving review(s)" in note


def test_endpoints_a_pull_request_points_elsewhere_never_receive_the_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run), _rogue() as seen:
        rogue = seen.pop()["url"]
        config = run.loaded.path
        text = config.read_text()
        hris = text.split("base_url: ")[1].split("\n")[0]
        ledgy = text.split("  url: ")[1].split("\n")[0]
        config.write_text(text.replace(hris, rogue + "/api/v1").replace(ledgy, rogue + "/graphql"))
        gh.open_pull(42)
        assert main(["plan", str(config), "--comment"]) == 0
        body = gh.comments(42)[0]["body"]
        gh.merge(42)
        assert main(["apply", str(config), "--from-pr"]) == 0  # at the base branch's endpoints
        assert len(run.ledgy.stakeholders) == 3
    assert seen == []  # not one request, let alone a key
    visible = _visible(body)
    assert visible.startswith("⚖️ **This pull request changes the rules")
    assert f"| `hris.base_url` | `{hris}` | `{rogue}/api/v1` |" in visible
    assert f"| `ledgy.url` | `{ledgy}` | `{rogue}/graphql` |" in visible
    assert (
        "🔒 **No credentials go to a changed endpoint** (`hris.base_url`, `ledgy.url`)" in visible
    )
    assert read_state(body).checksum is not None  # planned, at the endpoints in force


def test_a_new_config_that_names_its_own_endpoints_is_not_planned_nor_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    members = [member(1)]
    with (
        actions(tmp_path, monkeypatch) as gh,
        live(tmp_path, monkeypatch, members, []) as run,
        _rogue() as seen,
    ):
        rogue = seen.pop()["url"]
        config = run.loaded.path
        text = config.read_text()
        for key in ("base_url: ", "  url: "):
            text = text.replace(text.split(key)[1].split("\n")[0], rogue + "/x")
        config.write_text(text)
        gh.open_pull(43)  # main has no config: this pull request adds it
        assert main(["plan", str(config), "--comment"]) == 0
        (comment,) = gh.comments(43)
        gh.merge(43)
        assert main(["apply", str(config), "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
    assert seen == []
    visible = _visible(comment["body"])
    assert "the defaults: this config is new on the base branch" in visible
    assert "🔒 **Not planned.**" in visible and "nothing is applied" in visible
    assert read_state(comment["body"]).checksum is None
    assert "not planned:" in capsys.readouterr().err


def test_a_bots_approval_does_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        config = str(run.loaded.path)
        gh.open_pull(44)
        assert main(["plan", config, "--comment"]) == 0
        gh.data.add_user("helper-app[bot]", token="app-token", bot=True)
        _review(gh, 44, SANDBOX_TOKEN)  # the workflow's own identity, github-actions[bot]
        _review(gh, 44, "app-token")  # a GitHub App
        assert [r["user"]["type"] for r in gh.data.reviews[44]] == ["Bot", "Bot"]
        gh.merge(44, approve_by=None)
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        note = gh.comments(44)[-1]["body"]
    assert "#44 has 0 of the 1 approving review(s)" in note
    assert "2 approval(s) by a bot do not count" in note


def test_an_approval_given_after_the_merge_does_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(tmp_path, monkeypatch) as (gh, run):
        config = str(run.loaded.path)
        gh.open_pull(45)
        assert main(["plan", config, "--comment"]) == 0
        gh.merge(45, approve_by=None)
        gh.data.clock = lambda: time.time() + 120  # two minutes later
        gh.data.add_user("grace", token="grace-token")
        _review(gh, 45, "grace-token")  # GitHub takes it: the pull request is merged
        (review,) = gh.data.reviews[45]
        assert review["submitted_at"] > gh.data.pulls[-1]["merged_at"]
        assert main(["apply", config, "--from-pr"]) == 1
        assert run.ledgy.stakeholders == []
        note = gh.comments(45)[-1]["body"]
    assert "#45 has 0 of the 1 approving review(s)" in note
    assert "1 approval(s) after the merge do not count" in note


def test_the_base_of_a_merge_is_the_base_branch_before_it_never_a_commit_of_the_pull_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with actions(tmp_path, monkeypatch) as gh:
        data = gh.data
        before = data.git.branches["main"]
        data.commit_files("change-7", {"company.yaml": "safety: {required_approvals: 0}\n"})
        data.add_pull(7)
        merged = data.merge_pull(7)  # a merge commit: main before it is its first parent
        pull = data.pull(7) or {}
        rebased = {**pull, "commits": 3, "base": {"sha": "base-of-the-pr"}}
        rebased["merge_commit_sha"] = data.commit_files("main", {"x": "1"})  # one parent

        async def bases() -> list[str | None]:
            async with GitHubClient(gh.url, Secret(SANDBOX_TOKEN), data.repository) as client:
                return [
                    await merge_base(client, _pull(pull), before="pushed-before"),
                    await merge_base(client, _pull(pull)),
                    await merge_base(client, _pull({**pull, "commits": 1}), before="0" * 40),
                    await merge_base(
                        client, _pull(rebased)
                    ),  # its parent may be one of its commits
                ]

        found = asyncio.run(bases())
    assert found == ["pushed-before", before, before, "base-of-the-pr"]
    assert merged != before


def _pull(answer: dict[str, Any]) -> PullRequest:
    """A pull request as the client parses GitHub's answer."""
    return PullRequest.from_api(answer, "GET /pulls/7")

"""The sticky comment: only the bot's, only this config's, the newest; its state stays small."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from reconciler.config.secrets import Secret
from reconciler.engine.build import build_plan
from reconciler.github.client import GitHubClient
from reconciler.github.sticky import (
    STATE_LIMIT,
    CommentState,
    find_sticky,
    next_state,
    plan_marker,
    read_state,
    state_line,
    with_marker,
)
from reconciler.sandbox.github import SANDBOX_TOKEN
from tests.engine.helpers import config, employee, state
from tests.github.harness import actions

KEY = "examples/company.yaml"
PLAN = build_plan([employee(1), employee(2)], state(), config())


def _comment(n: int, key: str, checksum: str, login: str = "github-actions[bot]") -> dict[str, Any]:
    saved = CommentState(checksum=checksum, summary={"create": 1, "update": 0})
    body = with_marker(plan_marker(key), "the plan", saved)
    return {
        "id": n,
        "body": body,
        "user": {"login": login},
        "created_at": f"2026-11-25T10:0{n}:00Z",
    }


def _find(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, comments: list[dict[str, Any]]) -> Any:
    with actions(tmp_path, monkeypatch) as gh:
        gh.data.add_pull(7)
        gh.data.issue_comments(7).extend(comments)

        async def find() -> Any:
            async with GitHubClient(gh.url, Secret(SANDBOX_TOKEN), gh.data.repository) as client:
                return await find_sticky(client, 7, KEY)

        return asyncio.run(find())


def test_the_newest_marker_comment_of_the_bot_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = "hmac-sha256:" + "1" * 64, "hmac-sha256:" + "2" * 64
    found = _find(tmp_path, monkeypatch, [_comment(1, KEY, older), _comment(2, KEY, newer)])
    assert found.comment_id == 2 and found.state.checksum == newer


def test_a_marker_comment_by_anyone_else_is_ignored_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, forged = "hmac-sha256:" + "1" * 64, "hmac-sha256:" + "f" * 64
    comments = [_comment(1, KEY, mine), _comment(2, KEY, forged, login="mallory")]
    found = _find(tmp_path, monkeypatch, comments)
    assert found.state.checksum == mine and found.ignored == 1


def test_another_configs_sticky_comment_is_not_this_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _comment(1, "other/company.yaml", "hmac-sha256:" + "3" * 64)
    quoted = _comment(2, KEY, "hmac-sha256:" + "4" * 64)
    quoted["body"] = "> quoting: " + quoted["body"]  # the marker, but not as the first line
    found = _find(tmp_path, monkeypatch, [other, quoted])
    assert found.comment_id is None and found.state.checksum is None


def test_planning_the_same_commit_again_keeps_one_revision_row() -> None:
    once = next_state(PLAN, CommentState(), at="10:00", sha="abc")
    twice = next_state(PLAN, once, at="10:05", sha="abc")
    assert len(twice.revisions) == 1 and twice.revisions[0].at == "10:05"
    assert len(next_state(PLAN, twice, at="10:09", sha="def").revisions) == 2


def test_the_state_of_a_huge_plan_drops_its_digests_and_stays_small() -> None:
    huge = CommentState(
        checksum=PLAN.checksum, summary={"create": 9000}, digests=("ab" * 16,) * 9000
    )
    line = state_line(huge)
    assert len(line) < STATE_LIMIT and read_state(line).digests is None
    assert read_state(line).checksum == PLAN.checksum
    small = next_state(PLAN, CommentState(), at="10:00", sha=None)
    assert read_state(state_line(small)).digests == PLAN.digests


def test_a_garbled_newer_comment_does_not_hide_the_newest_valid_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = "hmac-sha256:" + "5" * 64
    garbled = _comment(2, KEY, valid)
    garbled["body"] = garbled["body"].replace("reconciler:state {", "reconciler:state {{")
    found = _find(tmp_path, monkeypatch, [_comment(1, KEY, valid), garbled])
    assert found.comment_id == 2 and found.state.checksum == valid

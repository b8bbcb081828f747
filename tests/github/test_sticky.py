"""The sticky comment: only the bot's, only this config's, the newest; its state stays small."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from reconciler.config.secrets import Secret
from reconciler.engine.approval import Approved
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import PlanFileError
from reconciler.github.client import GitHubClient
from reconciler.github.sticky import (
    MAX_REVISIONS,
    STATE_LIMIT,
    CommentState,
    drift_marker,
    find_sticky,
    next_state,
    plan_marker,
    read_state,
    receipt_marker,
    room_for,
    state_line,
    sync_marker,
    with_marker,
)
from reconciler.render.comment import LIMIT, Revision
from reconciler.sandbox.github import SANDBOX_TOKEN
from tests.engine.helpers import config, employee, state
from tests.github.conftest import Scripted
from tests.github.harness import actions
from tests.github.scripted import Answer

KEY = "examples/company.yaml"
PLAN = build_plan([employee(1), employee(2)], state(), config(), key=SANDBOX_KEY)


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


def test_a_marker_comment_of_no_known_author_is_ignored_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = "hmac-sha256:" + "1" * 64
    ghosts = [_comment(n, KEY, "hmac-sha256:" + "f" * 64) for n in (2, 3, 4)]
    for ghost, user in zip(ghosts, [None, {"id": 1}, "github-actions[bot]"], strict=True):
        ghost["user"] = user
    found = _find(tmp_path, monkeypatch, [_comment(1, KEY, mine), *ghosts])
    assert (found.comment_id, found.state.checksum, found.ignored) == (1, mine, 3)


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


# -- the hidden lines, word for word ------------------------------------------

CHECKSUM = "hmac-sha256:" + "a" * 64
DIGESTS = ("0" * 32, "f" * 32)
ROW = Revision("2026-11-25 10:00", CHECKSUM, 2, 1, 0, "abc1234")


def test_each_kind_of_body_has_its_own_marker_naming_the_config() -> None:
    assert plan_marker(KEY) == "<!-- reconciler:plan examples/company.yaml -->"
    assert drift_marker(KEY) == "<!-- reconciler:drift examples/company.yaml -->"
    assert receipt_marker(KEY) == "<!-- reconciler:receipt examples/company.yaml -->"
    assert sync_marker(KEY) == "<!-- reconciler:sync examples/company.yaml -->"


def test_the_state_line_is_compact_ascii_json_and_reads_back_the_same() -> None:
    saved = CommentState((ROW,), CHECKSUM, {"create": 2, "update": 1}, DIGESTS)
    line = state_line(saved)
    assert line == (
        '<!-- reconciler:state {"v":2,"checksum":"' + CHECKSUM + '",'
        '"summary":{"create":2,"update":1},'
        '"revisions":[{"at":"2026-11-25 10:00","checksum":"' + CHECKSUM + '",'
        '"create":2,"update":1,"skipped":0,"sha":"abc1234"}],'
        '"digests":["' + "0" * 32 + '","' + "f" * 32 + '"]} -->'
    )
    assert read_state(f"<!-- reconciler:plan {KEY} -->\n\nvisible\n\n{line}\n") == saved


def test_a_state_without_digests_has_no_digests_key_and_reads_back_as_none() -> None:
    saved = CommentState((ROW,), CHECKSUM, {"create": 2}, None)
    line = state_line(saved)
    assert '"digests"' not in line and read_state(line) == saved


def test_a_double_hyphen_or_a_non_ascii_letter_cannot_end_or_garble_the_hidden_line() -> None:
    odd = Revision("10:00 -->", "x--y", 0, 0, 0, "Zoë")
    line = state_line(CommentState((odd,)))
    assert '"at":"10:00 -\\u002d>"' in line and '"checksum":"x-\\u002dy"' in line
    assert '"sha":"Zo\\u00eb"' in line and line.count("-->") == 1
    assert read_state(line).revisions == (odd,)


def test_a_state_at_the_limit_keeps_its_digests_and_one_character_more_drops_them() -> None:
    def sized(extra: int) -> CommentState:
        base = CommentState((ROW,) * 7, CHECKSUM, {"create": 2}, DIGESTS)
        inner = len(state_line(base)) - len("<!-- reconciler:state  -->")
        pad = Revision(ROW.at + "x" * (STATE_LIMIT - inner + extra), CHECKSUM, 2, 1, 0, ROW.sha)
        return CommentState((pad, *base.revisions[1:]), CHECKSUM, {"create": 2}, DIGESTS)

    exact, over = sized(0), sized(1)
    assert read_state(state_line(exact)) == exact
    lean = read_state(state_line(over))
    assert lean == CommentState(over.revisions[:5], CHECKSUM, {"create": 2}, None)


def test_a_state_too_long_even_without_digests_is_kept_whole() -> None:
    long = CommentState((Revision("x" * STATE_LIMIT, CHECKSUM, 1, 0, 0),) * 6, CHECKSUM, {})
    assert read_state(state_line(long)) == long


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("no state here", CommentState()),
        ("<!-- reconciler:state {not json} -->", CommentState()),
        ('<!-- reconciler:state {"revisions": [{"at": 1}]} -->', CommentState()),
        ('<!-- reconciler:state {"revisions": 3} -->', CommentState()),
        ('<!-- reconciler:state ["a list"] -->', CommentState()),
        ('<!-- reconciler:state {"summary": 1} -->', CommentState()),
        ('<!-- reconciler:state {"v": 2} -->', CommentState((), None, {}, None)),
        ('<!-- reconciler:state {"checksum": "c"} -->', CommentState((), "c", {}, None)),
        (
            '<!-- reconciler:state {"checksum": "c", "summary": {"create": 1},\n'
            f'"revisions": [], "digests": ["{"0" * 32}", "{"g" * 32}"]}} -->',
            CommentState(),
        ),
        (
            '<!-- reconciler:state {"checksum": "c", "revisions": [{"at": "t", "checksum": "c", '
            '"create": 1, "update": 0, "skipped": 0}], "digests": ["' + "A" * 32 + '"]} -->',
            CommentState((Revision("t", "c", 1, 0, 0),)),
        ),
    ],
    ids=[
        "none",
        "not-json",
        "bad-revision",
        "revisions-not-a-list",
        "not-an-object",
        "summary-not-an-object",
        "empty",
        "only-a-checksum",
        "bad-digest-across-lines",
        "uppercase-digest",
    ],
)
def test_a_state_is_read_as_far_as_it_is_readable(body: str, expected: CommentState) -> None:
    assert read_state(body) == expected


def test_a_state_with_a_checksum_is_an_approval_read_where_it_was_found() -> None:
    saved = CommentState(
        (ROW,), CHECKSUM.upper().replace("HMAC-SHA256", "hmac-sha256"), {"create": 2}, DIGESTS
    )
    approved = saved.approved("the plan comment")
    assert approved == Approved(CHECKSUM, "the plan comment", {"create": 2}, frozenset(DIGESTS))
    assert CommentState((ROW,), CHECKSUM).approved("x") == Approved(CHECKSUM, "x", {}, None)
    assert CommentState((ROW,)).approved("x") is None
    with pytest.raises(PlanFileError, match="the plan comment: the checksum is truncated"):
        CommentState(checksum="hmac-sha256:abc").approved("the plan comment")


def test_each_push_puts_its_revision_on_top_and_twenty_are_kept() -> None:
    counts = PLAN.summary()
    first = next_state(PLAN, CommentState(), at="10:00", sha="abc")
    assert first == CommentState(
        (Revision("10:00", PLAN.checksum, counts["create"], counts["update"], 0, "abc"),),
        PLAN.checksum,
        counts,
        PLAN.digests,
    )
    older = tuple(Revision(f"09:{n:02}", f"c{n}", n, 0, 0, f"s{n}") for n in range(25))
    pushed = next_state(PLAN, CommentState(older), at="10:00", sha=None)
    assert len(pushed.revisions) == MAX_REVISIONS == 20
    assert pushed.revisions[0].at == "10:00" and pushed.revisions[1:] == older[:19]


def test_the_same_plan_at_another_commit_or_another_plan_at_the_same_commit_is_a_new_row() -> None:
    other = Revision("09:00", "other", 1, 0, 0, "abc")
    same_plan = Revision("09:01", PLAN.checksum, 2, 0, 0, "def")
    rerun = Revision("09:02", PLAN.checksum, 2, 0, 0, "abc")
    state_ = next_state(PLAN, CommentState((rerun, same_plan, other)), at="10:00", sha="abc")
    assert [r.at for r in state_.revisions] == ["10:00", "09:01", "09:00"]


def test_a_body_is_marker_visible_text_and_state_apart_by_blank_lines() -> None:
    saved = CommentState((ROW,), CHECKSUM)
    assert with_marker("<!-- m -->", "text\n\n\n") == "<!-- m -->\n\ntext\n"
    # only line ends go: two trailing spaces are a Markdown line break, and X is text
    assert with_marker("<!-- m -->", "last line  \n") == "<!-- m -->\n\nlast line  \n"
    assert with_marker("<!-- m -->", "TAX\n") == "<!-- m -->\n\nTAX\n"
    assert with_marker("<!-- m -->", "text", saved) == (
        f"<!-- m -->\n\ntext\n\n{state_line(saved)}\n"
    )


def test_the_room_left_for_the_visible_text_counts_every_hidden_character() -> None:
    saved = CommentState((ROW,), CHECKSUM)
    marker = plan_marker(KEY)
    assert room_for(marker) == LIMIT - len(marker) - 4
    assert room_for(marker, saved) == LIMIT - len(marker) - len(state_line(saved)) - 6
    assert room_for(marker, limit=100) == 100 - len(marker) - 4
    body = with_marker(marker, "v" * room_for(marker, saved), saved)
    assert len(body) <= LIMIT


@pytest.mark.anyio
async def test_the_newest_is_by_creation_time_then_id_and_an_undated_one_is_oldest(
    scripted: Scripted,
) -> None:
    def dated(n: int, at: str | None) -> dict[str, Any]:
        comment = _comment(n, KEY, "hmac-sha256:" + str(n) * 64)
        comment["created_at"] = at
        if at is None:
            del comment["created_at"]
        return comment

    scripted.script.then(
        "GET",
        Answer(200, [dated(5, "2026-11-25T10:09:00Z"), dated(9, "2026-11-25T10:01:00Z")]),
        Answer(200, [dated(3, "2026-11-25T10:00:00Z"), dated(2, "2026-11-25T10:00:00Z")]),
        Answer(200, [dated(1, "2026-11-25T10:00:00Z"), dated(8, None)]),
    )
    async with GitHubClient(scripted.url, Secret(SANDBOX_TOKEN), "acme/people") as client:
        found = [(await find_sticky(client, 7, KEY)).comment_id for _ in range(3)]
    assert found == [5, 3, 1]
    assert scripted.script.sent[0].path == "/repos/acme/people/issues/7/comments"

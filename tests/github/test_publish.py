"""What a run posts: exactly which comment or issue is written, with which body.

A scripted GitHub on loopback answers the look-ups and records every write, so each
test sees the requests a run sends, not only what ends up on the pull request.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from reconciler.config.secrets import Secret
from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.approval import Approved, Verdict
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.errors import GitHubError
from reconciler.github.answers import Said, read_outcome
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.models import Issue, Repository
from reconciler.github.publish import (
    client_for,
    merged_pull,
    post_comparison,
    post_note,
    post_receipt,
    publish_drift,
    publish_plan,
    pull_number,
    reviewed,
    sticky_body,
)
from reconciler.github.sticky import (
    CommentState,
    drift_marker,
    next_state,
    plan_marker,
    read_state,
    receipt_marker,
    state_line,
    with_marker,
)
from reconciler.render.comment import LIMIT, Revision, drift_issue, drift_resolved
from tests.engine.helpers import config, employee, state
from tests.github.conftest import Scripted
from tests.github.scripted import Answer

pytestmark = pytest.mark.anyio
REPO = "acme/people-config"
R = f"/repos/{REPO}"
KEY = "examples/company.yaml"
RUN = "https://github.example/acme/people-config/actions/runs/4242"
TOKEN = "ghs_publish_token"
PLAN = build_plan([employee(1), employee(2)], state(), config(), key=SANDBOX_KEY)
NOTHING = build_plan([], state(), config(), key=SANDBOX_KEY)
BOT = "github-actions[bot]"


def _ctx(url: str, event: dict[str, Any] | None = None, **extra: Any) -> ActionsContext:
    return ActionsContext(
        token=Secret(TOKEN),
        repository=REPO,
        api_url=url,
        server_url="https://github.example",
        run_id="4242",
        event={"pull_request": {"number": 7, "head": {"sha": "head123"}}}
        if event is None
        else event,
        **extra,
    )


def _client(url: str) -> GitHubClient:
    return GitHubClient(url, Secret(TOKEN), REPO)


def _writes(scripted: Scripted) -> list[tuple[str, str, Any]]:
    return [(s.method, s.path, s.body) for s in scripted.script.sent if s.method != "GET"]


# -- the pull request and the client -----------------------------------------


@pytest.mark.parametrize(("name", "said"), [("push", "push"), (None, "unknown")])
def test_a_comment_needs_a_pull_request_event(name: str | None, said: str) -> None:
    ctx = _ctx("http://unused", event={"after": "abc"}, event_name=name)
    with pytest.raises(GitHubError) as caught:
        pull_number(ctx)
    assert caught.value.message == f"--comment needs a pull request, but the event is {said}"
    assert caught.value.remedy == "run plan --comment on pull_request events only"
    assert pull_number(_ctx("http://unused")) == 7


async def test_the_client_is_the_runs_api_token_and_repository(scripted: Scripted) -> None:
    scripted.script.then("GET", Answer(200, {"full_name": REPO}))
    async with client_for(_ctx(scripted.url)) as client:
        assert await client.repo() == Repository("main")
    (sent,) = scripted.script.sent
    assert sent.path == R and sent.headers["authorization"] == f"Bearer {TOKEN}"


# -- the sticky plan comment ---------------------------------------------------


def _comment(n: int, body: str, login: str = BOT) -> dict[str, Any]:
    return {
        "id": n,
        "body": body,
        "user": {"login": login},
        "created_at": f"2026-11-25T10:0{n}:00Z",
    }


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The runner's local time is not UTC (self-hosted runners keep their zone)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york")
async def test_the_first_plan_of_a_pull_request_is_a_new_comment_dated_now_in_utc(
    scripted: Scripted,
) -> None:
    scripted.script.then("GET", Answer(200, []))
    scripted.script.then("POST", Answer(201, {"id": 50}))
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    async with _client(scripted.url) as client:
        made = await publish_plan(
            client, _ctx(scripted.url), PLAN, key=KEY, effect=None, refusal=None, approvals=2
        )
    after = datetime.now(UTC)
    assert made.id == 50
    ((method, path, payload),) = _writes(scripted)
    assert (method, path) == ("POST", f"{R}/issues/7/comments")
    saved = read_state(payload["body"])
    (row,) = saved.revisions
    at = datetime.strptime(row.at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= at <= after and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row.at)
    assert row.sha == "head123" and saved.checksum == PLAN.checksum
    assert payload["body"] == sticky_body(
        PLAN, CommentState(), key=KEY, at=row.at, sha="head123", run_url=RUN, approvals=2
    )
    assert "needs 2 approving reviews" in payload["body"] and f"[run]({RUN})" in payload["body"]


async def test_a_later_plan_edits_the_bots_comment_and_keeps_its_revisions(
    scripted: Scripted,
) -> None:
    earlier = CommentState(
        (Revision("2026-11-24 09:00", "hmac-sha256:" + "1" * 64, 1, 0, 0, "old"),)
    )
    forged = CommentState((Revision("forged", "hmac-sha256:" + "f" * 64, 9, 9, 9, "evil"),))
    marker = plan_marker(KEY)
    comments = [
        _comment(1, with_marker(marker, "plan", earlier), login="reconciler-app[bot]"),
        _comment(2, with_marker(marker, "plan", forged), login="mallory"),
    ]
    scripted.script.then("GET", Answer(200, comments))
    ctx = _ctx(scripted.url, bot="reconciler-app[bot]")
    async with _client(scripted.url) as client:
        await publish_plan(client, ctx, PLAN, key=KEY, effect=None, refusal="too many updates")
    ((method, path, payload),) = _writes(scripted)
    assert (method, path) == ("PATCH", f"{R}/issues/comments/1")
    saved = read_state(payload["body"])
    assert [r.sha for r in saved.revisions] == ["head123", "old"]
    assert f"⛔ **Unsafe plan for `{KEY}`**: too many updates" in payload["body"]


def test_the_sticky_body_is_marker_visible_plan_and_the_next_state() -> None:
    previous = CommentState((Revision("09:00", "hmac-sha256:" + "1" * 64, 1, 0, 0, "abc1234"),))
    body = sticky_body(PLAN, previous, key=KEY, at="10:00", sha="def5678", run_url=RUN)
    after = next_state(PLAN, previous, at="10:00", sha="def5678")
    assert body.startswith(plan_marker(KEY) + "\n\n📋 **Plan for `examples/company.yaml`")
    assert body.endswith("\n\n" + state_line(after) + "\n")
    assert "Plan revisions (2)" in body and f"[run]({RUN})" in body
    assert "needs an approving review" in body
    plain = sticky_body(PLAN, previous, key=KEY, at="10:00", sha=None)
    assert "[run](" not in plain and "`def5678`" not in plain


# -- the drift issue -----------------------------------------------------------


def _issue(number: int, key: str, text: str = "pending") -> dict[str, Any]:
    return {"number": number, "title": "HR drift", "body": with_marker(drift_marker(key), text)}


async def test_no_drift_closes_every_drift_issue_of_this_config_and_no_other(
    scripted: Scripted,
) -> None:
    issues = [_issue(3, KEY), _issue(4, "other.yaml"), {"number": 5, "body": None}, _issue(6, KEY)]
    scripted.script.then("GET", Answer(200, issues))
    async with _client(scripted.url) as client:
        assert await publish_drift(client, _ctx(scripted.url), NOTHING, key=KEY) is None
    (listed,) = [s for s in scripted.script.sent if s.method == "GET"]
    assert dict(urllib.parse.parse_qsl(listed.query)) == {
        "state": "open",
        "labels": "reconciler-drift",
        "per_page": "100",
    }
    closed = {
        "body": with_marker(drift_marker(KEY), drift_resolved(KEY, run_url=RUN)),
        "state": "closed",
        "state_reason": "completed",
    }
    assert _writes(scripted) == [
        ("PATCH", f"{R}/issues/3", closed),
        ("PATCH", f"{R}/issues/6", closed),
    ]


async def test_drift_opens_one_labelled_issue_then_keeps_it_up_to_date(
    scripted: Scripted,
) -> None:
    sync = "https://github.example/acme/people-config/pull/12"
    title, visible = drift_issue(KEY, PLAN, run_url=RUN, sync_url=sync)
    body = with_marker(drift_marker(KEY), visible)
    scripted.script.then(
        "GET",
        Answer(200, [_issue(4, "other.yaml")]),  # labelled: another config's
        Answer(200, [_issue(4, "other.yaml")]),  # every open issue: none of ours
        Answer(200, {"name": "reconciler-drift"}),  # the label is there
        Answer(200, [_issue(8, KEY), _issue(9, KEY)]),  # labelled: ours, newest first
    )
    scripted.script.then("POST", Answer(201, {"number": 8}))
    scripted.script.then("PATCH", Answer(200, {"number": 8, "title": title}))
    async with _client(scripted.url) as client:
        opened = await publish_drift(client, _ctx(scripted.url), PLAN, key=KEY, sync_url=sync)
        kept = await publish_drift(client, _ctx(scripted.url), PLAN, key=KEY, sync_url=sync)
    assert (opened, kept) == (Issue(8, "", "", ""), Issue(8, title, "", ""))
    assert title == f"HR drift: 2 to create, 0 to update for {KEY}" and sync in body
    assert _writes(scripted) == [
        ("POST", f"{R}/issues", {"title": title, "body": body, "labels": ["reconciler-drift"]}),
        ("PATCH", f"{R}/issues/8", {"title": title, "body": body}),
    ]


def _drift_plan_of_length(target: int) -> Plan:
    """A plan whose whole drift issue text (nothing cut) is ``target`` characters long."""

    def plan_and_length(people: int, pad: int = 0) -> tuple[Plan, int]:
        everyone = [employee(n) for n in range(people)]
        everyone[0] = employee(0, work_email="p" * (len("person0") + pad) + "@acme.test")
        plan = build_plan(everyone, state(), config(), key=SANDBOX_KEY)
        return plan, len(drift_issue(KEY, plan, run_url=RUN, limit=10**9)[1])

    _, small = plan_and_length(1000)
    _, per_person = plan_and_length(1001)
    people = 1000 + (target - small) // (per_person - small)
    _, length = plan_and_length(people)
    plan, length = plan_and_length(people, pad=target - length)  # a longer address, 1:1
    assert length == target
    return plan


async def test_a_drift_issue_that_just_fills_a_comment_leaves_room_for_its_marker(
    scripted: Scripted,
) -> None:
    plan = _drift_plan_of_length(LIMIT - 10)  # fits alone, not with the hidden marker
    scripted.script.then("GET", Answer(200, []), Answer(200, []), Answer(200, {"name": "d"}))
    async with _client(scripted.url) as client:
        await publish_drift(client, _ctx(scripted.url), plan, key=KEY)
    ((_, _, payload),) = _writes(scripted)
    assert payload["body"].startswith(drift_marker(KEY)) and len(payload["body"]) <= LIMIT
    assert "> The full plan is in the job summary of" in payload["body"]


# -- merges, receipts, notes, comparisons --------------------------------------


def _pull(number: int, merged: bool, merge_sha: str | None) -> dict[str, Any]:
    at = "2026-11-25T10:00:00Z" if merged else None
    return {"number": number, "merged_at": at, "merge_commit_sha": merge_sha}


@pytest.mark.parametrize(
    ("pulls", "number"),
    [
        ([_pull(1, False, "abc"), _pull(2, True, "zzz"), _pull(3, True, "abc")], 3),
        ([_pull(1, False, "abc"), _pull(2, True, "zzz"), _pull(3, True, "yyy")], 2),
        ([_pull(1, False, "abc")], None),
        ([], None),
    ],
    ids=["the-merge-commit", "the-head-commit", "never-an-open-one", "none"],
)
async def test_the_merged_pull_request_of_a_commit(
    scripted: Scripted, pulls: list[dict[str, Any]], number: int | None
) -> None:
    scripted.script.then("GET", Answer(200, pulls))
    async with _client(scripted.url) as client:
        found = await merged_pull(client, "abc")
    assert (found.number if found is not None else None) == number
    assert scripted.script.sent[0].path == f"{R}/commits/abc/pulls"


async def test_only_the_workflows_own_comment_is_the_reviewed_plan(scripted: Scripted) -> None:
    approved = CommentState(checksum=PLAN.checksum, summary={"create": 2})
    marker = plan_marker(KEY)
    comments = [
        _comment(1, with_marker(marker, "plan", approved)),
        _comment(2, with_marker(marker, "plan", approved), login="app[bot]"),
    ]
    scripted.script.then("GET", Answer(200, comments), Answer(200, comments))
    async with _client(scripted.url) as client:
        default = await reviewed(client, _ctx(scripted.url), 7, KEY)
        app = await reviewed(client, _ctx(scripted.url, bot="app[bot]"), 7, KEY)
    assert (default.comment_id, default.ignored) == (1, 1)
    assert (app.comment_id, app.ignored) == (2, 1)
    assert scripted.script.sent[0].path == f"{R}/issues/7/comments"


def _result(n: int, ok: bool, error: str | None = None) -> WriteResult:
    write = Write("create", f"person{n}@acme.test")
    return WriteResult(write, ok, f"sh_{n}" if ok else None, error)


async def test_a_receipt_names_the_run_what_was_forced_and_a_resumed_plan(
    scripted: Scripted,
) -> None:
    scripted.script.then("POST", Answer(201, {"id": 60}))
    verdict = Verdict("resume", approved=3, remaining=2)
    async with _client(scripted.url) as client:
        made = await post_receipt(
            client,
            _ctx(scripted.url),
            7,
            key=KEY,
            checksum=PLAN.checksum,
            results=[_result(1, True), _result(2, False, "HTTP 500")],
            forced=True,
            verdict=verdict,
        )
    assert made.id == 60
    ((method, path, payload),) = _writes(scripted)
    body = payload["body"]
    assert (method, path) == ("POST", f"{R}/issues/7/comments")
    assert body.startswith(receipt_marker(KEY) + "\n\n⚠️ **Applied (forced)** plan ")
    assert f"for `{KEY}`: 1 created, 0 updated, 1 failed." in body
    assert "resuming:\u2060 1 of 3 approved writes had landed; applying the other 2" in body
    assert f"[run]({RUN})" in body and "failed: HTTP 500" in body


async def test_a_receipt_of_thousands_of_failures_still_fits_in_one_comment(
    scripted: Scripted,
) -> None:
    failures = [_result(n, False, "x" * 400) for n in range(300)]
    async with _client(scripted.url) as client:
        await post_receipt(
            client,
            _ctx(scripted.url),
            7,
            key=KEY,
            checksum=PLAN.checksum,
            results=failures,
            forced=False,
        )
    ((_, _, payload),) = _writes(scripted)
    assert payload["body"].startswith(receipt_marker(KEY) + "\n\n⚠️ **Applied** plan ")
    assert len(payload["body"]) <= LIMIT


async def test_a_note_is_receipt_marked_text_ending_with_what_it_answers(
    scripted: Scripted,
) -> None:
    checksum = "hmac-sha256:" + "2" * 64
    async with _client(scripted.url) as client:
        await post_note(client, 7, key=KEY, text="In passing.\n")
        said = Said("refused", checksum)
        await post_note(client, 7, key=KEY, text="Refused: not approved.\n", said=said)
    (_, path, one), (_, _, two) = _writes(scripted)
    assert path == f"{R}/issues/7/comments"
    assert one["body"] == (
        f"{receipt_marker(KEY)}\n\nIn passing.\n\n"
        '<!-- reconciler:outcome {"outcome":"note","checksum":null} -->\n'
    )
    assert two["body"].startswith(f"{receipt_marker(KEY)}\n\nRefused: not approved.\n\n")
    assert read_outcome(two["body"]) == said


def _approved(where: str) -> Approved:
    return Approved("hmac-sha256:" + "1" * 64, where, {"create": 1}, None)


async def test_a_comparison_says_which_config_and_approval_and_links_the_run(
    scripted: Scripted,
) -> None:
    async with _client(scripted.url) as client:
        await post_comparison(
            client, _ctx(scripted.url), 7, key=KEY, approved=_approved("the plan comment"), now=PLAN
        )
    ((method, path, payload),) = _writes(scripted)
    body = payload["body"]
    assert (method, path) == ("POST", f"{R}/issues/7/comments")
    assert body.startswith(
        f"{receipt_marker(KEY)}\n\n⚠️ **Not applied**: the plan for `{KEY}` is no longer the "
        "one approved (the plan comment)."
    )
    visible, outcome = body.rsplit("\n\n", 1)
    assert visible.endswith(
        f"[run]({RUN}) · personal values are masked; the field names and the fact of a change are shown</sub>"
    )
    assert read_outcome(outcome) == Said("refused", "hmac-sha256:" + "1" * 64)  # an answer


async def test_a_comparison_with_an_endless_approval_place_still_fits_in_one_comment(
    scripted: Scripted,
) -> None:
    async with _client(scripted.url) as client:
        await post_comparison(
            client, _ctx(scripted.url), 7, key=KEY, approved=_approved("w" * LIMIT), now=PLAN
        )
    ((_, _, payload),) = _writes(scripted)
    assert payload["body"].startswith(receipt_marker(KEY)) and len(payload["body"]) <= LIMIT


def test_a_sticky_body_with_an_endless_refusal_still_fits_in_one_comment() -> None:
    body = sticky_body(PLAN, CommentState(), key=KEY, at="10:00", sha=None, refusal="r" * LIMIT)
    assert body.startswith(plan_marker(KEY)) and len(body) <= LIMIT
    assert read_state(body).checksum == PLAN.checksum


async def test_a_plan_without_an_approvals_setting_asks_for_one_approving_review(
    scripted: Scripted,
) -> None:
    scripted.script.then("GET", Answer(200, []))
    async with _client(scripted.url) as client:
        await publish_plan(client, _ctx(scripted.url), PLAN, key=KEY, effect=None, refusal=None)
    ((_, _, payload),) = _writes(scripted)
    assert (
        "The pull request needs an approving review from someone other than its author"
        in (payload["body"])
    )

"""What a merged pull request approved, read only from trusted places: the saved plan
file its merge commit changed, else the workflow's own sticky plan comment. Against the
GitHub emulator in process."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from reconciler.commands.approved import merged_approval, of_config
from reconciler.commands.repository import branch_of
from reconciler.config.secrets import Secret
from reconciler.engine.approval import saved_plan
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.errors import NotApprovedError, PlanFileError
from reconciler.github.client import GitHubClient
from reconciler.github.context import BOT, ActionsContext
from reconciler.github.sticky import CommentState, plan_marker, with_marker
from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from tests.engine.helpers import config, employee, state

pytestmark = pytest.mark.anyio
KEY = "company.yaml"
CHECKSUM = "hmac-sha256:" + "ab" * 32


@dataclass
class Hub:
    data: GitHubData
    client: GitHubClient
    ctx: ActionsContext
    config: Path


@pytest.fixture
async def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Hub]:
    monkeypatch.chdir(tmp_path)  # the checkout: no index, the config keyed by its path
    data = GitHubData()
    transport = httpx.ASGITransport(app=create_app(data))
    token = Secret(SANDBOX_TOKEN)
    ctx = ActionsContext(token, data.repository, api_url="http://github.test")
    async with GitHubClient(ctx.api_url, token, data.repository, transport=transport) as client:
        yield Hub(data, client, ctx, Path(KEY))  # as the command is given it


def _saved() -> str:
    plan = build_plan([employee(1)], state(), config(), key=SANDBOX_KEY)
    return json.dumps(saved_plan(plan, config=KEY))


def _merged(hub: Hub, number: int, files: dict[str, str | None]) -> str:
    hub.data.commit_files(f"change-{number}", files)
    hub.data.add_pull(number, head=f"change-{number}")
    return hub.data.merge_pull(number)


def _sticky(checksum: str) -> str:
    return with_marker(plan_marker(KEY), "## Plan", CommentState(checksum=checksum))


async def test_the_plan_file_the_merge_changed_is_what_was_approved(hub: Hub) -> None:
    text = _saved()
    sha = _merged(hub, 3, {"company.plan.json": text})
    hub.data.add_comment(3, _sticky(CHECKSUM))  # the file wins over any comment
    approved = await merged_approval(
        hub.client, hub.ctx, await hub.client.pull(3), hub.config, sha=sha
    )
    assert approved is not None
    assert approved.checksum == json.loads(text)["checksum"]
    assert approved.where == "company.plan.json as merged in #3"


async def test_a_merge_that_deleted_the_plan_file_applies_nothing(hub: Hub) -> None:
    _merged(hub, 3, {"company.plan.json": _saved()})
    sha = _merged(hub, 4, {"company.plan.json": None})
    with pytest.raises(NotApprovedError, match=r"#4 deleted company\.plan\.json; nothing"):
        await merged_approval(hub.client, hub.ctx, await hub.client.pull(4), hub.config, sha=sha)


async def test_a_plan_file_that_is_not_json_is_named(hub: Hub) -> None:
    sha = _merged(hub, 3, {"company.plan.json": "{not json"})
    with pytest.raises(PlanFileError, match=r"company\.plan\.json: not JSON"):
        await merged_approval(hub.client, hub.ctx, await hub.client.pull(3), hub.config, sha=sha)


async def test_otherwise_the_workflows_own_sticky_comment_is_what_was_approved(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = _merged(hub, 3, {"company.yaml": "version: 1\n"})
    hub.data.add_comment(3, _sticky(CHECKSUM))
    hub.data.add_comment(
        3, _sticky("hmac-sha256:" + "cd" * 32), by="mallory"
    )  # not the workflow's: ignored
    approved = await merged_approval(
        hub.client, hub.ctx, await hub.client.pull(3), hub.config, sha=sha
    )
    assert approved is not None
    assert (approved.checksum, approved.where) == (CHECKSUM, "the plan comment of #3")
    assert capsys.readouterr().err == (
        f"ignored 1 comment(s) on #3 that carry the plan marker but were not written by {BOT}\n"
    )


async def test_comments_already_read_are_used_and_none_means_no_reviewed_plan(hub: Hub) -> None:
    sha = _merged(hub, 3, {"company.yaml": "version: 1\n"})
    hub.data.add_comment(3, _sticky(CHECKSUM))
    pull = await hub.client.pull(3)
    assert (
        await merged_approval(hub.client, hub.ctx, pull, hub.config, sha=sha, comments=[]) is None
    )


async def test_a_pull_request_is_the_configs_by_its_sync_branch_or_its_plan_comment(
    hub: Hub,
) -> None:
    hub.data.add_pull(5, head=branch_of(KEY), by=BOT)
    hub.data.add_pull(6, head="elsewhere", by=BOT)
    hub.data.add_comment(6, _sticky(CHECKSUM))
    hub.data.add_pull(7, head=branch_of(KEY), by="ada")
    verdicts = [
        of_config(await hub.client.pull(n), await hub.client.comments(n), KEY, bot=BOT)
        for n in (5, 6, 7)
    ]
    assert verdicts == [True, True, False]
    assert not of_config(await hub.client.pull(6), [], "uk", bot=BOT)

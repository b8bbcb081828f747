"""The Actions environment: what is read, what it defaults to, what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.context import BOT, REMEDY, ActionsContext, actions_context, summary_file

LEAN = {"GITHUB_TOKEN": "ghs_secret", "GITHUB_REPOSITORY": "acme/people"}


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, "GITHUB_TOKEN, GITHUB_REPOSITORY"),
        ({"GITHUB_REPOSITORY": "acme/people", "GITHUB_TOKEN": ""}, "GITHUB_TOKEN"),
        ({"GITHUB_TOKEN": "ghs_secret"}, "GITHUB_REPOSITORY"),
    ],
)
def test_a_missing_token_or_repository_is_named_and_the_remedy_says_how(
    environ: dict[str, str], missing: str
) -> None:
    with pytest.raises(GitHubError) as caught:
        actions_context(environ)
    assert caught.value.message == f"missing the environment variable(s) {missing}"
    assert (
        caught.value.remedy
        == REMEDY
        == (
            "run this in GitHub Actions with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` "
            "(the other variables are set by the runner)"
        )
    )
    assert "ghs_secret" not in caught.value.diagnostics()


def test_outside_a_workflow_run_the_public_github_and_the_workflow_bot_are_assumed() -> None:
    ctx = actions_context(LEAN)
    assert (ctx.token.reveal(), ctx.repository) == ("ghs_secret", "acme/people")
    assert (ctx.api_url, ctx.server_url) == ("https://api.github.com", "https://github.com")
    assert (ctx.run_id, ctx.sha, ctx.event_name, dict(ctx.event)) == (None, None, None, {})
    assert (ctx.step_summary, ctx.bot, ctx.run_url) == (None, BOT, None)
    assert BOT == "github-actions[bot]"


def test_empty_variables_count_as_unset() -> None:
    empty = ["GITHUB_RUN_ID", "GITHUB_SHA", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"]
    blank = {name: "" for name in [*empty, "GITHUB_STEP_SUMMARY", "RECONCILER_BOT_LOGIN"]}
    ctx = actions_context({**LEAN, **blank})
    assert (ctx.run_id, ctx.sha, ctx.event_name, dict(ctx.event)) == (None, None, None, {})
    assert (ctx.step_summary, ctx.bot) == (None, BOT)


def test_a_workflow_run_is_read_from_its_variables_and_event_file(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": 4, "title": "Zoë's change"}), encoding="utf-8")
    ctx = actions_context(
        {
            **LEAN,
            "GITHUB_API_URL": "https://API.GHE.BOX/",
            "GITHUB_SERVER_URL": "https://GHE.BOX/",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_SHA": "abc123",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "RECONCILER_BOT_LOGIN": "reconciler-app[bot]",
        }
    )
    # GitHub Enterprise with subdomain isolation; a URL keeps all but its last slash
    assert (ctx.api_url, ctx.server_url) == ("https://API.GHE.BOX", "https://GHE.BOX")
    assert (ctx.run_id, ctx.sha, ctx.event_name) == ("4242", "abc123", "pull_request")
    assert dict(ctx.event) == {"number": 4, "title": "Zoë's change"}
    assert (ctx.step_summary, ctx.bot) == (tmp_path / "summary.md", "reconciler-app[bot]")
    assert ctx.run_url == "https://GHE.BOX/acme/people/actions/runs/4242"
    assert (ctx.pull_number, ctx.head_sha) == (4, "abc123")


def test_the_process_environment_is_read_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**LEAN, "GITHUB_STEP_SUMMARY": str(tmp_path / "s.md")}.items():
        monkeypatch.setenv(name, value)
    assert actions_context().repository == "acme/people"
    assert summary_file() == tmp_path / "s.md"
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    assert summary_file() is None and summary_file({"GITHUB_STEP_SUMMARY": "x.md"}) == Path("x.md")


@pytest.mark.parametrize(
    ("content", "kind"), [(None, "FileNotFoundError"), ("{not json", "JSONDecodeError")]
)
def test_an_event_file_that_cannot_be_read_is_named(
    tmp_path: Path, content: str | None, kind: str
) -> None:
    event = tmp_path / "event.json"
    if content is not None:
        event.write_text(content)
    with pytest.raises(GitHubError) as caught:
        actions_context({**LEAN, "GITHUB_EVENT_PATH": str(event)})
    assert caught.value.message == f"GITHUB_EVENT_PATH {event} cannot be read ({kind})"


def _ctx(event: dict[str, object], sha: str | None = "push-sha") -> ActionsContext:
    return ActionsContext(token=Secret("t"), repository="a/b", sha=sha, event=event)


@pytest.mark.parametrize(
    ("event", "number"),
    [
        ({"pull_request": {"number": 7}, "issue": {"number": 8}, "number": 9}, 7),
        ({"pull_request": {"number": "7"}, "issue": {"number": 8}}, 8),
        ({"issue": {"number": 8}, "number": 9}, 8),
        ({"pull_request": "7", "issue": ["8"], "number": 9}, 9),
        ({"number": "9"}, None),
        ({}, None),
    ],
    ids=["pull", "issue-when-pull-has-no-int", "issue", "top-level", "not-an-int", "none"],
)
def test_the_pull_request_number_comes_from_the_event(
    event: dict[str, object], number: int | None
) -> None:
    assert _ctx(event).pull_number == number


@pytest.mark.parametrize(
    ("event", "sha"),
    [
        ({"pull_request": {"head": {"sha": "head-sha"}}}, "head-sha"),
        ({"pull_request": {"head": {"sha": 7}}}, "push-sha"),
        ({"pull_request": {"head": "head-sha"}}, "push-sha"),
        ({"pull_request": ["x"]}, "push-sha"),
        ({}, "push-sha"),
    ],
    ids=["head", "sha-not-text", "head-not-object", "pull-not-object", "push"],
)
def test_the_commit_is_the_pull_requests_head_else_github_sha(
    event: dict[str, object], sha: str
) -> None:
    assert _ctx(event).head_sha == sha

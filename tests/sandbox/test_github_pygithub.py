"""PyGithub, an independent client, unchanged against the GitHub emulator over loopback.

If the emulator's objects miss what GitHub's REST reference documents (``url``,
``html_url``, ``node_id``, timestamps, full users, the ``pull_request`` key of
the issue list), PyGithub fails here, as it would on the reconciler's calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from github import Auth, Github, GithubException
from github.Repository import Repository

from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.server import serve_in_thread


def _hub(url: str, token: str) -> Github:
    return Github(
        base_url=url,
        auth=Auth.Token(token),
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


@pytest.fixture
def world() -> Iterator[tuple[GitHubData, Repository, str]]:
    data = GitHubData()
    with serve_in_thread(create_app(data)) as url:
        hub = _hub(url, SANDBOX_TOKEN)
        yield data, hub.get_repo(data.repository), url
        hub.close()


def test_comments_are_created_listed_and_edited(
    world: tuple[GitHubData, Repository, str],
) -> None:
    data, repo, url = world
    data.add_pull(7)
    data.add_comment(7, "LGTM", by="ada")
    pr_issue = repo.get_issue(7)
    made = pr_issue.create_comment("<!-- reconciler:plan x -->\nPlan")
    made.edit("<!-- reconciler:plan x -->\nPlan, again")
    listed = list(pr_issue.get_comments())
    assert [(c.user.login, c.user.type, c.body) for c in listed] == [
        ("ada", "User", "LGTM"),
        ("github-actions[bot]", "Bot", "<!-- reconciler:plan x -->\nPlan, again"),
    ]
    assert isinstance(listed[1].created_at, datetime) and listed[1].html_url.endswith(
        f"#issuecomment-{made.id}"
    )
    assert made.url.startswith(url)
    with pytest.raises(GithubException) as refused:
        listed[0].edit("forged by the bot")
    assert refused.value.status == 403


def test_the_issue_list_includes_pull_requests(world: tuple[GitHubData, Repository, str]) -> None:
    data, repo, _ = world
    data.add_pull()
    made = repo.create_label("reconciler-drift", "d93f0b", "Ledgy is behind CharlieHR")
    assert repo.get_label("Reconciler-Drift").color == made.color == "d93f0b"
    repo.create_issue("HR drift", body="4 to create", labels=["reconciler-drift"])
    listed = {i.number: i.pull_request is not None for i in repo.get_issues(state="all")}
    assert listed == {1: True, 2: False}
    (drift,) = repo.get_issues(labels=["reconciler-drift"])
    drift.edit(state="closed", state_reason="completed")
    assert repo.get_issue(2).state == "closed"


def test_pull_requests_and_reviews(world: tuple[GitHubData, Repository, str]) -> None:
    data, repo, _ = world
    main = repo.get_git_ref("heads/main").object.sha
    repo.create_git_ref("refs/heads/reconciler/sync", main)
    repo.create_file("company.plan.json", "Plan", "{}\n", branch="reconciler/sync")
    pr = repo.create_pull(base="main", head="reconciler/sync", title="Sync", body="the plan")
    data.add_review(pr.number, "grace", "APPROVED")
    got = repo.get_pull(pr.number)
    assert (got.user.login, got.head.ref, got.merged) == (
        "github-actions[bot]",
        "reconciler/sync",
        False,
    )
    ((review_user, state, commit),) = [
        (r.user.login, r.state, r.commit_id) for r in got.get_reviews()
    ]
    assert (review_user, state, commit) == ("grace", "APPROVED", got.head.sha)
    (listed,) = repo.get_pulls(state="open", head="acme:reconciler/sync", base="main")
    assert listed.number == pr.number
    got.edit(state="closed")
    assert repo.get_pull(pr.number).state == "closed"
    assert list(repo.get_pulls(state="open")) == []


def test_contents_and_refs(world: tuple[GitHubData, Repository, str]) -> None:
    data, repo, _ = world
    main = repo.get_git_ref("heads/main")
    ref = repo.create_git_ref("refs/heads/sync", main.object.sha)
    made = repo.create_file("company.plan.json", "Plan", '{"n": 1}\n', branch="sync")
    current = repo.get_contents("company.plan.json", ref="sync")
    assert not isinstance(current, list)
    assert current.decoded_content == b'{"n": 1}\n' and current.sha == made["content"].sha
    repo.update_file(current.path, "Plan 2", '{"n": 2}\n', current.sha, branch="sync")
    with pytest.raises(GithubException) as stale:
        repo.update_file(current.path, "Plan 3", "{}\n", current.sha, branch="sync")
    assert stale.value.status == 409
    assert data.file("company.plan.json", "sync") == '{"n": 2}\n'
    ref.delete()
    assert "sync" not in data.git.branches
    with pytest.raises(GithubException) as gone:
        repo.get_contents("company.plan.json", ref="sync")
    assert gone.value.status == 404


def test_a_person_approves_and_the_pull_request_is_merged(
    world: tuple[GitHubData, Repository, str],
) -> None:
    data, repo, url = world
    data.protect("main", contexts=["plan"], approvals=1)
    data.add_user("grace", token="grace-token")
    data.commit_files("sync", {"company.plan.json": "{}\n"})
    pr = repo.create_pull(base="main", head="sync", title="Sync", body="plan")
    with pytest.raises(GithubException) as short:
        pr.merge()
    assert short.value.status == 405
    with pytest.raises(GithubException) as own:
        pr.create_review(event="APPROVE")
    assert own.value.status == 422
    grace = _hub(url, "grace-token")
    grace.get_repo(data.repository).get_pull(pr.number).create_review(event="APPROVE")
    grace.close()
    with pytest.raises(GithubException) as unchecked:  # approved, but "plan" has not reported
        pr.merge()
    assert unchecked.value.status == 405
    run = repo.create_check_run(
        "plan",
        pr.head.sha,
        conclusion="success",
        output={"title": "1 to create", "summary": "## Plan"},
    )
    assert run.app.slug == "github-actions" and run.status == "completed"
    assert [r.name for r in repo.get_commit(pr.head.sha).get_check_runs()] == ["plan"]
    assert pr.merge().merged
    merged = repo.get_pull(pr.number)
    assert merged.merged and merged.merge_commit_sha == data.git.branches["main"]
    assert data.file("company.plan.json") == "{}\n"

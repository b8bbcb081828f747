"""Every answer of the GitHub emulator has the shape GitHub's REST reference documents.

The check uses githubkit's models, generated from GitHub's own OpenAPI description
(github/rest-api-description, API version 2022-11-28): a field the reference
marks as required and the emulator leaves out, or one of the wrong type, fails
here, for each endpoint the reconciler calls, reads and writes alike.
"""

from __future__ import annotations

import base64
from typing import Any, Union

import httpx
from githubkit_schemas.v2022_11_28 import models as gh
from pydantic import TypeAdapter

from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.server import serve_in_thread

REPO = "/repos/acme/people-config"


def _world() -> tuple[GitHubData, str, str]:
    data = GitHubData()
    head = data.commit_files("change", {"company.yaml": "a: 1\n"})
    merged = data.add_pull(head="change")
    data.add_review(merged["number"], "grace")
    data.merge_pull(merged["number"])
    sync = data.commit_files("sync", {"company.plan.json": "{}\n"})
    data.add_comment(merged["number"], "LGTM", by="grace")
    data.add_environment("reconciler-apply", ["LEDGY_API_KEY"], protected_branches=True)
    data.repo_secrets.append("RECONCILER_PLAN_KEY")
    data.protect("main", contexts=["plan"], approvals=1)
    data.add_ruleset("Protect main", approvals=1, contexts=["plan"], code_owners=True)
    data.add_label("reconciler-drift", "d93f0b", "HR drift")
    data.commit_files("main", {"big.json": "x" * (1024 * 1024 + 1)})
    data.add_user("grace", token="grace-token")
    return data, head, sync


def _check_run(sha: str) -> dict[str, Any]:
    """The required check "plan", as the sync job reports it."""
    output = {"title": "1 to create", "summary": "## Plan"}
    return {"name": "plan", "head_sha": sha, "conclusion": "success", "output": output}


RULE: Any = Union[tuple(getattr(gh, f"RepositoryRuleDetailedOneof{n}") for n in range(25))]  # noqa: UP007
"""A rule as ``GET /rules/branches/{branch}`` lists it (one of GitHub's rule shapes)."""


def test_every_answer_validates_against_githubs_rest_description() -> None:
    data, head, sync = _world()
    blob = base64.b64encode(b'{"n": 1}\n').decode()
    main = data.git.branches["main"]
    calls: list[tuple[str, str, Any, str, Any]] = [
        ("GET", "", None, SANDBOX_TOKEN, gh.FullRepository),
        ("GET", "/user", None, SANDBOX_TOKEN, gh.PublicUser),
        ("POST", "/issues", {"title": "Drift", "labels": ["d"]}, SANDBOX_TOKEN, gh.Issue),
        ("PATCH", "/issues/2", {"state": "closed"}, SANDBOX_TOKEN, gh.Issue),
        ("GET", "/issues?state=all", None, SANDBOX_TOKEN, list[gh.Issue]),
        ("GET", "/issues/1", None, SANDBOX_TOKEN, gh.Issue),
        ("POST", "/issues/1/comments", {"body": "plan"}, SANDBOX_TOKEN, gh.IssueComment),
        ("PATCH", "/issues/comments/1005", {"body": "p2"}, SANDBOX_TOKEN, gh.IssueComment),
        ("GET", "/issues/1/comments", None, SANDBOX_TOKEN, list[gh.IssueComment]),
        ("GET", "/issues/comments?sort=updated", None, SANDBOX_TOKEN, list[gh.IssueComment]),
        ("POST", "/git/refs", {"ref": "refs/heads/b", "sha": main}, SANDBOX_TOKEN, gh.GitRef),
        ("PATCH", "/git/refs/heads/b", {"sha": main}, SANDBOX_TOKEN, gh.GitRef),
        ("GET", "/git/ref/heads/b", None, SANDBOX_TOKEN, gh.GitRef),
        (
            "PUT",
            "/contents/p.json",
            {"message": "m", "content": blob, "branch": "b"},
            SANDBOX_TOKEN,
            gh.FileCommit,
        ),
        ("GET", "/contents/p.json?ref=b", None, SANDBOX_TOKEN, gh.ContentFile),
        ("GET", "/contents/big.json", None, SANDBOX_TOKEN, gh.ContentFile),
        ("POST", "/labels", {"name": "x", "color": "ededed"}, SANDBOX_TOKEN, gh.Label),
        ("GET", "/labels/reconciler-drift", None, SANDBOX_TOKEN, gh.Label),
        ("GET", "/rulesets", None, SANDBOX_TOKEN, list[gh.RepositoryRuleset]),
        ("GET", "/rulesets/8000", None, SANDBOX_TOKEN, gh.RepositoryRuleset),
        ("GET", "/rules/branches/main", None, SANDBOX_TOKEN, list[RULE]),
        ("GET", "/commits/sync", None, SANDBOX_TOKEN, gh.Commit),
        (
            "POST",
            "/pulls",
            {"title": "Sync", "head": "sync", "base": "main"},
            SANDBOX_TOKEN,
            gh.PullRequest,
        ),
        ("PATCH", "/pulls/3", {"body": "new"}, SANDBOX_TOKEN, gh.PullRequest),
        ("POST", "/pulls/3/reviews", {"event": "APPROVE"}, "grace-token", gh.PullRequestReview),
        ("POST", "/check-runs", _check_run(sync), SANDBOX_TOKEN, gh.CheckRun),
        (
            "GET",
            f"/commits/{sync}/check-runs",
            None,
            SANDBOX_TOKEN,
            gh.ReposOwnerRepoCommitsRefCheckRunsGetResponse200,
        ),
        (
            "GET",
            "/commits/sync/check-suites",
            None,
            SANDBOX_TOKEN,
            gh.ReposOwnerRepoCommitsRefCheckSuitesGetResponse200,
        ),
        (
            "POST",
            f"/statuses/{sync}",
            {"state": "success", "context": "lint"},
            "grace-token",
            gh.Status,
        ),
        ("GET", f"/commits/{sync}/statuses", None, SANDBOX_TOKEN, list[gh.Status]),
        ("GET", "/commits/sync/status", None, SANDBOX_TOKEN, gh.CombinedCommitStatus),
        ("PUT", "/pulls/3/merge", {}, SANDBOX_TOKEN, gh.PullRequestMergeResult),
        ("GET", "/pulls?state=all", None, SANDBOX_TOKEN, list[gh.PullRequestSimple]),
        ("GET", "/pulls/1", None, SANDBOX_TOKEN, gh.PullRequest),
        ("GET", "/pulls/1/reviews", None, SANDBOX_TOKEN, list[gh.PullRequestReview]),
        ("GET", f"/commits/{head}/pulls", None, SANDBOX_TOKEN, list[gh.PullRequestSimple]),
        ("GET", "/environments", None, SANDBOX_TOKEN, gh.ReposOwnerRepoEnvironmentsGetResponse200),
        (
            "GET",
            "/environments/reconciler-apply/secrets",
            None,
            ADMIN_TOKEN,
            gh.ReposOwnerRepoEnvironmentsEnvironmentNameSecretsGetResponse200,
        ),
        (
            "GET",
            "/actions/secrets",
            None,
            ADMIN_TOKEN,
            gh.ReposOwnerRepoActionsSecretsGetResponse200,
        ),
        ("GET", "/branches/main/protection", None, ADMIN_TOKEN, gh.BranchProtection),
        (
            "GET",
            "/actions/permissions/workflow",
            None,
            ADMIN_TOKEN,
            gh.ActionsGetDefaultWorkflowPermissions,
        ),
    ]
    with serve_in_thread(create_app(data)) as url:
        for method, path, body, token, model in calls:
            full = url + ("/user" if path == "/user" else REPO + path)
            answer = httpx.request(
                method, full, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.is_success, (method, path, answer.text)
            TypeAdapter(model).validate_python(answer.json())
        (run,) = data.check_runs
        one = httpx.get(
            f"{url}{REPO}/check-runs/{run['id']}",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        )
        TypeAdapter(gh.CheckRun).validate_python(one.json())

"""The JSON objects of the GitHub emulator's checks: the GitHub Actions app, check runs,
check suites and commit statuses, shaped as https://docs.github.com/en/rest/checks and
https://docs.github.com/en/rest/commits/statuses document them."""

from __future__ import annotations

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_git import GitStore, now

GITHUB_ACTIONS_APP_ID = 15368
"""The GitHub Actions app: what the workflow's token creates check runs and statuses as."""
AT = "2018-07-30T18:21:22Z"


def github_actions_app() -> Json:
    """The GitHub Actions app, as a check run's ``app`` shows it."""
    owner = shapes.user("github", 9919, "Organization")
    return {
        "id": GITHUB_ACTIONS_APP_ID,
        "slug": "github-actions",
        "node_id": shapes.node_id("App", GITHUB_ACTIONS_APP_ID),
        "client_id": "Iv1.05c79e9ad1f6bdfa",
        "owner": owner,
        "name": "GitHub Actions",
        "description": "Automate your workflow from idea to production",
        "external_url": "https://help.github.com/en/actions",
        "html_url": f"{shapes.WEB}/apps/github-actions",
        "created_at": AT,
        "updated_at": AT,
        "permissions": {"checks": "write", "statuses": "write", "contents": "write"},
        "events": ["check_run", "check_suite", "pull_request", "push", "status"],
    }


def check_run(repository: str, ident: int, suite: int, app: Json, body: Json) -> Json:
    """A check run as ``POST /check-runs`` answers it."""
    api = f"{shapes.API}/repos/{repository}"
    conclusion = body.get("conclusion")
    status = "completed" if conclusion is not None else str(body.get("status") or "queued")
    at = now()
    output = body.get("output") or {}
    return {
        "id": ident,
        "head_sha": body["head_sha"],
        "node_id": shapes.node_id("CheckRun", ident),
        "external_id": str(body.get("external_id") or ""),
        "url": f"{api}/check-runs/{ident}",
        "html_url": f"{shapes.WEB}/{repository}/runs/{ident}",
        "details_url": body.get("details_url") or f"{shapes.WEB}/{repository}/runs/{ident}",
        "status": status,
        "conclusion": conclusion,
        "started_at": body.get("started_at") or at,
        "completed_at": (body.get("completed_at") or at) if status == "completed" else None,
        "output": {
            "title": output.get("title"),
            "summary": output.get("summary"),
            "text": output.get("text"),
            "annotations_count": 0,
            "annotations_url": f"{api}/check-runs/{ident}/annotations",
        },
        "name": body["name"],
        "check_suite": {"id": suite},
        "app": app,
        "pull_requests": [],
    }


def check_suite(
    repository: str, git: GitStore, repo: Json, ident: int, sha: str, app: Json
) -> Json:
    """A check suite of ``app`` on commit ``sha`` (status and conclusion filled in on read)."""
    api = f"{shapes.API}/repos/{repository}"
    made = git.commits[sha]
    branch = next((b for b, s in git.branches.items() if s == sha), None)
    person = {"name": made.author, "email": f"{made.author}@users.example"}
    at = now()
    return {
        "id": ident,
        "node_id": shapes.node_id("CheckSuite", ident),
        "head_branch": branch,
        "head_sha": sha,
        "status": "queued",
        "conclusion": None,
        "url": f"{api}/check-suites/{ident}",
        "before": made.parents[0] if made.parents else None,
        "after": sha,
        "pull_requests": [],
        "app": app,
        "repository": repo,
        "created_at": at,
        "updated_at": at,
        "head_commit": {
            "id": sha,
            "tree_id": made.tree_sha,
            "message": made.message,
            "timestamp": made.date,
            "author": person,
            "committer": person,
        },
        "latest_check_runs_count": 0,
        "check_runs_url": f"{api}/check-suites/{ident}/check-runs",
        "rerequestable": True,
        "runs_rerequestable": False,
    }


def status(repository: str, ident: int, sha: str, creator: Json, **fields: object) -> Json:
    """A commit status as ``POST /statuses/{sha}`` answers it."""
    at = now()
    return {
        "url": f"{shapes.API}/repos/{repository}/statuses/{sha}",
        "avatar_url": creator["avatar_url"],
        "id": ident,
        "node_id": shapes.node_id("StatusContext", ident),
        "state": fields["state"],
        "description": fields.get("description"),
        "target_url": fields.get("target_url"),
        "context": fields["context"],
        "created_at": at,
        "updated_at": at,
        "creator": creator,
    }

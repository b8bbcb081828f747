"""An emulator of the parts of GitHub's REST API the reconciler uses.

One repository (``owner/repo`` in the path is checked; another is 404) with:
issues and pull requests numbered from one sequence, the issue list including
pull requests (with a ``pull_request`` key) as GitHub's does, issue comments
(``Link`` pagination, create, update by their author or an admin only), pull
requests (list with ``head``/``base``/``state`` filters, create, get, update),
reviews, branches and commits holding whole trees (Git refs, contents with the
blob-sha precondition, a commit with its ``files``), environments, secrets by
name, branch protection. Each token is a user: the sandbox token is
``github-actions[bot]``; :meth:`GitHubData.add_user` adds people.

Like GitHub: 401 without a valid token, 422 "Body is too long (maximum is 65536
characters)", the ``x-ratelimit-*`` headers on every answer. Objects are shaped
as the REST reference documents them (:mod:`reconciler.sandbox.github_shapes`).
Deliberate faults (:meth:`GitHubData.fail_next`) include "500 after the work",
the way a write lands although its client saw it fail.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.sandbox.github_api import Caller, Handler, Reply, invalid, not_found
from reconciler.sandbox.github_git import GitStore, now
from reconciler.sandbox.github_issues import Issues
from reconciler.sandbox.github_pulls import Pulls
from reconciler.sandbox.github_repo import Repo

SANDBOX_TOKEN = "sandbox-github-token"
"""The workflow's token: it acts as ``github-actions[bot]``."""
ADMIN_TOKEN = "sandbox-admin-token"
"""A repository admin's token (``octo-admin``): may read secrets and branch protection."""
BOT_LOGIN = "github-actions[bot]"
BOT = shapes.user(BOT_LOGIN, 41898282, "Bot")
Json = dict[str, Any]


@dataclass
class Fault:
    """Answer the next ``count`` requests of ``method`` with ``status``.

    ``after_work``: carry the request out first, then fail (a write that landed
    although its client saw an error). ``echo``: a "Validation Failed" whose errors
    quote the request's fields back, in ``value`` and in the message.
    """

    method: str
    status: int
    after_work: bool
    count: int
    echo: bool = False


@dataclass
class GitHubData:
    """One repository: its Git data, issues, pull requests, comments, settings, users."""

    repository: str = "acme/people-config"
    comments: dict[int, list[Json]] = field(default_factory=dict)
    issues: list[Json] = field(default_factory=list)
    """Issues proper (pull requests are in ``pulls``; the issue list shows both)."""
    pulls: list[Json] = field(default_factory=list)
    reviews: dict[int, list[Json]] = field(default_factory=dict)
    git: GitStore = field(default_factory=GitStore)
    environments: dict[str, list[str]] = field(default_factory=dict)
    """Environment name → the names of its secrets (never values)."""
    branch_policies: dict[str, Json] = field(default_factory=dict)
    """Environment name → its ``deployment_branch_policy`` (absent: any branch)."""
    workflow_permissions: Json = field(
        default_factory=lambda: {
            "default_workflow_permissions": "read",
            "can_approve_pull_request_reviews": False,
        }
    )
    """Settings > Actions > General > Workflow permissions, as the REST API shows them."""
    repo_secrets: list[str] = field(default_factory=list)
    protection: dict[str, Json] = field(default_factory=dict)
    users: dict[str, Json] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    rate_limit: int = 5000
    used: int = 0
    next_id: int = 1000
    last_number: int = 0

    def __post_init__(self) -> None:
        owner = self.repository.split("/")[0]
        self.users.setdefault(owner, shapes.user(owner, 9000, "Organization"))
        self.users.setdefault(BOT_LOGIN, BOT)
        self.tokens.setdefault(SANDBOX_TOKEN, BOT_LOGIN)
        self.add_user("octo-admin", token=ADMIN_TOKEN, admin=True)

    # -- ids and users -------------------------------------------------------

    def new_id(self) -> int:
        """A fresh object id (comments, issues, pulls, reviews)."""
        self.next_id += 1
        return self.next_id

    def new_number(self) -> int:
        """The next issue or pull request number (one sequence for both, as GitHub)."""
        self.last_number += 1
        return self.last_number

    def add_user(self, login: str, *, token: str | None = None, admin: bool = False) -> Json:
        """A person (``type`` User); ``token`` authenticates as them; admins may edit
        anyone's comments and read secrets and branch protection."""
        found = self.users.setdefault(login, shapes.user(login, 5000 + len(self.users)))
        if token is not None:
            self.tokens[token] = login
        if admin:
            self.admins.add(login)
        return found

    def user(self, login: str) -> Json:
        """The user object of ``login`` (created as a person on first use)."""
        return self.users.get(login) or self.add_user(login)

    @property
    def owner(self) -> Json:
        """The repository's owner (an organization)."""
        return self.users[self.repository.split("/")[0]]

    @property
    def repo(self) -> Json:
        """The repository object."""
        return shapes.repository(self.repository, self.owner, self.git.default_branch)

    # -- issues, comments ----------------------------------------------------

    def issue_comments(self, number: int) -> list[Json]:
        """The comments of an issue or pull request, oldest first."""
        return self.comments.setdefault(number, [])

    def add_comment(self, number: int, body: str, *, by: str = BOT_LOGIN) -> Json:
        """A comment written by ``by`` (a login), as if posted through the API."""
        page = "pull" if self.pull(number) is not None else "issues"
        made = shapes.comment(self.repository, page, number, self.new_id(), self.user(by), body)
        self.issue_comments(number).append(made)
        return made

    def add_issue(
        self, title: str, body: str = "", *, labels: list[str] | None = None, by: str = BOT_LOGIN
    ) -> Json:
        """An open issue written by ``by``."""
        made = shapes.issue(
            self.repository,
            self.new_number(),
            self.new_id(),
            self.user(by),
            now(),
            title=title,
            body=body,
            labels=labels or [],
        )
        self.issues.append(made)
        return made

    def issue(self, number: int) -> Json | None:
        """The issue numbered ``number`` (not a pull request), if any."""
        return next((i for i in self.issues if i["number"] == number), None)

    # -- pull requests, reviews ----------------------------------------------

    def pull(self, number: int) -> Json | None:
        """The pull request numbered ``number``, if any."""
        return next((p for p in self.pulls if p["number"] == number), None)

    def add_pull(
        self,
        number: int | None = None,
        *,
        merge_commit_sha: str | None = None,
        head_sha: str = "head",
        head: str | None = None,
        base: str | None = None,
        title: str | None = None,
        body: str = "",
        by: str = "ada",
    ) -> Json:
        """A pull request by ``by`` (merged when it has a merge commit).

        ``number`` defaults to the next of the issue sequence; the head branch's
        sha is used when that branch exists, else ``head_sha``.
        """
        number = self.new_number() if number is None else number
        self.last_number = max(self.last_number, number)
        head = head or f"change-{number}"
        base = base or self.git.default_branch
        found = self.git.branches.get(head, head_sha)
        base_sha = self.git.branches.get(base, "base")
        pr = shapes.pull(
            self.repository,
            number,
            self.new_id(),
            self.user(by),
            now(),
            title=title or f"Change the people config ({number})",
            body=body,
            head=shapes.branch_side(self.repository, self.owner, self.repo, head, found),
            base=shapes.branch_side(self.repository, self.owner, self.repo, base, base_sha),
        )
        self.pulls.append(pr)
        self.comments.setdefault(number, [])
        if merge_commit_sha:
            self._mark_merged(pr, merge_commit_sha, self.user(by))
        return pr

    def merge_pull(self, number: int, *, by: str = "octo-admin") -> str:
        """Merge a pull request into its base: a merge commit with the head's tree.

        Returns the merge commit's sha; the pull request becomes closed and merged.
        """
        pr = self.pull(number)
        if pr is None or pr["state"] != "open":
            raise ValueError(f"pull request {number} is not open")
        base, head = pr["base"]["ref"], pr["head"]["ref"]
        head_sha = self.git.branches.get(head, pr["head"]["sha"])
        tree = self.git.commits[head_sha].tree if head_sha in self.git.commits else {}
        parents = (self.git.branches[base], head_sha)
        message = f"Merge pull request #{number} from {self.repository.split('/')[0]}/{head}"
        made = self.git.commit(tree, parents, message, by)
        self.git.branches[base] = made.sha
        pr["head"]["sha"] = head_sha
        self._mark_merged(pr, made.sha, self.user(by))
        return made.sha

    @staticmethod
    def _mark_merged(pr: Json, sha: str, by: Json) -> None:
        at = now()
        pr |= {
            "state": "closed",
            "merged": True,
            "merged_at": at,
            "closed_at": at,
            "updated_at": at,
            "merge_commit_sha": sha,
            "merged_by": by,
            "mergeable": None,
            "mergeable_state": "unknown",
        }

    def add_review(
        self,
        number: int,
        by: str,
        state: str = "APPROVED",
        *,
        commit_id: str | None = None,
        body: str = "",
    ) -> Json:
        """A review by ``by`` (APPROVED, CHANGES_REQUESTED or COMMENTED), on the
        pull request's current head commit unless ``commit_id`` says otherwise."""
        pr = self.pull(number)
        if pr is None:
            raise ValueError(f"no pull request {number}")
        self.refresh(pr)
        made = shapes.review(
            pr, self.new_id(), self.user(by), state, commit_id or pr["head"]["sha"], body
        )
        self.reviews.setdefault(number, []).append(made)
        return made

    def refresh(self, pr: Json) -> Json:
        """An open pull request follows its head branch, as on GitHub."""
        if pr["state"] == "open" and pr["head"]["ref"] in self.git.branches:
            pr["head"]["sha"] = self.git.branches[pr["head"]["ref"]]
        return pr

    # -- Git -----------------------------------------------------------------

    def commit_files(
        self,
        branch: str,
        files: dict[str, str | None],
        *,
        message: str = "Change files",
        by: str = "ada",
    ) -> str:
        """Commit ``files`` (text, or ``None`` to delete) on ``branch``, creating the
        branch from the default branch if needed. Returns the new commit's sha."""
        if branch not in self.git.branches:
            self.git.branches[branch] = self.git.branches[self.git.default_branch]
        return self.git.change(branch, files, message, by).sha

    def file(self, path: str, ref: str | None = None) -> str | None:
        """The text of ``path`` on a branch or commit (default branch by default)."""
        made = self.git.resolve(ref)
        return None if made is None else made.tree.get(path)

    # -- settings ------------------------------------------------------------

    def add_environment(
        self, name: str, secrets: list[str] | None = None, *, protected_branches: bool = False
    ) -> None:
        """A deployment environment holding secrets of these names; with
        ``protected_branches`` only protected branches may deploy to it."""
        self.environments.setdefault(name, []).extend(secrets or [])
        if protected_branches:
            self.branch_policies[name] = {
                "protected_branches": True,
                "custom_branch_policies": False,
            }

    def protect(
        self,
        branch: str = "main",
        *,
        contexts: list[str] | None = None,
        approvals: int | None = 1,
        strict: bool = True,
    ) -> Json:
        """Turn on branch protection: required status checks (``contexts``) and,
        unless ``approvals`` is ``None``, required approving reviews."""
        api = f"{shapes.API}/repos/{self.repository}/branches/{branch}/protection"
        rules: Json = {"url": api}
        if contexts is not None:
            rules["required_status_checks"] = {
                "url": f"{api}/required_status_checks",
                "strict": strict,
                "contexts": list(contexts),
                "checks": [{"context": c, "app_id": None} for c in contexts],
                "contexts_url": f"{api}/required_status_checks/contexts",
            }
        if approvals is not None:
            rules["required_pull_request_reviews"] = {
                "url": f"{api}/required_pull_request_reviews",
                "dismiss_stale_reviews": False,
                "require_code_owner_reviews": False,
                "require_last_push_approval": False,
                "required_approving_review_count": approvals,
            }
        rules |= {
            "enforce_admins": {"url": f"{api}/enforce_admins", "enabled": False},
            "required_linear_history": {"enabled": False},
            "allow_force_pushes": {"enabled": False},
            "allow_deletions": {"enabled": False},
            "required_conversation_resolution": {"enabled": False},
        }
        self.protection[branch] = rules
        return rules

    # -- faults --------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        method: str = "POST",
        status: int = 500,
        after_work: bool = False,
        echo: bool = False,
    ) -> None:
        """Answer the next ``count`` ``method`` requests with ``status``; with
        ``after_work`` the request is carried out first (the write lands); with ``echo``
        the answer quotes what was sent back."""
        self.faults.append(Fault(method.upper(), status, after_work, count, echo))

    def take_fault(self, method: str) -> Fault | None:
        """The fault due for a request of ``method``, counted down."""
        for fault in self.faults:
            if fault.method == method and fault.count > 0:
                fault.count -= 1
                return fault
        return None


class _Api:
    """Authentication, the repository check, rate limits, faults, and the answer's form."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    def headers(self) -> dict[str, str]:
        data = self.data
        remaining = max(0, data.rate_limit - data.used)
        return {
            "x-ratelimit-limit": str(data.rate_limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-used": str(data.used),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
            "x-github-api-version-selected": "2022-11-28",
        }

    def respond(self, request: Request, reply: Reply) -> Response:
        headers = {**self.headers(), **reply.headers}
        if reply.status == 204:
            return Response(status_code=204, headers=headers)
        # The mount point (``sandbox serve`` puts the emulator under /github) is
        # in ``root_path``; ``base_url`` would leave it out.
        origin = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"
        body = shapes.resolve_urls(reply.body, origin)
        return JSONResponse(body, status_code=reply.status, headers=headers)

    def caller(self, request: Request) -> Caller | Reply:
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if not token:
            return invalid("Requires authentication", 401)
        login = self.data.tokens.get(token) if scheme.lower() in ("bearer", "token") else None
        if login is None:
            return invalid("Bad credentials", 401)
        if self.data.used >= self.data.rate_limit:
            return Reply(
                {
                    "message": "API rate limit exceeded",
                    "documentation_url": "https://docs.github.com/rest/rate-limit",
                },
                403,
            )
        self.data.used += 1
        return Caller(self.data.user(login), login in self.data.admins)

    def guard(
        self, handler: Handler, *, repo: bool = True
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            who = self.caller(request)
            if isinstance(who, Reply):
                return self.respond(request, who)
            if repo and not self._ours(request):
                return self.respond(request, not_found())
            fault = self.data.take_fault(request.method)
            if fault is not None and fault.echo:
                return self.respond(request, await _echoed(request, fault.status))
            if fault is not None and not fault.after_work:
                return self.respond(request, invalid("Injected fault", fault.status))
            reply = await handler(who, request)
            if fault is not None:
                return self.respond(request, invalid("Injected fault after the work", fault.status))
            return self.respond(request, reply)

        return endpoint

    def _ours(self, request: Request) -> bool:
        asked = f"{request.path_params['owner']}/{request.path_params['repo']}"
        return asked.lower() == self.data.repository.lower()


async def _echoed(request: Request, status: int) -> Reply:
    """A "Validation Failed" quoting every field of the request body back."""
    try:
        sent = await request.json()
    except ValueError:
        sent = {}
    fields = sent if isinstance(sent, dict) else {}
    reply = invalid("Validation Failed", status)
    reply.body["errors"] = [
        {
            "resource": "Request",
            "code": "invalid",
            "field": name,
            "value": value,
            "message": f"{name} {json.dumps(value, ensure_ascii=False)} is invalid "
            f"in {json.dumps(fields, ensure_ascii=False)}",
        }
        for name, value in fields.items()
    ]
    return reply


async def _me(who: Caller, request: Request) -> Reply:
    return Reply(shapes.profile(who.user))


def _routes(data: GitHubData) -> list[Route]:
    api = _Api(data)
    issues, pulls, repo = Issues(data), Pulls(data), Repo(data)
    table: list[tuple[str, Handler, list[str]]] = [
        ("", repo.repository, ["GET"]),
        ("/issues", issues.list_or_create, ["GET", "POST"]),
        ("/issues/{number:int}", issues.one, ["GET", "PATCH"]),
        ("/issues/{number:int}/comments", issues.comments, ["GET", "POST"]),
        ("/issues/comments/{id:int}", issues.comment, ["GET", "PATCH"]),
        ("/pulls", pulls.list_or_create, ["GET", "POST"]),
        ("/pulls/{number:int}", pulls.one, ["GET", "PATCH"]),
        ("/pulls/{number:int}/reviews", pulls.reviews, ["GET", "POST"]),
        ("/pulls/{number:int}/merge", pulls.merge, ["PUT"]),
        ("/commits/{sha}/pulls", pulls.of_commit, ["GET"]),
        ("/commits/{ref}", repo.commit, ["GET"]),
        ("/git/ref/{ref:path}", repo.get_ref, ["GET"]),
        ("/git/refs", repo.all_refs, ["GET", "POST"]),
        ("/git/refs/{ref:path}", repo.refs, ["GET", "PATCH", "DELETE"]),
        ("/contents/{path:path}", repo.contents, ["GET", "PUT"]),
        ("/environments", repo.environments, ["GET"]),
        ("/environments/{name}/secrets", repo.environment_secrets, ["GET"]),
        ("/actions/secrets", repo.repo_secrets, ["GET"]),
        ("/actions/permissions/workflow", repo.workflow_permissions, ["GET"]),
        ("/branches/{branch}/protection", repo.protection, ["GET"]),
    ]
    routes = [
        Route("/repos/{owner}/{repo}" + path, api.guard(handler), methods=methods)
        for path, handler, methods in table
    ]
    routes.append(Route("/user", api.guard(_me, repo=False), methods=["GET"]))
    return routes


def create_app(
    data: GitHubData,
    *,
    token: str = SANDBOX_TOKEN,
    knobs: Knobs | None = None,
    traffic: Traffic | None = None,
) -> MisbehaviourMiddleware:
    """The emulator as an ASGI app; it changes ``data`` as requests arrive.

    ``token`` is the workflow's token (it acts as ``github-actions[bot]``).
    """
    data.tokens.setdefault(token, BOT_LOGIN)
    return MisbehaviourMiddleware(Starlette(routes=_routes(data)), knobs or Knobs(), traffic)

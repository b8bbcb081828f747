"""An emulator of the parts of GitHub's REST API the reconciler uses.

One repository (``owner/repo`` in the path is checked; another is 404) with:
issues and pull requests numbered from one sequence, the issue list including
pull requests (with a ``pull_request`` key) as GitHub's does, issue comments
(``Link`` pagination, create, update by their author or an admin only), pull
requests (list with ``head``/``base``/``state`` filters, create, get, update),
reviews, branches and commits holding whole trees (Git refs, contents with the
blob-sha precondition, a commit with its ``files``; a file over 1 MB comes whole
only with the raw media type), labels, environments, secrets by name, branch
protection and rulesets, check runs and commit statuses (a merge waits for the
required ones, :mod:`reconciler.sandbox.github_required`). Each token is a user: the
sandbox token is ``github-actions[bot]``; :meth:`GitHubData.add_user` adds people,
some with read access only.

Like GitHub: 401 without a valid token, 422 "Body is too long (maximum is 65536
characters)", the ``x-ratelimit-*`` headers on every answer and an hourly request
budget (:attr:`GitHubData.rate_limit`) that resets on :attr:`GitHubData.clock`.
Objects are shaped as the REST reference documents them
(:mod:`reconciler.sandbox.github_shapes`). Deliberate faults
(:meth:`GitHubData.fail_next`) include "500 after the work", the way a write lands
although its client saw it fail; :meth:`GitHubData.limit_next` answers with each of
GitHub's rate-limit answers, primary and secondary, 403 and 429.

This module holds the repository (:class:`GitHubData`); the ASGI app that answers for
it is :mod:`reconciler.sandbox.github_app`, and its routes are in the ``github_*``
modules beside it, which read the repository and which it never imports.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from reconciler.domain.json import Json
from reconciler.sandbox import github_check_shapes as check_shapes
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_git import GitStore, now
from reconciler.sandbox.github_rule_shapes import (
    pull_request_rule,
    ruleset,
    status_checks_rule,
)

SANDBOX_TOKEN = "sandbox-github-token"
"""The workflow's token: it acts as ``github-actions[bot]``."""
ADMIN_TOKEN = "sandbox-admin-token"
"""A repository admin's token (``octo-admin``): may read secrets and branch protection."""
BOT_LOGIN = "github-actions[bot]"
BOT = shapes.user(BOT_LOGIN, 41898282, "Bot")
WINDOW = 3600
"""GitHub's primary rate limit counts requests per hour."""


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
class RateLimit:
    """Answer the next ``count`` requests with one of GitHub's rate-limit answers.

    ``primary``: ``status`` with ``x-ratelimit-remaining: 0`` and the window's
    ``x-ratelimit-reset``; ``secondary``: ``status`` with GitHub's "secondary rate
    limit" message and the ordinary headers. ``retry_after`` adds that header.
    """

    kind: Literal["primary", "secondary"]
    status: int = 403
    retry_after: int | None = None
    count: int = 1


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
    rulesets: list[Json] = field(default_factory=list)
    """Repository rulesets, as ``GET /rulesets/{id}`` shows them (see :meth:`add_ruleset`)."""
    labels: dict[str, Json] = field(default_factory=dict)
    """The repository's labels by lower-cased name."""
    users: dict[str, Json] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    readers: set[str] = field(default_factory=set)
    """Users with read access only: their labels on a new issue are dropped, and they
    may not create labels."""
    faults: list[Fault] = field(default_factory=list)
    limits: list[RateLimit] = field(default_factory=list)
    """Rate-limit answers due next (:meth:`limit_next`)."""
    rate_limit: int = 5000
    """Requests per hour (GitHub's primary limit); past it, 403 until the window resets."""
    used: int = 0
    clock: Callable[[], float] = field(default=time.time)
    """The emulator's time (epoch seconds); a test may share a fake one with its client."""
    window_start: float | None = None
    max_file: int = 100 * 1024 * 1024
    """The largest file the contents API serves (GitHub: 100 MB)."""
    check_runs: list[Json] = field(default_factory=list)
    """Check runs, oldest first (:mod:`reconciler.sandbox.github_checks`)."""
    check_suites: list[Json] = field(default_factory=list)
    statuses: dict[str, list[Json]] = field(default_factory=dict)
    """Commit sha → its statuses, oldest first."""
    status_apps: dict[int, int | None] = field(default_factory=dict)
    """Status id → the id of the GitHub App that set it (``None``: a person)."""
    apps: dict[str, Json] = field(default_factory=dict)
    """Bot login → the GitHub App its token acts as (``github-actions[bot]``: GitHub Actions)."""
    next_id: int = 1000
    last_number: int = 0

    def __post_init__(self) -> None:
        owner = self.repository.split("/")[0]
        self.users.setdefault(owner, shapes.user(owner, 9000, "Organization"))
        self.users.setdefault(BOT_LOGIN, BOT)
        self.tokens.setdefault(SANDBOX_TOKEN, BOT_LOGIN)
        self.apps.setdefault(BOT_LOGIN, check_shapes.github_actions_app())
        self.add_user("octo-admin", token=ADMIN_TOKEN, admin=True)

    # -- ids and users -------------------------------------------------------

    def stamp(self) -> str:
        """The time now on :attr:`clock`, as GitHub writes it (reviews and merges are
        stamped with it, so a test can place a review after a merge)."""
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def new_id(self) -> int:
        """A fresh object id (comments, issues, pulls, reviews)."""
        self.next_id += 1
        return self.next_id

    def new_number(self) -> int:
        """The next issue or pull request number (one sequence for both, as GitHub)."""
        self.last_number += 1
        return self.last_number

    def add_user(
        self,
        login: str,
        *,
        token: str | None = None,
        admin: bool = False,
        read_only: bool = False,
        bot: bool = False,
    ) -> Json:
        """A person (``type`` User), or with ``bot`` a GitHub App's identity (``type``
        Bot, e.g. ``people-sync[bot]``); ``token`` authenticates as them; admins may
        edit anyone's comments and read secrets and branch protection; ``read_only``
        people may open issues but not label them."""
        kind = "Bot" if bot else "User"
        found = self.users.setdefault(login, shapes.user(login, 5000 + len(self.users), kind))
        if token is not None:
            self.tokens[token] = login
        if admin:
            self.admins.add(login)
        if read_only:
            self.readers.add(login)
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
        """An open issue written by ``by``, with these labels (made if the repository
        has none of that name)."""
        made = shapes.issue(
            self.repository,
            self.new_number(),
            self.new_id(),
            self.user(by),
            now(),
            title=title,
            body=body,
            labels=[self.find_label(n) or self.add_label(n) for n in labels or []],
        )
        self.issues.append(made)
        return made

    def add_label(self, name: str, color: str = "ededed", description: str | None = None) -> Json:
        """A label of the repository."""
        made = shapes.label(self.repository, name, color, description)
        self.labels[name.lower()] = made
        return made

    def find_label(self, name: str) -> Json | None:
        """The label of that name, whatever its case, if the repository has it."""
        return self.labels.get(name.lower())

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

    def _mark_merged(self, pr: Json, sha: str, by: Json) -> None:
        at = self.stamp()
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
        pull request's current head commit unless ``commit_id`` says otherwise,
        submitted now on :attr:`clock`. As on GitHub, a merged pull request may
        still be reviewed (https://github.com/cli/cli/issues/5038)."""
        pr = self.pull(number)
        if pr is None:
            raise ValueError(f"no pull request {number}")
        self.refresh(pr)
        made = shapes.review(
            pr, self.new_id(), self.user(by), state, commit_id or pr["head"]["sha"], body
        ) | {"submitted_at": self.stamp()}
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

    # -- checks and statuses -------------------------------------------------

    def add_check_run(self, sha: str, app: Json, body: Json) -> Json:
        """A check run of ``app`` on commit ``sha`` (``body`` as ``POST /check-runs``
        takes it), in the app's check suite on that commit (made if needed)."""
        suite = next(
            (s for s in self.check_suites if s["head_sha"] == sha and s["app"]["id"] == app["id"]),
            None,
        )
        if suite is None:
            suite = check_shapes.check_suite(
                self.repository, self.git, self.repo, self.new_id(), sha, app
            )
            self.check_suites.append(suite)
        made = check_shapes.check_run(
            self.repository, self.new_id(), suite["id"], app, body | {"head_sha": sha}
        )
        self.check_runs.append(made)
        return made

    def add_status(
        self,
        sha: str,
        state: str,
        *,
        context: str = "default",
        description: str | None = None,
        target_url: str | None = None,
        by: str = BOT_LOGIN,
    ) -> Json:
        """A commit status set by ``by`` (the workflow's token sets it as GitHub Actions)."""
        creator = self.user(by)
        made = check_shapes.status(
            self.repository,
            self.new_id(),
            sha,
            creator,
            state=state,
            context=context,
            description=description,
            target_url=target_url,
        )
        self.statuses.setdefault(sha, []).append(made)
        app = self.apps.get(by)
        self.status_apps[made["id"]] = None if app is None else int(app["id"])
        return made

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
        app_id: int | None = None,
    ) -> Json:
        """Turn on branch protection: required status checks (``contexts``, each from
        the app ``app_id`` if given, else any source) and, unless ``approvals`` is
        ``None``, required approving reviews."""
        api = f"{shapes.API}/repos/{self.repository}/branches/{branch}/protection"
        rules: Json = {"url": api}
        if contexts is not None:
            rules["required_status_checks"] = {
                "url": f"{api}/required_status_checks",
                "strict": strict,
                "contexts": list(contexts),
                "checks": [{"context": c, "app_id": app_id} for c in contexts],
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

    def add_ruleset(
        self,
        name: str = "Protect main",
        *,
        include: list[str] | None = None,
        exclude: list[str] | None = None,
        enforcement: str = "active",
        approvals: int | None = 1,
        contexts: list[str] | None = None,
        code_owners: bool = False,
        integration_id: int | None = None,
    ) -> Json:
        """A branch ruleset (Settings > Rules > Rulesets): on the default branch unless
        ``include`` names other refs; a ``pull_request`` rule unless ``approvals`` is
        ``None``; a ``required_status_checks`` rule when ``contexts`` are given (each
        from the app ``integration_id`` if given).
        ``enforcement``: ``active``, ``evaluate`` or ``disabled``."""
        rules: list[Json] = []
        if approvals is not None:
            rules.append(pull_request_rule(approvals, code_owners=code_owners))
        if contexts is not None:
            rules.append(status_checks_rule(contexts, integration_id=integration_id))
        made = ruleset(
            self.repository,
            8000 + len(self.rulesets),
            name,
            include=include or ["~DEFAULT_BRANCH"],
            exclude=exclude or [],
            enforcement=enforcement,
            rules=rules,
        )
        self.rulesets.append(made)
        return made

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

    def limit_next(
        self,
        kind: Literal["primary", "secondary"],
        status: int = 403,
        *,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` requests with a rate limit (see :class:`RateLimit`)."""
        self.limits.append(RateLimit(kind, status, retry_after, count))

    def take_limit(self) -> RateLimit | None:
        """The rate-limit answer due next, counted down."""
        for limit in self.limits:
            if limit.count > 0:
                limit.count -= 1
                return limit
        return None

    def reset_at(self) -> int:
        """When the primary limit's hour ends (epoch seconds); a new hour starts afresh."""
        current = self.clock()
        if self.window_start is None or current >= self.window_start + WINDOW:
            self.window_start = current
            self.used = 0
        return int(self.window_start + WINDOW)

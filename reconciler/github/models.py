"""GitHub's answers as the reconciler reads them: small frozen values, parsed once.

The client (:mod:`reconciler.github.client`) turns each answer into one of these as
it arrives, so the code above it reads attributes, never ``dict.get``. A field the
loop needs to identify an object (a pull request's ``number``, a comment's ``id``) is
required: an answer without it is a :class:`~reconciler.errors.GitHubError` naming
the endpoint. A field GitHub may leave out or send as ``null`` (``merged_at``, a
deleted user) takes the value the reconciler always gave a missing one. Shapes as
documented at https://docs.github.com/rest (pulls, reviews, issues and comments,
commits, git refs, contents, check runs, repositories).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.errors import GitHubError

Answer = Mapping[str, object]
"""A JSON object GitHub answered, its values not yet checked."""

_ISSUE_URL = re.compile(r"/issues/(\d+)$")


@dataclass(frozen=True)
class User:
    """Who wrote or opened something: ``login`` (empty for a deleted account)."""

    login: str = ""
    type: str = ""
    """``User``, ``Bot`` or ``Organization``."""

    @property
    def is_bot(self) -> bool:
        """An App or the Actions identity (``type`` ``Bot``, or a ``[bot]`` login)."""
        return self.type == "Bot" or self.login.endswith("[bot]")

    @classmethod
    def from_api(cls, data: object) -> User:
        """A user object, or the empty user for ``null`` (a deleted account)."""
        if not isinstance(data, Mapping):
            return cls()
        return cls(_text(data.get("login")), _text(data.get("type")))


@dataclass(frozen=True)
class Comment:
    """A comment on an issue or pull request."""

    id: int
    body: str
    user: User
    created_at: str
    issue_url: str = ""
    """The issue or pull request it is on (``…/issues/12``)."""
    html_url: str | None = None

    @property
    def number(self) -> int | None:
        """The number of the issue or pull request it is on, when known."""
        match = _ISSUE_URL.search(self.issue_url)
        return int(match.group(1)) if match else None

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Comment:
        """Parse one comment of the answer of ``where`` (``GitHub GET /…``)."""
        return cls(
            _int(data, "id", where),
            _text(data.get("body")),
            User.from_api(data.get("user")),
            _text(data.get("created_at")),
            _text(data.get("issue_url")),
            _optional(data.get("html_url")),
        )


@dataclass(frozen=True)
class Review:
    """A pull request review: its verdict, on which commit, when."""

    user: User
    state: str
    """``APPROVED``, ``CHANGES_REQUESTED``, ``DISMISSED``, ``COMMENTED``, ``PENDING``."""
    commit_id: str | None
    """The commit it reviewed (``None``: not said, which matches no commit)."""
    submitted_at: str | None

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Review:
        """Parse one review of the answer of ``where``."""
        _object_of(data, where)
        return cls(
            User.from_api(data.get("user")),
            _text(data.get("state")),
            _optional(data.get("commit_id")),
            _optional(data.get("submitted_at")),
        )


@dataclass(frozen=True)
class PullRequest:
    """A pull request as the loop reads it (a list answer leaves out ``commits``)."""

    number: int
    state: str
    body: str
    user: User
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    merged_at: str | None
    merge_commit_sha: str | None
    commits: int
    """How many commits it has (0 when the answer does not say)."""
    html_url: str | None

    @property
    def merged(self) -> bool:
        """Whether it was merged."""
        return bool(self.merged_at)

    @classmethod
    def from_api(cls, data: Answer, where: str) -> PullRequest:
        """Parse one pull request of the answer of ``where``."""
        head, base = _part(data, "head"), _part(data, "base")
        commits = data.get("commits")
        return cls(
            number=_int(data, "number", where),
            state=_text(data.get("state")),
            body=_text(data.get("body")),
            user=User.from_api(data.get("user")),
            head_ref=_text(head.get("ref")),
            head_sha=_text(head.get("sha")),
            base_ref=_text(base.get("ref")),
            base_sha=_text(base.get("sha")),
            merged_at=_optional(data.get("merged_at")),
            merge_commit_sha=_optional(data.get("merge_commit_sha")),
            commits=commits if isinstance(commits, int) else 0,
            html_url=_optional(data.get("html_url")),
        )


@dataclass(frozen=True)
class Issue:
    """An issue (the drift issue)."""

    number: int
    title: str
    body: str
    state: str

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Issue:
        """Parse one issue of the answer of ``where``."""
        return cls(
            _int(data, "number", where),
            _text(data.get("title")),
            _text(data.get("body")),
            _text(data.get("state")),
        )


@dataclass(frozen=True)
class Label:
    """A repository label."""

    name: str

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Label:
        """Parse a label answered by ``where``."""
        _object_of(data, where)
        return cls(_text(data.get("name")))


@dataclass(frozen=True)
class Repository:
    """The repository: what the loop reads of it is its default branch."""

    default_branch: str
    """``main`` when the answer does not say."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Repository:
        """Parse the repository answered by ``where``."""
        _object_of(data, where)
        return cls(_text(data.get("default_branch")) or "main")


@dataclass(frozen=True)
class Ref:
    """A branch reference: the commit it points at."""

    sha: str

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Ref:
        """Parse a reference answered by ``where`` (``object.sha``, required)."""
        sha = _part(data, "object").get("sha")
        if not isinstance(sha, str) or not sha:
            raise GitHubError(f"{where}: the answer has no object.sha")
        return cls(sha)


@dataclass(frozen=True)
class Commit:
    """A commit: its parents and the files it changed against the first one."""

    sha: str
    parents: tuple[str, ...]
    files: tuple[str, ...]
    """The changed files' paths (``filename``), in GitHub's order."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Commit:
        """Parse a commit (with ``files`` when asked for one) answered by ``where``."""
        return cls(
            _text(data.get("sha")),
            tuple(_text(p.get("sha")) for p in _objects(data.get("parents"))),
            tuple(_text(f.get("filename")) for f in _objects(data.get("files"))),
        )


@dataclass(frozen=True)
class File:
    """A file's text on a branch or commit, and its blob sha (to replace it)."""

    text: str
    sha: str


@dataclass(frozen=True)
class Written:
    """What a contents write answered: the new blob and the commit that holds it."""

    path: str
    sha: str
    """The blob's sha."""
    commit: str | None
    """The commit's sha; ``None`` when a write that had landed is found on a branch
    deleted since."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Written:
        """Parse ``{content, commit}`` answered by ``where``."""
        _object_of(data, where)
        content, commit = _part(data, "content"), _part(data, "commit")
        path, sha = _text(content.get("path")), _text(content.get("sha"))
        return cls(path, sha, _optional(commit.get("sha")))


@dataclass(frozen=True)
class CheckRun:
    """A finished check run on a commit."""

    id: int
    name: str
    conclusion: str | None
    summary: str | None
    completed_at: str | None

    @classmethod
    def from_api(cls, data: Answer, where: str) -> CheckRun:
        """Parse one check run of the answer of ``where``."""
        return cls(
            _int(data, "id", where),
            _text(data.get("name")),
            _optional(data.get("conclusion")),
            _optional(_part(data, "output").get("summary")),
            _optional(data.get("completed_at")),
        )


def _object_of(data: object, where: str) -> Answer:
    if not isinstance(data, Mapping):
        raise GitHubError(f"{where}: expected an object")
    return data


def _int(data: Answer, key: str, where: str) -> int:
    """A required integer field (``number``, ``id``); GitHub never sends one as text."""
    _object_of(data, where)
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise GitHubError(f"{where}: the answer has no {key}")
    try:
        return int(value)
    except ValueError:
        raise GitHubError(f"{where}: the answer's {key} is not a number") from None


def _text(value: object) -> str:
    """A text field; a missing or ``null`` one is empty."""
    return "" if value is None else str(value)


def _optional(value: object) -> str | None:
    """A text field that may be missing: ``None`` when it is missing, ``null`` or empty."""
    return str(value) if value not in (None, "") else None


def _part(data: Answer, key: str) -> Answer:
    """A nested object (``head``, ``base``, ``output``); a missing one is empty."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _objects(value: object) -> list[Answer]:
    """The objects of a list field; a missing one is empty."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


# -- settings (what `doctor` reads) ----------------------------------------------


Pinned = tuple[tuple[str, int], ...]
"""Required checks that only one GitHub App may set: ``(context, app id)``."""


@dataclass(frozen=True)
class Environment:
    """A deployment environment: its name, and whether branches are restricted."""

    name: str
    restricted: bool
    """It has a deployment branch policy."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Environment:
        """Parse one environment of the answer of ``where``."""
        _object_of(data, where)
        return cls(_text(data.get("name")), data.get("deployment_branch_policy") is not None)


@dataclass(frozen=True)
class WorkflowPermissions:
    """The GITHUB_TOKEN's default permissions, and what Actions may do."""

    default_write: bool
    may_approve: bool
    """``can_approve_pull_request_reviews``: Actions may create and approve pull requests."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> WorkflowPermissions:
        """Parse the settings answered by ``where``."""
        _object_of(data, where)
        return cls(
            data.get("default_workflow_permissions") == "write",
            bool(data.get("can_approve_pull_request_reviews")),
        )


@dataclass(frozen=True)
class BranchProtection:
    """What a branch's classic protection requires of a merge."""

    contexts: tuple[str, ...]
    approvals: int
    code_owners: bool
    pinned: Pinned

    @classmethod
    def from_api(cls, data: Answer, where: str) -> BranchProtection:
        """Parse the protection answered by ``where``."""
        _object_of(data, where)
        checks = _part(data, "required_status_checks")
        listed = _objects(checks.get("checks"))
        contexts = {str(c) for c in _list(checks.get("contexts"))}
        contexts |= {str(c["context"]) for c in listed if "context" in c}
        reviews = _part(data, "required_pull_request_reviews")
        return cls(
            tuple(sorted(contexts)),
            _count(reviews.get("required_approving_review_count")),
            bool(reviews.get("require_code_owner_reviews")),
            pinned(listed, "app_id"),
        )


@dataclass(frozen=True)
class Ruleset:
    """A repository or organization ruleset."""

    id: object
    """GitHub's id (a number), as answered."""
    name: str
    enforcement: str
    """``active``, ``evaluate`` or ``disabled``."""

    @classmethod
    def from_api(cls, data: Answer, where: str) -> Ruleset:
        """Parse one ruleset of the answer of ``where``."""
        _object_of(data, where)
        return cls(data.get("id"), _text(data.get("name")), _text(data.get("enforcement")))


@dataclass(frozen=True)
class BranchRule:
    """One rule in force on a branch, and the ruleset it comes from."""

    type: str
    """``pull_request``, ``required_status_checks``, …"""
    ruleset_id: object
    approvals: int = 0
    code_owners: bool = False
    contexts: tuple[str, ...] = ()
    pinned: Pinned = ()

    @classmethod
    def from_api(cls, data: Answer, where: str) -> BranchRule:
        """Parse one rule of the answer of ``where`` (the parameters of its type)."""
        _object_of(data, where)
        kind, found = _text(data.get("type")), _part(data, "parameters")
        if kind == "pull_request":
            approvals = _count(found.get("required_approving_review_count"))
            owners = bool(found.get("require_code_owner_review"))
            return cls(kind, data.get("ruleset_id"), approvals, owners)
        checks = _objects(found.get("required_status_checks"))
        contexts = tuple(str(c["context"]) for c in checks if "context" in c)
        ruleset = data.get("ruleset_id")
        return cls(kind, ruleset, contexts=contexts, pinned=pinned(checks, "integration_id"))


def pinned(checks: list[Answer], key: str) -> Pinned:
    """The checks only one GitHub App may set: ``key`` names it (``app_id`` in branch
    protection, ``integration_id`` in a ruleset); none, or -1, means any source."""
    found = set()
    for check in checks:
        app = check.get(key)
        if "context" in check and isinstance(app, int) and app != -1:
            found.add((str(check["context"]), app))
    return tuple(sorted(found))


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _count(value: object) -> int:
    """A count GitHub may leave out (0)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return 0
    try:
        return int(value or 0)
    except ValueError:
        return 0

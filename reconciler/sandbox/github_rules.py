"""The GitHub emulator's repository rulesets: the list, one ruleset, and a branch's rules.

As https://docs.github.com/en/rest/repos/rules documents them: ``GET /rulesets``
lists every ruleset (active, ``evaluate`` or ``disabled``) without its rules;
``GET /rulesets/{id}`` is one with its ``conditions`` and ``rules``; ``GET
/rules/branches/{branch}`` is every rule of the *active* rulesets whose
``conditions.ref_name`` takes in the branch (the branch need not exist), each with
the ``ruleset_source_type``, ``ruleset_source`` and ``ruleset_id`` it comes from.
Reading them needs read access only (the Metadata permission), so the workflow's
token may. Rules are shaped as in GitHub's REST description (``pull_request`` with
``required_approving_review_count`` and ``require_code_owner_review``,
``required_status_checks`` with ``required_status_checks[].context``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from starlette.requests import Request

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_api import Caller, Reply, not_found, page

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

AT = "2024-01-02T09:00:00Z"
SUMMARY = (
    "id",
    "name",
    "target",
    "source_type",
    "source",
    "enforcement",
    "node_id",
    "_links",
    "created_at",
    "updated_at",
)
"""The fields of a ruleset in the list (its rules and conditions are left out)."""


def ruleset(
    full_name: str,
    number: int,
    name: str,
    *,
    include: list[str],
    exclude: list[str],
    enforcement: str,
    rules: list[Json],
) -> Json:
    """A repository ruleset targeting branches."""
    api = f"{shapes.API}/repos/{full_name}/rulesets/{number}"
    return {
        "id": number,
        "name": name,
        "target": "branch",
        "source_type": "Repository",
        "source": full_name,
        "enforcement": enforcement,
        "bypass_actors": [],
        "current_user_can_bypass": "never",
        "node_id": shapes.node_id("RepositoryRuleset", number),
        "_links": {
            "self": {"href": api},
            "html": {"href": f"{shapes.WEB}/{full_name}/rules/{number}"},
        },
        "conditions": {"ref_name": {"include": list(include), "exclude": list(exclude)}},
        "rules": rules,
        "created_at": AT,
        "updated_at": AT,
    }


def pull_request_rule(approvals: int, *, code_owners: bool = False) -> Json:
    """A ``pull_request`` rule: merge only through a pull request with ``approvals``."""
    return {
        "type": "pull_request",
        "parameters": {
            "dismiss_stale_reviews_on_push": False,
            "require_code_owner_review": code_owners,
            "require_last_push_approval": False,
            "required_approving_review_count": approvals,
            "required_review_thread_resolution": False,
            "allowed_merge_methods": ["merge", "squash", "rebase"],
        },
    }


def status_checks_rule(
    contexts: list[str], *, strict: bool = True, integration_id: int | None = None
) -> Json:
    """A ``required_status_checks`` rule (each check from the app ``integration_id``
    if given, else any source)."""
    source = {} if integration_id is None else {"integration_id": integration_id}
    return {
        "type": "required_status_checks",
        "parameters": {
            "strict_required_status_checks_policy": strict,
            "do_not_enforce_on_create": False,
            "required_status_checks": [{"context": c, **source} for c in contexts],
        },
    }


def applies(found: Json, branch: str, default_branch: str) -> bool:
    """Whether a ruleset's ``ref_name`` condition takes in ``branch``."""
    names = (found.get("conditions") or {}).get("ref_name") or {}
    ref = f"refs/heads/{branch}"

    def matches(pattern: str) -> bool:
        if pattern == "~ALL":
            return True
        if pattern == "~DEFAULT_BRANCH":
            return branch == default_branch
        return fnmatchcase(ref, pattern)

    included = any(matches(p) for p in names.get("include") or [])
    return included and not any(matches(p) for p in names.get("exclude") or [])


class Rules:
    """The rulesets endpoints (read access suffices)."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    async def rulesets(self, who: Caller, request: Request) -> Reply:
        listed = [{k: r[k] for k in SUMMARY} for r in self.data.rulesets]
        return page(request, listed)

    async def one(self, who: Caller, request: Request) -> Reply:
        wanted = int(request.path_params["id"])
        found = next((r for r in self.data.rulesets if r["id"] == wanted), None)
        return Reply(found) if found is not None else not_found()

    async def of_branch(self, who: Caller, request: Request) -> Reply:
        branch = request.path_params["branch"]
        default = self.data.git.default_branch
        found = [
            rule
            | {
                "ruleset_source_type": "Repository",
                "ruleset_source": self.data.repository,
                "ruleset_id": r["id"],
            }
            for r in self.data.rulesets
            if r["enforcement"] == "active" and applies(r, branch, default)
            for rule in r["rules"]
        ]
        return page(request, found)

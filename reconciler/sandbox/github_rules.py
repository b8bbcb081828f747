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
from reconciler.sandbox.github_api import Caller, Reply, not_found, page

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

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

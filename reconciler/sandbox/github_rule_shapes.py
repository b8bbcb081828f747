"""The rules and rulesets the GitHub emulator's repository holds, shaped as
https://docs.github.com/en/rest/repos/rules documents them (``pull_request`` with
``required_approving_review_count`` and ``require_code_owner_review``,
``required_status_checks`` with ``required_status_checks[].context``).

The repository (:class:`reconciler.sandbox.github.GitHubData`) makes them; the routes
of :mod:`reconciler.sandbox.github_rules` read them.
"""

from __future__ import annotations

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes

AT = "2024-01-02T09:00:00Z"


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

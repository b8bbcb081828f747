"""The emulator's rulesets: listed, read whole, and a branch's active rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reconciler.sandbox.github import SANDBOX_TOKEN
from tests.sandbox.github_helpers import REPO, Gh, served


@pytest.fixture
def gh() -> Iterator[Gh]:
    with served() as hub:
        yield hub


def _rules(gh: Gh, branch: str) -> list[tuple[str, int]]:
    answer = gh.call("GET", f"{REPO}/rules/branches/{branch}", SANDBOX_TOKEN)
    assert answer.status_code == 200
    return [(r["type"], r["ruleset_id"]) for r in answer.json()]


def test_the_list_names_every_ruleset_without_its_rules(gh: Gh) -> None:
    first = gh.data.add_ruleset("Protect main", approvals=2, contexts=["plan"])
    gh.data.add_ruleset("Trial", enforcement="evaluate")
    listed = gh.call("GET", f"{REPO}/rulesets", SANDBOX_TOKEN).json()  # read access suffices
    assert [(r["name"], r["enforcement"]) for r in listed] == [
        ("Protect main", "active"),
        ("Trial", "evaluate"),
    ]
    assert "rules" not in listed[0] and "conditions" not in listed[0]
    whole = gh.call("GET", f"{REPO}/rulesets/{first['id']}").json()
    (review, checks) = whole["rules"]
    assert review["parameters"]["required_approving_review_count"] == 2
    assert checks["parameters"]["required_status_checks"] == [{"context": "plan"}]
    assert gh.call("GET", f"{REPO}/rulesets/1").status_code == 404


def test_a_branch_gets_the_rules_of_active_rulesets_that_take_it_in(gh: Gh) -> None:
    main = gh.data.add_ruleset("Main", approvals=1)["id"]
    gh.data.add_ruleset("Off", approvals=3, enforcement="disabled")
    gh.data.add_ruleset("Trial", approvals=3, enforcement="evaluate")
    every = gh.data.add_ruleset(
        "All but drafts",
        include=["~ALL"],
        exclude=["refs/heads/draft/*"],
        approvals=None,
        contexts=["plan"],
    )["id"]
    release = gh.data.add_ruleset("Releases", include=["refs/heads/release/*"], approvals=2)["id"]
    assert _rules(gh, "main") == [("pull_request", main), ("required_status_checks", every)]
    assert _rules(gh, "draft/x") == []
    assert _rules(gh, "release/2024") == [
        ("required_status_checks", every),
        ("pull_request", release),
    ]  # the branch need not exist
    rule = gh.call("GET", f"{REPO}/rules/branches/main").json()[0]
    assert (rule["ruleset_source_type"], rule["ruleset_source"]) == (
        "Repository",
        "acme/people-config",
    )

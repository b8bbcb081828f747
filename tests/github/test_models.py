"""GitHub's answers parsed once: a wrong shape is named by its endpoint, a field GitHub
may leave out takes the value the loop always gave it."""

from __future__ import annotations

import pytest

from reconciler.errors import GitHubError
from reconciler.github.models import (
    BranchProtection,
    BranchRule,
    Comment,
    Commit,
    PullRequest,
    Ref,
    Repository,
    Review,
    User,
    Written,
)

WHERE = "GitHub GET /repos/acme/people/pulls/7"


def test_an_answer_without_what_identifies_it_is_an_error_naming_the_endpoint() -> None:
    with pytest.raises(GitHubError) as no_number:
        PullRequest.from_api({"title": "x"}, WHERE)
    assert no_number.value.message == f"{WHERE}: the answer has no number"
    with pytest.raises(GitHubError, match=r"comments: the answer has no id"):
        Comment.from_api({"body": "x"}, "GitHub GET /repos/acme/people/issues/3/comments")
    with pytest.raises(GitHubError, match=r"heads/main: the answer has no object.sha"):
        Ref.from_api({"ref": "refs/heads/main"}, "GitHub GET /repos/a/b/git/ref/heads/main")
    with pytest.raises(GitHubError, match=r"not a number"):
        PullRequest.from_api({"number": "seven"}, WHERE)


def test_what_github_may_leave_out_takes_the_value_the_loop_gave_it() -> None:
    pull = PullRequest.from_api({"number": 7, "user": None, "merged_at": None}, WHERE)
    assert (pull.user, pull.merged, pull.merge_commit_sha, pull.commits) == (
        User(),
        False,
        None,
        0,
    )
    assert pull.head_sha == pull.base_sha == pull.body == ""
    assert Repository.from_api({}, WHERE).default_branch == "main"
    review = Review.from_api({"state": "APPROVED"}, WHERE)
    assert review.commit_id is None and review.submitted_at is None  # matches no commit
    assert Written.from_api({"content": {"sha": "f1"}}, WHERE) == Written("", "f1", None)


def test_nested_parts_are_read_into_plain_fields() -> None:
    pull = PullRequest.from_api(
        {
            "number": 7,
            "state": "closed",
            "user": {"login": "ada", "type": "User"},
            "head": {"ref": "reconciler/sync/company.yaml", "sha": "h1"},
            "base": {"ref": "main", "sha": "b1"},
            "merged_at": "2025-03-03T10:00:00Z",
            "merge_commit_sha": "m1",
            "commits": 2,
        },
        WHERE,
    )
    assert (pull.head_ref, pull.head_sha, pull.base_ref, pull.base_sha) == (
        "reconciler/sync/company.yaml",
        "h1",
        "main",
        "b1",
    )
    assert pull.merged and pull.commits == 2 and pull.user.login == "ada"
    commit = Commit.from_api(
        {"sha": "m1", "parents": [{"sha": "b1"}, {"sha": "h1"}], "files": [{"filename": "a"}]},
        WHERE,
    )
    assert (commit.parents, commit.files) == (("b1", "h1"), ("a",))
    comment = Comment.from_api(
        {"id": 4, "issue_url": "https://api.github.com/repos/acme/people/issues/12"}, WHERE
    )
    assert comment.number == 12 and Comment.from_api({"id": 5}, WHERE).number is None


def test_a_bot_is_known_by_its_type_or_its_login() -> None:
    assert User("renovate", "Bot").is_bot and User("my-app[bot]", "User").is_bot
    assert not User("ada", "User").is_bot and not User().is_bot


def test_protection_and_rules_keep_the_checks_only_one_app_may_set() -> None:
    protection = BranchProtection.from_api(
        {
            "required_status_checks": {
                "contexts": ["plan"],
                "checks": [{"context": "plan", "app_id": 15368}, {"context": "x", "app_id": -1}],
            },
            "required_pull_request_reviews": {"required_approving_review_count": 2},
        },
        WHERE,
    )
    assert protection == BranchProtection(("plan", "x"), 2, False, (("plan", 15368),))
    rule = BranchRule.from_api(
        {
            "type": "required_status_checks",
            "ruleset_id": 3,
            "parameters": {"required_status_checks": [{"context": "c", "integration_id": 9}]},
        },
        WHERE,
    )
    assert (rule.contexts, rule.pinned, rule.ruleset_id) == (("c",), (("c", 9),), 3)

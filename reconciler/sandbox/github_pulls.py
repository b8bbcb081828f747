"""The GitHub emulator's pull request endpoints: list, create, get, update, reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from reconciler.domain.json import Json
from reconciler.sandbox.github_api import (
    Caller,
    Reply,
    failed,
    invalid,
    newest_first,
    not_found,
    page,
    too_long,
)
from reconciler.sandbox.github_git import now
from reconciler.sandbox.github_required import merge_refusal

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

_REVIEW_EVENTS = {
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
    "COMMENT": "COMMENTED",
}


class Pulls:
    """Pull requests, their reviews, and the pull requests of a commit."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    def _branch(self, head: str) -> str:
        """``owner:branch`` or ``branch`` → the branch (this repository's owner only)."""
        owner, _, branch = head.rpartition(":")
        return branch if owner in ("", self.data.owner["login"]) else f"{owner}:{branch}"

    async def list_or_create(self, who: Caller, request: Request) -> Reply:
        if request.method == "POST":
            return await self._create(who, await request.json())
        query = request.query_params
        state = query.get("state", "open")
        head = self._branch(query["head"]) if "head" in query else None
        base = query.get("base")
        found = [
            self.data.refresh(p)
            for p in self.data.pulls
            if state in ("all", p["state"])
            and head in (None, p["head"]["ref"])
            and base in (None, p["base"]["ref"])
        ]
        return page(request, newest_first(request, found))

    async def _create(self, who: Caller, body: Json) -> Reply:
        missing = [k for k in ("title", "head", "base") if not body.get(k)]
        if missing:
            return failed("PullRequest", "missing_field", field=missing[0])
        head, base = self._branch(str(body["head"])), str(body["base"])
        git = self.data.git
        for name, where in ((head, "head"), (base, "base")):
            if name not in git.branches:
                return failed("PullRequest", "invalid", field=where)
        if (refusal := too_long(body.get("body"), "PullRequest")) is not None:
            return refusal
        taken = [
            p
            for p in self.data.pulls
            if p["state"] == "open" and p["head"]["ref"] == head and p["base"]["ref"] == base
        ]
        if taken:
            label = f"{self.data.owner['login']}:{head}"
            return failed(
                "PullRequest",
                "custom",
                message=f"A pull request already exists for {label}.",
            )
        if git.is_ancestor(git.branches[head], git.branches[base]):
            return failed(
                "PullRequest",
                "custom",
                message=f"No commits between {base} and {head}",
            )
        made = self.data.add_pull(
            head=head,
            base=base,
            title=str(body["title"]),
            body=str(body.get("body") or ""),
            by=who.user["login"],
        )
        return Reply(made, 201)

    async def one(self, who: Caller, request: Request) -> Reply:
        pr = self.data.pull(int(request.path_params["number"]))
        if pr is None:
            return not_found()
        if request.method == "GET":
            return Reply(self._counted(self.data.refresh(pr)))
        body = await request.json()
        if (refusal := too_long(body.get("body"), "PullRequest")) is not None:
            return refusal
        state = body.get("state")
        if state not in (None, "open", "closed") or (state == "open" and pr.get("merged")):
            return failed("PullRequest", "invalid", field="state")
        pr |= {k: body[k] for k in ("title", "body", "state") if k in body}
        pr["updated_at"] = now()
        pr["closed_at"] = pr["updated_at"] if pr["state"] == "closed" else None
        if isinstance(body.get("base"), str) and body["base"] in self.data.git.branches:
            pr["base"]["ref"] = body["base"]
            pr["base"]["sha"] = self.data.git.branches[body["base"]]
        return Reply(self._counted(self.data.refresh(pr)))

    def _counted(self, pr: Json) -> Json:
        return pr | {"comments": len(self.data.issue_comments(pr["number"]))}

    async def reviews(self, who: Caller, request: Request) -> Reply:
        number = int(request.path_params["number"])
        pr = self.data.pull(number)
        if pr is None:
            return not_found()
        if request.method == "GET":
            return page(request, self.data.reviews.get(number, []))
        body = await request.json()
        state = _REVIEW_EVENTS.get(str(body.get("event") or ""))
        if state is None:
            return failed("PullRequestReview", "invalid", field="event")
        if state != "COMMENTED" and pr["user"]["login"] == who.user["login"]:
            verb = "approve" if state == "APPROVED" else "request changes on"
            return Reply(
                {
                    "message": "Unprocessable Entity",
                    "errors": [f"Can not {verb} your own pull request"],
                },
                422,
            )
        if state != "APPROVED" and not body.get("body"):
            return failed("PullRequestReview", "missing_field", field="body")
        made = self.data.add_review(
            number,
            who.user["login"],
            state,
            commit_id=body.get("commit_id"),
            body=str(body.get("body") or ""),
        )
        return Reply(made)

    async def merge(self, who: Caller, request: Request) -> Reply:
        """``PUT /pulls/{n}/merge``: refused when closed, stale, short of approvals or of
        a required status check."""
        number = int(request.path_params["number"])
        pr = self.data.pull(number)
        if pr is None:
            return not_found()
        body = await request.json() if await request.body() else {}
        if pr["state"] != "open":
            return invalid("Pull Request is not mergeable", 405)
        self.data.refresh(pr)
        if body.get("sha") not in (None, pr["head"]["sha"]):
            return invalid("Head branch was modified. Review and try the merge again.", 409)
        needed = self._approvals_needed(pr)
        if needed:
            reviews = "review is" if needed == 1 else "reviews are"
            message = (
                f"At least {needed} approving {reviews} required by reviewers with write access."
            )
            return invalid(message, 405)
        if (unchecked := merge_refusal(self.data, pr)) is not None:
            return unchecked
        sha = self.data.merge_pull(number, by=who.user["login"])
        return Reply({"sha": sha, "merged": True, "message": "Pull Request successfully merged"})

    def _approvals_needed(self, pr: Json) -> int:
        """Approvals branch protection still asks for (each reviewer's latest review counts)."""
        rules = self.data.protection.get(pr["base"]["ref"], {})
        wanted = rules.get("required_pull_request_reviews", {}).get(
            "required_approving_review_count", 0
        )
        latest: dict[str, str] = {}
        for review in self.data.reviews.get(pr["number"], []):
            if review["state"] != "COMMENTED":
                latest[review["user"]["login"]] = review["state"]
        approved = sum(1 for state in latest.values() if state == "APPROVED")
        return max(0, int(wanted) - approved)

    async def of_commit(self, who: Caller, request: Request) -> Reply:
        sha = request.path_params["sha"]
        found = [
            self.data.refresh(p)
            for p in self.data.pulls
            if sha in (p.get("merge_commit_sha"), p["head"]["sha"])
        ]
        return page(request, found)

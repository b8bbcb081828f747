"""The rules in force for a pull request, read from its base branch through GitHub's API.

What the rules are, and why the pull request's own never count, is in
:mod:`reconciler.config.guarded`; this module finds the base branch's commit, reads
the config there, and checks the approving reviews against it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reconciler.config.guarded import (
    BaseRules,
    RuleChange,
    rule_changes,
    under_base_rules,
    untrusted_endpoints,
)
from reconciler.config.load import LoadedConfig, base_rules
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.models import PullRequest
from reconciler.github.publish import pull_number
from reconciler.github.reviews import approvers, ignored
from reconciler.render.rules import rules_section

NO_COMMIT = "0" * 40
"""The ``before`` of a push that created the branch."""


async def merge_base(
    client: GitHubClient, pull: PullRequest, *, before: str | None = None
) -> str | None:
    """The commit of the base branch just before ``pull`` was merged.

    ``before`` is the push event's: the branch as it was before the push, right for
    every merge method, given when the pushed commit is this pull request's merge.
    Otherwise the merge commit's first parent, when that is surely the base branch
    (a merge commit, or one commit squashed or rebased); else the pull request's
    ``base.sha`` (a rebase of several commits: the first parent would be one of them).
    """
    if before and before != NO_COMMIT:
        return before
    merge = pull.merge_commit_sha
    if merge:
        parents = (await client.commit(merge)).parents
        if parents and (len(parents) > 1 or pull.commits <= 1):
            return parents[0]
    return pull.base_sha or None


async def rules_at(client: GitHubClient, path: str, sha: str | None) -> BaseRules:
    """The rules of the config at ``path`` on commit ``sha`` (the defaults if absent)."""
    found = await client.get_file(path, sha) if sha else None
    where = f"{path} at {sha[:12]}" if sha else path
    return base_rules(found.text if found is not None else None, where)


@dataclass(frozen=True)
class Approval:
    """Whether a merged pull request carries the approvals the rules in force ask for."""

    needed: int
    approvers: frozenset[str]
    ignored: dict[str, int]
    where: str = ""
    """The base config the rule comes from (``path at sha``; empty: the default)."""

    @property
    def enough(self) -> bool:
        """Whether the approvals are enough."""
        return len(self.approvers) >= self.needed

    def problem(self, number: int) -> str | None:
        """The sentence that says why not, or ``None``."""
        if self.enough:
            return None
        why = "".join(
            f"; {n} approval(s) {reason} do not count" for reason, n in self.ignored.items()
        )
        # Named by its config: one pull request may change several, each with its rule.
        rule = (
            f"safety.required_approvals: {self.needed} of {self.where}"
            if self.where
            else "the default rule of a config the base branch does not have"
        )
        return (
            f"#{number} has {len(self.approvers)} of the {self.needed} approving review(s) "
            f"the base branch's rules ask for ({rule}; from people other than its author, on "
            f"its last commit, before the merge){why}"
        )


async def approval(
    client: GitHubClient, pull: PullRequest, rules: BaseRules, *, bot: str
) -> Approval:
    """The approving reviews of ``pull`` that count, against the rules in force."""
    needed = rules.safety.required_approvals
    if needed <= 0:
        return Approval(0, frozenset(), {})
    reviews = await client.reviews(pull.number)
    return Approval(
        needed,
        frozenset(approvers(reviews, pull, bot=bot)),
        ignored(reviews, pull, bot=bot),
        rules.where,
    )


@dataclass(frozen=True)
class Guard:
    """A pull request's config held against the rules in force on its base branch."""

    rules: BaseRules
    changes: tuple[RuleChange, ...]
    untrusted: tuple[str, ...]
    """Endpoints the config names that no base branch vouches for: nothing may be read."""
    base_text: str | None
    """The base branch's config, as text (``None``: the config is new there)."""

    @property
    def section(self) -> str | None:
        """The plan comment's first section, when the pull request changes the rules."""
        return rules_section(self.changes, self.rules, untrusted=self.untrusted)

    def judged(self, loaded: LoadedConfig) -> LoadedConfig:
        """The config as the run must use it: the safety section and endpoints in force."""
        return replace(loaded, config=under_base_rules(loaded.config, self.rules))


def guard_of(
    loaded: LoadedConfig, text: str | None, where: str, *, local: bool | None = None
) -> Guard:
    """Hold ``loaded`` against the base config ``text`` (``None``: no base config);
    ``local``: the sandbox (local endpoints allowed; by default the local test mode)."""
    rules = base_rules(text, where, local=local)
    config = loaded.config
    return Guard(rules, rule_changes(rules, config), untrusted_endpoints(rules, config), text)


async def pull_base_text(
    client: GitHubClient, ctx: ActionsContext, path: str
) -> tuple[str | None, str]:
    """The file at ``path`` (the config, as the repository names it) on the base of the
    event's pull request, and where it was read.

    The base commit is the event's ``pull_request.base.sha``, else the pull request's.
    """
    sha = ctx.base_sha
    if sha is None:
        sha = (await client.pull(pull_number(ctx))).base_sha
    found = await client.get_file(path, sha) if sha else None
    return (found.text if found is not None else None), f"{path} at {sha[:12]}"

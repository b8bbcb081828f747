"""``sync`` when the base branch holds the plan already: apply it, or review it again.

The plan now may be the very plan a merged sync pull request put on the base branch.
What is due then depends on what became of that merge, as its pull request says
(:mod:`reconciler.github.answers`) and as its reviews count under the base branch's
rules (:mod:`reconciler.commands.rules`):

- its apply refused it (merged without its approvals, or unsafe), or it carries too
  few approvals and no apply answered it: the plan is proposed again, in a new sync
  pull request, for review; the old one is told why;
- it landed, and Ledgy went back since (a change by hand): the same changes are due
  again, and are proposed again for review, never re-applied as a resume;
- no merged sync pull request holds it (the file was committed by other means): it
  was never reviewed as a sync pull request, so it is proposed for review;
- otherwise (merged with its approvals, its apply cancelled or unfinished, or files
  prepared for an admin): the apply is due, not a review; no pull request is opened.

The file of a plan proposed again names the old pull request and why
(:data:`reconciler.engine.approval.AGAIN`), so that its bytes differ from the base
branch's and the pull request has a change to review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reconciler.commands.rules import approval, merge_base, rules_at
from reconciler.domain.json import Json
from reconciler.engine.approval import same_plan
from reconciler.github.answers import answers, status
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.render.backlog import BECAUSE, unapproved_merge

MOST_PULLS = 30
"""How many recently updated closed sync pull requests are searched for the merge."""


@dataclass(frozen=True)
class Standing:
    """What is due for a plan the base branch holds already.

    ``due``: the apply is due, and this says so (no new pull request); else the plan
    is proposed again after the pull request ``after`` (``None``: none holds it),
    ``because`` (a key of :data:`reconciler.render.backlog.BECAUSE`), ``why`` in words.
    """

    due: str | None = None
    after: int | None = None
    because: str = "unreviewed"
    why: str = ""

    @property
    def again(self) -> dict[str, object]:
        """The saved plan's :data:`~reconciler.engine.approval.AGAIN` entry."""
        return {"after": self.after, "because": self.because}


def holds_plan(on_base: str | None, text: str) -> bool:
    """Whether the saved plan file on the base branch holds the plan of ``text``."""
    return on_base is not None and same_plan(_load(on_base), _load(text))


async def standing(
    client: GitHubClient,
    ctx: ActionsContext,
    *,
    key: str,
    config: str,
    path: str,
    branch: str,
    base: str,
    checksum: str,
) -> Standing:
    """What is due for the plan ``checksum`` of config ``key`` (at ``config`` in the
    repository), which the saved plan file ``path`` on ``base`` holds already."""
    closed = await client.pulls(
        head=branch, base=base, state="closed", sort="updated", most=MOST_PULLS
    )
    merged = [p for p in closed if p.merged]
    if not merged:
        return Standing(why=BECAUSE["unreviewed"])
    newest = merged[0]
    number = newest.number
    held = await client.get_file(path, newest.merge_commit_sha or "")
    if held is None or _load(held.text).get("checksum") != checksum:
        return Standing(why=BECAUSE["unreviewed"])
    said = status(answers(await client.comments(number), key, bot=ctx.bot), checksum)
    if said == "landed":
        return Standing(after=number, because="applied", why=BECAUSE["applied"])
    if said == "refused":
        return Standing(after=number, because="refused", why=BECAUSE["refused"])
    if said == "answered":
        return Standing(
            due=f"{path} on {base} already holds this plan, merged in #{number}, "
            f"whose apply answered it (files prepared for an admin to upload, "
            f"or an older receipt): see #{number}"
        )
    full = await client.pull(number)
    rules = await rules_at(client, config, await merge_base(client, full))
    short = (await approval(client, full, rules, bot=ctx.bot)).problem(number)
    if short is not None:
        return Standing(after=number, because="refused", why=unapproved_merge(short))
    unfinished = "left writes undone" if said == "incomplete" else "did not run or did not finish"
    return Standing(
        due=f"{path} on {base} already holds this plan, merged with its approvals in "
        f"#{number}; its apply {unfinished}: re-run the apply workflow of that merge (the "
        "apply on the next merge also applies it)"
    )


def _load(text: str) -> Json:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

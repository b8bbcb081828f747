"""What an apply says about merges other than its own, and a plan proposed again. Pure.

An apply on merge also applies earlier approved merges whose own apply did not run or
did not finish; it says so on each of them, and on its own pull request. A sync pull
request may propose again a plan the base branch holds already; its body and the old
pull request say why.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.render.escape import md_code

NOT_RUN = (
    "The apply on this merge did not run (GitHub keeps one pending run per concurrency "
    "group and cancels the one before it when another merge queues) or did not finish"
)
BECAUSE = {
    "refused": "was refused by its apply (the note there says why): nothing of it was applied",
    "applied": "was applied, and Ledgy has gone back since (a change by hand): the same "
    "changes are due again",
    "unreviewed": "was put there by no merged sync pull request of this config, so it was "
    "never reviewed as one",
}


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(f"#{n}" for n in numbers)


def with_earlier(numbers: Sequence[int]) -> str:
    """The line of a merge's receipt that names the earlier merges it applied too."""
    return (
        f"With this plan, the approved changes of earlier merges whose own apply did not "
        f"run or did not finish: {_numbers(numbers)} (each has its receipt)."
    )


def applied_by(current: int, *, complete: bool) -> list[str]:
    """The lines of an earlier merge's receipt: why another run applied it."""
    lines = [
        f"{NOT_RUN}; the run of #{current}'s merge applied this plan's approved changes "
        "with its own (its approvals and rules checked as this merge's). These are the "
        "writes of its changes; an approved change not among them had landed already, "
        "or is no longer needed."
    ]
    if not complete:
        lines.append(
            f"Other writes of that run failed (see the receipt on #{current}); the next "
            "apply on merge finishes them."
        )
    return lines


def refused_earlier(key: str, current: int, why: str) -> str:
    """The note on an earlier merge that the run of ``current``'s merge could not apply."""
    return (
        f"⛔ **Not applied** for {md_code(key)}. {NOT_RUN}; the run of #{current}'s merge "
        f"looked for it and could not apply it: {why}. Nothing of this plan was "
        "applied, and no apply on merge tries it again; the next sync pull request proposes "
        "what is still pending, for review."
    )


def already_applied(key: str, checksum: str, writes: int) -> str:
    """The note of an apply on merge that found the approved plan landed already."""
    return (
        f"✅ **Already applied**: all {writes} approved writes of plan {md_code(checksum)} "
        f"for {md_code(key)} have landed; this run wrote nothing."
    )


def unapproved_merge(problem: str) -> str:
    """Why a merge that no apply answered is proposed again: its reviews fall short."""
    return f"lacked the approvals it needed ({problem}): nothing of it was applied"


def proposed_again(after: int | None, why: str) -> str:
    """The first line of a sync pull request that proposes again a plan the base branch
    holds already; ``why`` says what became of it (a :data:`BECAUSE` text)."""
    which = f"merged in #{after}" if after is not None else "on the base branch"
    return (
        f"🔁 **Proposed again for review.** The same plan, {which}, {why}. Merging this "
        "pull request with its approvals applies it."
    )


def proposed_again_note(key: str, number: int, why: str) -> str:
    """The note on the old pull request whose plan a new sync pull request proposes again."""
    return (
        f"🔁 **Proposed again in #{number}** for {md_code(key)}: the plan of this pull "
        f"request {why}. Review and merge #{number} to apply it."
    )

"""What an apply says about earlier merges it applied too, and about a plan proposed
again: the words each note carries."""

from __future__ import annotations

from reconciler.render.backlog import (
    BECAUSE,
    NOT_RUN,
    already_applied,
    applied_by,
    proposed_again,
    proposed_again_note,
    refused_earlier,
    unapproved_merge,
    with_earlier,
)


def test_a_receipt_names_the_earlier_merges_it_applied() -> None:
    assert with_earlier([3, 5]) == (
        "With this plan, the approved changes of earlier merges whose own apply did not run "
        "or did not finish: #3, #5 (each has its receipt)."
    )


def test_an_earlier_merge_is_told_which_run_applied_it_and_whether_all_landed() -> None:
    (complete,) = applied_by(9, complete=True)
    assert complete.startswith(f"{NOT_RUN}; the run of #9's merge applied this plan's")
    first, rest = applied_by(9, complete=False)
    assert first == complete
    assert rest == (
        "Other writes of that run failed (see the receipt on #9); the next apply on merge "
        "finishes them."
    )


def test_a_refused_earlier_merge_says_why_and_that_nothing_of_it_was_applied() -> None:
    note = refused_earlier("company.yaml", 9, "its plan file is gone")
    assert note.startswith("⛔ **Not applied** for `company.yaml`. ")
    assert "could not apply it: its plan file is gone. Nothing of this plan was applied" in note


def test_an_already_applied_plan_names_its_checksum_and_writes() -> None:
    assert already_applied("uk", "abc123", 4) == (
        "✅ **Already applied**: all 4 approved writes of plan `abc123` for `uk` have "
        "landed; this run wrote nothing."
    )


def test_a_plan_proposed_again_says_where_it_was_and_why() -> None:
    why = BECAUSE["refused"]
    assert proposed_again(12, why).startswith(
        f"🔁 **Proposed again for review.** The same plan, merged in #12, {why}. "
    )
    assert "The same plan, on the base branch, " in proposed_again(None, BECAUSE["applied"])
    assert proposed_again_note("uk", 14, why) == (
        f"🔁 **Proposed again in #14** for `uk`: the plan of this pull request {why}. "
        "Review and merge #14 to apply it."
    )
    assert unapproved_merge("1 approval of 2") == (
        "lacked the approvals it needed (1 approval of 2): nothing of it was applied"
    )

"""The bodies posted on GitHub, as a reviewer reads them: every sentence and table pinned."""

from __future__ import annotations

from dataclasses import replace

from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.approval import Approved, Verdict
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.effect import Effect, FieldEffect
from reconciler.engine.pending import Awaiting
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import Change, FieldChange, Skip
from reconciler.engine.what_changed import with_inputs
from reconciler.render.comment import (
    Revision,
    comparison,
    drift_issue,
    drift_resolved,
    footer,
    plan_comment,
    receipt,
    sync_closed,
    sync_pull_body,
)

KEY = "k.yaml"
RUN = "https://github.com/acme/people/actions/runs/1"
PRIVACY = "personal values are masked; the field names and the fact of a change are shown"
FOOTER = f"<sub>reconciler · [run]({RUN}) · {PRIVACY}</sub>"
BARE_FOOTER = f"<sub>reconciler · {PRIVACY}</sub>"
CHECKSUM = "hmac-sha256:" + "a" * 64


def _change(n: int, action: str = "update") -> Change:
    fields = (
        FieldChange("name", "Old", "New"),
        FieldChange("address.city", "Paris", "Leeds", personal=True),
    )
    return Change(action, f"p{n}@acme.test", f"P {n}", fields, f"sh_{n}")  # type: ignore[arg-type]


def _plan(*changes: Change, skipped: tuple[Skip, ...] = ()) -> Plan:
    return Plan(
        changes=changes,
        unchanged=4,
        skipped=skipped,
        warnings=(),
        orphaned=(),
        fingerprints=Fingerprints("s", "t", "c"),
        counts=Counts(3, 3, 3),
        key=SANDBOX_KEY,
    )


PLAN = _plan(_change(1), _change(2, "create"))
TABLES = (
    "### Create (1)\n\n"
    "| Identifier | Name | Group | Fields set |\n"
    "| --- | --- | --- | --- |\n"
    "| `p2@acme.test` | P 2 |  | 2 |\n\n"
    "### Update (1)\n\n"
    "| Identifier | Name | Field | Old | New |\n"
    "| --- | --- | --- | --- | --- |\n"
    "| `p1@acme.test` | P 1 | `name` | Old | New |\n"
    "|  |  | `address.city` | (masked) | (masked) |"
)
NO_REVISIONS = (
    "<details><summary>Plan revisions (0)</summary>\n\n"
    "| Time (UTC) | Commit | Checksum | Create | Update | Skipped |\n"
    "| --- | --- | --- | --- | --- | --- |\n\n"
    "</details>"
)


# -- the sticky plan comment --------------------------------------------------------------


def test_a_plan_comment_shows_verdict_effect_tables_revisions_and_footer() -> None:
    effect = Effect(
        enters=("p2@acme.test",),
        leaves=(("p7@acme.test", "sync_if"),),
        caused=(_change(2, "create"),),
        pending=(_change(1), _change(3), _change(4, "create")),
        base_checksum="sha256:" + "0" * 64,
    )
    revisions = [
        Revision("2026-11-25 10:00", "hmac-sha256:" + "12" * 32, 1, 2, 3, "abcdef1234"),
        Revision("2026-11-25 11:00", "sha256:" + "34" * 32, 0, 5, 0),
    ]
    body = plan_comment(PLAN, key=KEY, revisions=revisions, effect=effect, run_url=RUN, approvals=0)
    assert body == (
        "📋 **Plan for `k.yaml`: 1 to create, 1 to update, 4 unchanged, 0 skipped**\n\n"
        "**On merge:** the apply workflow applies exactly this plan "
        f"(checksum `{PLAN.checksum}`) if the HR and Ledgy data it was computed from are "
        "unchanged; otherwise it applies nothing and posts what changed. "
        "The approval check is off (`safety.required_approvals: 0`).\n\n"
        "### What this PR changes\n\n"
        "- **Enter the sync (1):** `p2@acme.test`\n"
        "- **Leave the sync (1):** `p7@acme.test (sync_if)`; they stay in Ledgy, never deleted, "
        "reported as orphaned\n\n"
        "<details open><summary>1 changes made by this PR</summary>\n\n"
        "| Identifier | Action | Fields |\n"
        "| --- | --- | --- |\n"
        "| `p2@acme.test` | create | `name`, `address.city` |\n\n"
        "</details>\n\n"
        "### Pending anyway (HR changes, not from this PR)\n\n"
        "3 change(s) the base branch's config would make too: 1 to create, 2 to update.\n\n"
        f"{TABLES}\n\n"
        "<details><summary>Plan revisions (2)</summary>\n\n"
        "| Time (UTC) | Commit | Checksum | Create | Update | Skipped |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 2026-11-25 10:00 | `abcdef1` | `121212121212` | 1 | 2 | 3 |\n"
        "| 2026-11-25 11:00 |  | `343434343434` | 0 | 5 | 0 |\n\n"
        "</details>\n\n"
        f"{FOOTER}\n"
    )


def test_a_revision_read_from_an_old_or_edited_state_shows_what_checksum_it_has() -> None:
    revisions = [Revision("09:00", "", 0, 0, 0), Revision("10:00", "0123456789abcdef", 1, 0, 0)]
    body = plan_comment(_plan(), key=KEY, revisions=revisions)
    assert "| 09:00 |  |  | 0 | 0 | 0 |\n| 10:00 |  | `0123456789ab` | 1 | 0 | 0 |\n" in body


def test_a_plan_without_changes_says_nothing_will_be_applied() -> None:
    assert plan_comment(_plan(), key=KEY) == (
        "✅ **No changes for `k.yaml`**: Ledgy is in step with CharlieHR.\n\n"
        "**0 to create, 0 to update, 4 unchanged, 0 skipped**\n\n"
        "**On merge:** nothing to apply.\n\n"
        f"{NO_REVISIONS}\n\n"
        f"{BARE_FOOTER}\n"
    )


def test_a_refused_plan_says_why_and_that_a_merge_applies_nothing() -> None:
    assert plan_comment(PLAN, key=KEY, refusal="too many <b>updates</b>") == (
        "⛔ **Unsafe plan for `k.yaml`**: too many &lt;b&gt;updates&lt;/b&gt;\n\n"
        "**1 to create, 1 to update, 4 unchanged, 0 skipped**\n\n"
        "**On merge:** nothing is applied. After review, a maintainer can apply it by running "
        "the apply workflow by hand with `force`.\n\n"
        f"{TABLES}\n\n"
        f"{NO_REVISIONS}\n\n"
        f"{BARE_FOOTER}\n"
    )


def test_the_approval_rule_names_how_many_reviews_a_merge_needs() -> None:
    one = "The pull request needs an approving review from someone other than its author"
    assert one in plan_comment(PLAN, key=KEY, approvals=1)
    assert one in plan_comment(PLAN, key=KEY)  # one review unless the config says otherwise
    two = plan_comment(PLAN, key=KEY, approvals=2)
    assert (
        "The pull request needs 2 approving reviews from someone other than its author (a "
        "bot's does not count), on its latest commit, before the merge; merged without that, "
        "nothing is applied.\n\n"
    ) in two


def test_the_effect_of_a_new_config_that_changes_nothing_but_pending_hr_data() -> None:
    effect = Effect((), (), (), (), None)
    body = plan_comment(_plan(), key=KEY, effect=effect)
    assert (
        "### What this PR changes\n\n"
        "This config is new in this PR: everything below is its effect.\n"
        "- Nothing: with the base branch's config the plan would be the same.\n\n"
        "### Pending anyway (HR changes, not from this PR)\n\n"
        "None.\n\n"
    ) in body


def test_long_lists_of_people_are_cut_at_25_and_many_caused_changes_fold() -> None:
    enters = tuple(f"e{n}@acme.test" for n in range(26))
    leaves = tuple((f"l{n}@acme.test", "terminated") for n in range(25))
    caused = tuple(_change(n) for n in range(11))
    body = plan_comment(_plan(), key=KEY, effect=Effect(enters, leaves, caused, (), "x"))
    listed = ", ".join(f"`e{n}@acme.test`" for n in range(25))
    assert f"- **Enter the sync (26):** {listed} and 1 more\n" in body
    left = ", ".join(f"`l{n}@acme.test (terminated)`" for n in range(25))
    assert f"- **Leave the sync (25):** {left}; they stay" in body
    assert "<details><summary>11 changes made by this PR</summary>" in body
    ten = plan_comment(_plan(), key=KEY, effect=Effect((), (), caused[:10], (), "x"))
    assert "<details open><summary>10 changes made by this PR</summary>" in ten
    assert "- Nothing" not in ten and "This config is new" not in ten
    entering = plan_comment(_plan(), key=KEY, effect=Effect(enters[:1], (), (), (), "x"))
    assert "- **Enter the sync (1):** `e0@acme.test`\n\n### Pending anyway" in entering


def test_a_plan_too_long_for_a_comment_points_to_the_job_summary() -> None:
    plan = _plan(*(_change(n) for n in range(40)))
    effect = Effect(("a",), (), plan.changes[:3], plan.changes, "x")
    body = plan_comment(plan, key=KEY, effect=effect, run_url=RUN, limit=3000)
    assert (
        "### What this PR changes\n\n"
        "1 enter the sync, 0 leave it, 3 changes come from this PR; 40 are pending HR changes.\n\n"
        "> The full plan (40 changes) is too long for a comment. It is in the job summary of "
        f"[this run]({RUN}), and in the plan artifact.\n\n"
        f"{NO_REVISIONS}\n\n{FOOTER}\n"
    ) in body
    assert "### Update" not in body and len(body) <= 3000
    bare = plan_comment(plan, key=KEY, limit=3000)
    assert "It is in the job summary of this run, and in the plan artifact." in bare
    assert "What this PR changes" not in bare


def _creates(count: int) -> tuple[Change, ...]:
    return tuple(
        Change(
            "create",
            f"p{n}@acme.test",
            f"P {n}",
            (FieldChange("custom_fields.Office", None, "HQ"),),
        )
        for n in range(count)
    )


def test_a_field_added_to_pending_creates_is_said_as_such_and_counted_as_pending() -> None:
    creates = _creates(50)
    office = FieldEffect(
        "custom_fields.Office", "adds", "create", tuple(c.identifier for c in creates)
    )
    effect = Effect((), (), (), creates, "x", reshaped=(office,))
    body = plan_comment(_plan(*creates), key=KEY, effect=effect)
    first = ", ".join(f"`p{n}@acme.test`" for n in range(25))
    assert (
        "### What this PR changes\n\n"
        f"- **Adds `custom_fields.Office` to 50 pending creates:** {first} and 25 more\n\n"
        "### Pending anyway (HR changes, not from this PR)\n\n"
        "50 change(s) the base branch's config would make too: 50 to create, 0 to update. "
        "This PR sets fields differently on 50 of them (above).\n\n"
    ) in body
    assert "made by this PR" not in body and "- Nothing" not in body
    short = plan_comment(_plan(*creates), key=KEY, effect=effect, limit=3000)
    assert (
        "0 changes come from this PR; 50 are pending HR changes; adds `custom_fields.Office` "
        "to 50 pending creates."
    ) in short


def test_each_kind_of_field_effect_and_what_the_pr_prevents_are_named() -> None:
    one = _change(1)
    effect = Effect(
        (),
        (),
        (),
        (one,),
        "x",
        reshaped=(
            FieldEffect("group", "changes", "update", ("p1@acme.test",)),
            FieldEffect("hris.team", "drops", "update", ("p1@acme.test",)),
        ),
        prevented=(_change(9),),
    )
    body = plan_comment(_plan(one), key=KEY, effect=effect)
    assert "- **Changes `group` in 1 pending update:** `p1@acme.test`\n" in body
    assert "- **Drops `hris.team` from 1 pending update:** `p1@acme.test`\n" in body
    assert "- **Prevents 1 change(s) the base branch's config would make:** `p9@acme.test`" in body


def test_a_plan_with_nothing_new_but_an_open_upload_is_never_in_step() -> None:
    waiting = Awaiting(
        "08f2ab12cd34",
        CHECKSUM,
        "2026-11-25T10:30Z",
        "ledgy-upload/08f2ab12cd34.tar.age",
        RUN,
        ("p1@acme.test", "p2@acme.test"),
        (("p3@acme.test", "sh_3", ("group",)),),
    )
    plan = replace(_plan(), pending=(waiting,))
    body = plan_comment(plan, key=KEY)
    assert "in step" not in body.replace("not in step yet", "")
    assert body.startswith(
        "⏳ **Nothing new for `k.yaml`**: No new changes, but Ledgy is not in step yet: 3 people "
        "await the upload of 1 prepared folder (below).\n\n"
        "**0 to create, 0 to update, 4 unchanged, 0 skipped** · 3 awaiting upload\n\n"
        "**On merge:** nothing to apply; nobody awaiting upload is prepared again.\n\n"
        "### Awaiting upload (3)\n\n"
    )
    assert (
        f"| `ledgy-upload/08f2ab12cd34.tar.age` (artifact of `{RUN}`) | `2026-11-25T10:30Z` | 2 | 1 |"
    ) in body
    assert "- `p3@acme.test` (update `sh_3`: `group`)" in body
    title, issue = drift_issue(KEY, plan, run_url=RUN)
    assert title == "HR drift: 0 to create, 0 to update, 3 awaiting upload for k.yaml"
    assert "### Awaiting upload (3)" in issue
    closed = sync_closed(KEY, run_url=RUN, awaiting=3)
    assert "Nothing new to sync" in closed and "in step" not in closed


# -- the receipt --------------------------------------------------------------------------

CREATED = WriteResult(
    Write("create", "p2@acme.test", {"name": "x"}), ok=True, stakeholder_id="sh_2"
)
UPDATED = WriteResult(Write("update", "p1@acme.test", {"name": "x"}, "sh_1"), True, "sh_1")
FAILED = WriteResult(
    Write("update", "p3@acme.test", {"name": "x"}, "sh_3"), False, "sh_3", "Ledgy said <b>502"
)
RESULT_HEAD = "| Identifier | Action | Stakeholder | Result |\n| --- | --- | --- | --- |\n"


def test_a_receipt_counts_what_was_written_and_folds_the_operations() -> None:
    assert receipt(KEY, CHECKSUM, [CREATED, UPDATED], run_url=RUN) == (
        f"🧾 **Applied** plan `{CHECKSUM}` for `k.yaml`: 1 created, 1 updated, 0 failed.\n\n"
        "<details><summary>2 operations</summary>\n\n"
        f"{RESULT_HEAD}"
        "| `p2@acme.test` | create | `sh_2` | ok |\n"
        "| `p1@acme.test` | update | `sh_1` | ok |\n\n"
        "</details>\n\n"
        f"{FOOTER}\n"
    )


def test_a_forced_resumed_receipt_with_a_failure_says_how_to_finish() -> None:
    body = receipt(
        KEY, CHECKSUM, [CREATED, FAILED], run_url=None, forced=True, verdict=Verdict("resume", 3, 2)
    )
    assert body == (
        f"⚠️ **Applied (forced)** plan `{CHECKSUM}` for `k.yaml`: 1 created, 0 updated, "
        "1 failed.\n\n"
        "resuming:\u2060 1 of 3 approved writes had landed; applying the other 2\n\n"
        "Failed writes did not land; running apply again finishes them without duplicating "
        "anyone.\n\n"
        "<details open><summary>2 operations</summary>\n\n"
        f"{RESULT_HEAD}"
        "| `p2@acme.test` | create | `sh_2` | ok |\n"
        "| `p3@acme.test` | update | `sh_3` | failed: Ledgy said &lt;b&gt;502 |\n\n"
        "</details>\n\n"
        f"{BARE_FOOTER}\n"
    )
    unknown = WriteResult(Write("create", None), ok=False)  # no identifier, id or error text
    assert "|  | create |  | failed:  |\n" in receipt(KEY, CHECKSUM, [unknown], run_url=None)
    exact = receipt(KEY, CHECKSUM, [CREATED], run_url=None, verdict=Verdict("exact", 1, 1))
    assert "applying the reviewed plan" not in exact  # only a resume is worth a sentence


def test_a_receipt_too_long_keeps_the_failed_rows_and_counts_the_rest() -> None:
    body = receipt(KEY, CHECKSUM, [CREATED] * 30 + [FAILED], run_url=None, limit=900)
    assert body.endswith(
        "anyone.\n\n"
        f"{RESULT_HEAD}"
        "| `p3@acme.test` | update | `sh_3` | failed: Ledgy said &lt;b&gt;502 |\n\n"
        "> 31 operations in all; every one is in the journal artifact of the run.\n\n"
        f"{BARE_FOOTER}\n"
    )
    assert ": 30 created, 0 updated, 1 failed." in body
    many = receipt(KEY, CHECKSUM, [FAILED] * 300, run_url=None, limit=18_000)
    assert many.count("| failed: ") == 200  # the note lists at most 200 failures
    assert "> 300 operations in all" in many
    quiet = receipt(KEY, CHECKSUM, [CREATED] * 30, run_url=None, limit=600)
    assert quiet.endswith(
        ": 30 created, 0 updated, 0 failed.\n\n"
        "> 30 operations in all; every one is in the journal artifact of the run.\n\n"
        f"{BARE_FOOTER}\n"
    )


# -- "not applied": the approved plan against the plan now --------------------------------

REMEDY = (
    "**To apply the plan as it is now:** review it (the sync pull request, the plan workflow "
    "on a PR, or `reconciler plan` locally) and merge or apply that one; a maintainer can also "
    "run the apply workflow by hand with `force`."
)


def _compared(approved: Approved, now: Plan, counts: tuple[str, ...]) -> str:
    rows = "".join(
        f"| {kind} | {was} | {count} |\n"
        for kind, was, count in zip(
            ("create", "update", "skipped", "orphaned"), counts[::2], counts[1::2], strict=True
        )
    )
    return (
        "|  | Approved | Now |\n"
        "| --- | --- | --- |\n"
        f"| checksum | `{approved.checksum[-64:][:12]}` | `{now.checksum[-64:][:12]}` |\n"
        f"{rows}"
    )


def test_not_applied_compares_counts_and_names_the_unapproved_changes() -> None:
    now = _plan(_change(1), _change(2, "create"), skipped=(Skip("tm_9", "p9@acme.test", "x", "y"),))
    approved = Approved(
        "hmac-sha256:" + "ab" * 32,
        "company.plan.json",
        {"create": 2, "update": 1, "skipped": 0},
        frozenset({now.digest_of(now.creates[0]), "f" * 16, "e" * 16}),
    )
    body = comparison(KEY, approved, now, run_url=RUN)
    assert body == (
        "⚠️ **Not applied**: the plan for `k.yaml` is no longer the one approved "
        "(company.plan.json). The HR data, the Ledgy data or the config changed since the "
        "review, so this run wrote nothing.\n\n"
        + _compared(approved, now, ("2", "1", "1", "1", "0", "1", "?", "0"))
        + "\n**Not approved, in the plan now (1):** `p1@acme.test` (update)\n\n"
        "**Approved, no longer in the plan (2):** they landed or are no longer needed.\n\n"
        f"{REMEDY}\n\n{FOOTER}\n"
    )


def test_not_applied_with_only_a_checksum_shows_unknown_counts_and_no_details() -> None:
    approved = Approved("hmac-sha256:" + "cd" * 32, "--checksum")
    body = comparison(KEY, approved, PLAN, run_url=None)
    assert body == (
        "⚠️ **Not applied**: the plan for `k.yaml` is no longer the one approved "
        "(\\--checksum). The HR data, the Ledgy data or the config changed since the "
        "review, so this run wrote nothing.\n\n"
        + _compared(approved, PLAN, ("?", "1", "?", "1", "?", "0", "?", "0"))
        + f"\n{REMEDY}\n\n{BARE_FOOTER}\n"
    )


def test_not_applied_names_the_input_that_changed_when_the_approval_knows() -> None:
    saved = {"inputs": {"source": "s", "target": "t", "config": "c0"}}
    approved = with_inputs(Approved("hmac-sha256:" + "cd" * 32, "company.plan.json"), saved)
    body = comparison(KEY, approved, PLAN, run_url=None)
    assert body.startswith(
        "⚠️ **Not applied**: the plan for `k.yaml` is no longer the one approved "
        "(company.plan.json). The config changed since the review (the HR and Ledgy data are "
        "as reviewed), so this run wrote nothing.\n\n"
    )


def test_not_applied_when_the_same_changes_carry_other_values() -> None:
    approved = Approved("hmac-sha256:" + "ef" * 32, "PR #1", {}, frozenset(PLAN.digests))
    body = comparison(KEY, approved, PLAN, run_url=None)
    assert ("\n\nThe same stakeholders and fields change, but with different values.\n\n") in body
    assert "Not approved, in the plan now" not in body and "no longer in the plan" not in body


def test_not_applied_lists_25_unapproved_changes_and_counts_the_rest() -> None:
    now = _plan(*(_change(n) for n in range(27)))
    approved = Approved("hmac-sha256:" + "ef" * 32, "x", {}, frozenset())
    body = comparison(KEY, approved, now, run_url=None)
    shown = ", ".join(f"`{c.identifier}` (update)" for c in now.changes[:25])
    assert f"**Not approved, in the plan now (27):** {shown} and 2 more\n\n" in body
    exactly = comparison(KEY, approved, _plan(*now.changes[:25]), run_url=None)
    assert "(update) and" not in exactly and "(25):**" in exactly
    assert "no longer in the plan" not in body  # nothing was approved, so nothing is gone


# -- the drift issue and the sync pull request ---------------------------------------------


def test_the_drift_issue_is_titled_with_its_counts_and_says_how_to_apply() -> None:
    title, body = drift_issue(KEY, PLAN, run_url=RUN, sync_url="https://x/pull/7")
    assert title == "HR drift: 1 to create, 1 to update for k.yaml"
    assert body == (
        "🔄 **HR data changed outside any pull request.** This plan for `k.yaml` is pending: "
        "**1 to create, 1 to update, 4 unchanged, 0 skipped**.\n\n"
        "Nothing is applied by this check. Review and merge the sync pull request, "
        "https://x/pull/7: merging it applies exactly the plan it shows.\n\n"
        f"{TABLES}\n\n"
        f"Plan checksum: `{PLAN.checksum}`\n\n"
        f"{FOOTER}\n"
    )


def test_the_drift_issue_without_a_sync_pull_request_and_too_long() -> None:
    plan = _plan(*(_change(n) for n in range(40)))
    _, body = drift_issue(KEY, plan, run_url=None, limit=1200)
    assert body.endswith(
        "Nothing is applied by this check. The sync workflow opens a pull request with this "
        "plan; merging it applies exactly the plan it shows.\n\n"
        "> The full plan is in the job summary of the run.\n\n"
        f"{BARE_FOOTER}\n"
    )
    _, linked = drift_issue(KEY, plan, run_url=RUN, limit=1200)
    assert f"> The full plan is in the job summary of {RUN}.\n\n" in linked


def test_closing_words_of_a_drift_issue_and_a_sync_pull_request() -> None:
    assert drift_resolved(KEY, run_url=RUN) == (
        f"✅ No drift: Ledgy is in step with CharlieHR for `k.yaml`.\n\n{FOOTER}\n"
    )
    assert sync_closed(KEY, run_url=RUN).endswith(f"closed and its branch deleted.\n\n{FOOTER}\n")
    assert sync_closed(KEY, run_url=None) == (
        "✅ Nothing to sync for `k.yaml`: Ledgy is in step with CharlieHR, so this pull "
        f"request is closed and its branch deleted.\n\n{BARE_FOOTER}\n"
    )
    assert footer(None) == BARE_FOOTER


SYNC_HEAD = "🔄 **HR changes for `k.yaml`: 1 to create, 1 to update, 4 unchanged, 0 skipped**"
SYNC_FILE = (
    "This pull request changes only `k.plan.json`, the saved plan (masked values, a keyed "
    "checksum, one keyed digest per change). **Merging it applies exactly this plan** "
    f"(checksum `{PLAN.checksum}`) to Ledgy. "
)
SYNC_KEPT = (
    "The scheduled sync keeps this pull request up to date: new HR changes replace the file "
    "(and so need a new review); when nothing is left to do, it is closed."
)


def test_the_sync_pull_request_says_what_merging_it_writes() -> None:
    body = sync_pull_body(PLAN, key=KEY, path="k.plan.json", approvals=1, run_url=RUN)
    assert body == (
        f"{SYNC_HEAD}\n\n"
        f"{SYNC_FILE}The pull request needs an approving review from someone other than its "
        "author (a bot's does not count), on its latest commit, before the merge; merged "
        "without that, nothing is applied.\n\n"
        f"{SYNC_KEPT}\n\n"
        f"{TABLES}\n\n"
        f"{FOOTER}\n"
    )


def test_an_unsafe_sync_pull_request_says_so_second_and_is_cut_when_long() -> None:
    body = sync_pull_body(
        PLAN, key=KEY, path="k.plan.json", approvals=0, refusal="too many <updates>."
    )
    assert body.startswith(
        f"{SYNC_HEAD}\n\n"
        "⛔ **Unsafe plan**: too many &lt;updates&gt;. Merged, it applies nothing.\n\n"
        f"{SYNC_FILE}The approval check is off (`safety.required_approvals: 0`).\n\n"
        f"{SYNC_KEPT}\n\n### Create (1)"
    )
    plan = _plan(*(_change(n) for n in range(40)))
    long = sync_pull_body(plan, key=KEY, path="k.plan.json", approvals=1, limit=2000)
    assert long.endswith(
        f"{SYNC_KEPT}\n\n"
        "> The full plan (40 changes) is in the job summary of the sync run.\n\n"
        f"{BARE_FOOTER}\n"
    )
    linked = sync_pull_body(plan, key=KEY, path="p", approvals=1, run_url=RUN, limit=2000)
    assert f"> The full plan (40 changes) is in the job summary of [this run]({RUN}).\n\n" in linked


def test_the_sticky_comment_shows_an_adoption_across_groups_as_its_own_high_risk_change() -> None:
    across = Change(
        "update",
        "fa@acme.test",
        "Fa",
        (FieldChange("identifier", None, "fa@acme.test"),),
        "sh_8",
        adopted=True,
        from_group="Advisors",
    )
    body = plan_comment(_plan(_change(1), across), key=KEY)
    head, _, rest = body.partition("### ⚠️ Adopted across groups (1): high risk")
    assert "· 1 adopted across groups (high risk)" in head
    assert rest.index("| `fa@acme.test` | Fa | `sh_8` | Advisors |") < rest.index("### Update (2)")


def test_a_no_break_space_in_a_name_is_visible_in_the_plan_comment() -> None:
    change = replace(_change(1), name="P\u00a01")
    body = plan_comment(_plan(change), key=KEY)
    assert "| `p1@acme.test` | P\\\\u00a01 | `name` |" in body and "\u00a0" not in body

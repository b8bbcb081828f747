"""The plan as Markdown: every table and fold, and where long lists stop or fold."""

from __future__ import annotations

from dataclasses import replace

from reconciler.engine.values import Change, FieldChange, Orphan, PlanWarning
from reconciler.render.markdown import CUT, fit, folded, render_markdown, table
from tests.render.plans import CREATE as CREATE_CHANGE
from tests.render.plans import EVERYTHING, WAITING, plan

CREATE_TABLE = (
    "### Create (1)\n\n"
    "| Identifier | Name | Group | Fields set |\n"
    "| --- | --- | --- | --- |\n"
    "| `ada@acme.test` | Ada Lovelace | Employees | 2 |\n\n"
)


def test_every_table_of_a_plan() -> None:
    assert render_markdown(EVERYTHING) == (
        "**1 to create, 3 to update, 2 unchanged, 2 skipped** · "
        "1 orphaned (never deleted), 2 warnings\n\n"
        f"{CREATE_TABLE}"
        "### Update (3)\n\n"
        "| Identifier | Name | Field | Old | New |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| `bo@acme.test` | Bo Li | `name` | Bo | Bo Li |\n"
        "|  |  | `pay_rate` | (masked) | (masked) |\n"
        "| `cy@acme.test` (adopted by name) | Cy | `identifier` | (empty) "
        "| cy\u2060@\u2060acme.test |\n"
        "| `di@acme.test` | Di | `team` | A | B |\n\n"
        "### Skipped (2)\n\n"
        "<details><summary>2 employees skipped</summary>\n\n"
        "| Who | Reason | Detail |\n"
        "| --- | --- | --- |\n"
        "| employee `tm_9` | `missing_identifier` | no work email |\n"
        "| `ed@acme.test` | `sync_if` | rule 0 |\n\n"
        "</details>\n\n"
        "### Warnings (2)\n\n"
        "**`approvals_off`:** every plan warns\n\n"
        "**`invalid_mobile`:** `bo@acme.test`: no code\n\n"
        "### Orphaned (1): reported, never deleted\n\n"
        "| Identifier | Stakeholder | Why |\n"
        "| --- | --- | --- |\n"
        "| `old@acme.test` | `sh_7` | left |\n\n"
        f"Plan checksum: `{EVERYTHING.checksum}`\n"
    )


def test_values_are_shown_only_when_asked() -> None:
    shown = render_markdown(EVERYTHING, show_values=True)
    assert "|  |  | `pay_rate` | 1 | 2 |\n" in shown
    assert "(masked)" not in shown
    assert CREATE_TABLE in shown  # the group was never masked


def test_a_plan_with_nothing_to_do_says_so_in_bold() -> None:
    nothing = plan()
    assert render_markdown(nothing) == (
        "**0 to create, 0 to update, 2 unchanged, 0 skipped**\n\n"
        "**No changes.** Ledgy is in step with CharlieHR for everything this config manages.\n\n"
        f"Plan checksum: `{nothing.checksum}`\n"
    )


def test_a_plan_with_an_open_upload_is_never_in_step_in_markdown() -> None:
    shown = render_markdown(replace(plan(), pending=(WAITING,)))
    assert shown.startswith(
        "**0 to create, 0 to update, 2 unchanged, 0 skipped** · 3 awaiting upload\n\n"
        "**No new changes, but Ledgy is not in step yet: 3 people await the upload of 1 "
        "prepared folder (below).**\n\n"
        "### Awaiting upload (3)\n\n"
    )
    assert "is in step" not in shown
    assert "- `cy@acme.test` (update `sh_17`: `group`)\n" in shown


def test_warnings_with_one_message_share_it_and_others_keep_theirs() -> None:
    warnings = (
        PlanWarning(None, "c", "same"),
        PlanWarning("a@x.test", "c", "same"),
        PlanWarning(None, "d", "one"),
        PlanWarning("b@x.test", "d", "two"),
    )
    assert (
        "### Warnings (4)\n\n"
        "**`c` (2):** same\n\n"
        "<details><summary>2 people</summary>\n\n"
        "(no identifier), `a@x.test`\n\n"
        "</details>\n\n"
        "**`d` (2):**\n\n"
        "<details><summary>2 people</summary>\n\n"
        "- (no identifier): one\n"
        "- `b@x.test`: two\n\n"
        "</details>\n\n"
    ) in render_markdown(plan(warnings=warnings))


def test_two_people_with_one_email_are_told_apart_by_their_charliehr_id() -> None:
    warnings = (
        PlanWarning("a@x.test", "c", "one", "tm_1"),
        PlanWarning("A@x.test", "c", "two", "tm_2"),
    )
    assert (
        "- `a@x.test` (CharlieHR `tm_1`): one\n- `A@x.test` (CharlieHR `tm_2`): two\n"
    ) in render_markdown(plan(warnings=warnings))


def _same(n: int, message: str | None = None) -> tuple[PlanWarning, ...]:
    return tuple(PlanWarning(f"p{i:03d}@x.test", "c", message or f"m{i}") for i in range(n))


def test_a_warning_fold_names_100_people_then_counts_the_rest() -> None:
    hundred = render_markdown(plan(warnings=_same(100, "same")))
    assert "`p099@x.test`\n\n</details>" in hundred and "more" not in hundred
    more = render_markdown(plan(warnings=_same(101, "same")))
    assert "`p099@x.test`\n… and 1 more; the plan JSON lists them all.\n\n</details>" in more
    assert "`p100@x.test`" not in more
    apart = render_markdown(plan(warnings=_same(101)))
    assert "- `p099@x.test`: m99\n… and 1 more; the plan JSON lists them all." in apart


def _orphans(n: int) -> tuple[Orphan, ...]:
    return tuple(Orphan(f"o{i:02d}@x.test", f"sh_{i}", "left") for i in range(n))


def test_a_table_of_more_than_10_rows_folds() -> None:
    ten = render_markdown(plan(orphaned=_orphans(10)))
    assert "### Orphaned (10): reported, never deleted\n\n| Identifier |" in ten
    eleven = render_markdown(plan(orphaned=_orphans(11)))
    assert (
        "### Orphaned (11): reported, never deleted\n\n"
        "<details><summary>11 orphaned stakeholders</summary>\n\n| Identifier |"
    ) in eleven
    updates = tuple(
        Change("update", f"u{i:02d}@x.test", "U", (FieldChange("team", "A", "B"),), f"sh_{i}")
        for i in range(11)
    )
    creates = tuple(
        Change("create", f"c{i:02d}@x.test", "C", (FieldChange("team", None, "B"),))
        for i in range(11)
    )
    both = render_markdown(plan(updates + creates))
    assert "<details><summary>11 field changes</summary>" in both
    assert "<details><summary>11 stakeholders to create</summary>" in both


def test_tables_and_folds_are_plain_gfm() -> None:
    assert table(["A", "B"], [["1", "2"]]) == "| A | B |\n| --- | --- |\n| 1 | 2 |"
    assert folded("s", "b") == "<details><summary>s</summary>\n\nb\n\n</details>"
    assert folded("s", "b", open_=True).startswith("<details open><summary>s</summary>")


def test_fit_keeps_every_part_that_fits_and_cuts_what_cannot() -> None:
    assert fit(["a"], ["b", "c"], 8, note="n") == "a\n\nb\n\nc\n"
    assert fit(["a"], ["b", "cc"], 8, note="n") == "a\n\nb\n\nn\n"
    assert fit(["a"], ["b", "c"], 7, note="n") == "a\n\nn\n"
    assert fit(["a"], ["bb", "c"], 7) == "a\n\nbb\n"  # no note: nothing stands in
    assert fit(["a" * 30], [], 10) == "a" * 10  # shorter than the cut line: only cut
    exact = "a" * (len(CUT) + 9)  # with its line break, exactly the limit: kept whole
    assert fit([exact], [], len(CUT) + 10) == exact + "\n"
    cut = fit(["a" * 200], [], len(CUT) + 5)
    assert cut == "a" * 5 + CUT
    assert len(fit(["a" * 200], [], len(CUT))) == len(CUT) and fit(["a" * 200], [], len(CUT)) == CUT


ACROSS = Change(
    "update",
    "fa@acme.test",
    "Fa",
    (
        FieldChange("group", "Advisors", "Employees"),
        FieldChange("identifier", None, "fa@acme.test"),
    ),
    "sh_8",
    adopted=True,
    from_group="Advisors",
)
PINNED = Change(
    "update", "gu@acme.test", "Gu", (FieldChange("team", "A", "B"),), "sh_9", pinned=True
)


def test_an_adoption_across_groups_has_its_own_high_risk_section_first() -> None:
    shown = render_markdown(plan((CREATE_CHANGE, ACROSS, PINNED)))
    assert shown.startswith(
        "**1 to create, 2 to update, 2 unchanged, 0 skipped** · "
        "1 adopted across groups (high risk)\n\n"
        "### ⚠️ Adopted across groups (1): high risk\n\n"
        "Each stakeholder below has no identifier and an employee's name, in a group this "
        "config does not manage: it is taken over (identifier, fields, group), grants and "
        "all. Apply refuses this plan without `--force`; check each is the same person, or "
        "pin the right match in `stakeholders.matches`.\n\n"
        "| Identifier | Name | Stakeholder | From group |\n"
        "| --- | --- | --- | --- |\n"
        "| `fa@acme.test` | Fa | `sh_8` | Advisors |\n\n"
        "### Create (1)"
    )
    assert "| `fa@acme.test` (adopted by name from Advisors: high risk) | Fa | `group` |" in shown
    assert "| `gu@acme.test` (pinned match) | Gu | `team` | A | B |" in shown


def test_a_no_break_space_in_a_name_is_visible_in_every_table() -> None:
    field = FieldChange("team", "A", "B")
    change = Change("update", "ada@acme.test", "Ada\u00a0Lovelace", (field,), "sh_1")
    created = replace(change, action="create", stakeholder_id=None)
    text = render_markdown(plan((created, change)))
    assert "| `ada@acme.test` | Ada\\\\u00a0Lovelace |  | 1 |" in text
    assert "| `ada@acme.test` | Ada\\\\u00a0Lovelace | `team` | A | B |" in text
    assert "\u00a0" not in text

"""The plan on a terminal: every line, the colours, and where long lists stop."""

from __future__ import annotations

from dataclasses import replace

from reconciler.engine.values import Change, FieldChange, PlanWarning, Skip
from reconciler.render.text import render_text
from tests.render.plans import EVERYTHING, WAITING, plan


def test_every_kind_of_line_of_a_plan() -> None:
    assert render_text(EVERYTHING) == (
        "Plan: 1 to create, 3 to update, 2 unchanged, 2 skipped; "
        "1 orphaned (never deleted), 2 warnings\n"
        "+ create ada@acme.test (Ada Lovelace) into Employees, 2 fields\n"
        "~ update bo@acme.test (Bo Li) [sh_2]\n"
        "    name: Bo -> Bo Li\n"
        "    pay_rate: (masked) -> (masked)\n"
        "~ update cy@acme.test (Cy) [sh_3] (adopted by name)\n"
        "    identifier: (empty) -> cy@acme.test\n"
        "~ update di@acme.test (Di)\n"
        "    team: A -> B\n"
        "skipped (2):\n"
        "  - tm_9: missing_identifier (no work email)\n"
        "  - ed@acme.test: sync_if (rule 0)\n"
        "warnings (2):\n"
        "  ! approvals_off: every plan warns\n"
        "  ! invalid_mobile: bo@acme.test: no code\n"
        "orphaned (never deleted) (1):\n"
        "  ? old@acme.test (sh_7): left\n"
        f"checksum {EVERYTHING.checksum}\n"
    )


def test_colours_and_values_when_asked() -> None:
    text = render_text(EVERYTHING, color=True, show_values=True)
    assert text.split("\n")[:9] == [
        "\x1b[1mPlan: 1 to create, 3 to update, 2 unchanged, 2 skipped; "
        "1 orphaned (never deleted), 2 warnings\x1b[0m",
        "\x1b[32m+ create ada@acme.test (Ada Lovelace) into Employees, 2 fields\x1b[0m",
        "    group: Employees",
        "    address.city: London",
        "\x1b[33m~ update bo@acme.test (Bo Li) [sh_2]\x1b[0m",
        "    name: Bo -> Bo Li",
        "    pay_rate: 1 -> 2",
        "\x1b[33m~ update cy@acme.test (Cy) [sh_3] (adopted by name)\x1b[0m",
        "    identifier: (empty) -> cy@acme.test",
    ]
    assert "  \x1b[2m-\x1b[0m tm_9: missing_identifier (no work email)\n" in text
    assert "  \x1b[35m!\x1b[0m approvals_off: every plan warns\n" in text
    assert "  \x1b[31m?\x1b[0m old@acme.test (sh_7): left\n" in text


def test_a_plan_with_nothing_to_do_says_so() -> None:
    nothing = plan()
    assert render_text(nothing) == (
        "Plan: 0 to create, 0 to update, 2 unchanged, 0 skipped\n"
        "No changes. Ledgy is in step with CharlieHR for everything this config manages.\n"
        f"checksum {nothing.checksum}\n"
    )
    one = render_text(plan(warnings=(PlanWarning(None, "approvals_off", "off"),)))
    assert one.startswith("Plan: 0 to create, 0 to update, 2 unchanged, 0 skipped; 1 warning\n")


def _skips(n: int) -> tuple[Skip, ...]:
    return tuple(Skip(f"tm_{i}", f"p{i:02d}@acme.test", "sync_if", "rule 0") for i in range(n))


def test_a_list_shows_25_people_then_counts_the_rest() -> None:
    full = render_text(plan(skipped=_skips(25)))
    assert "  - p24@acme.test: sync_if (rule 0)\n" in full and "more" not in full
    longer = render_text(plan(skipped=_skips(26))).split("\n")
    assert longer[longer.index("skipped (26):") + 25 :][:2] == [
        "  - p24@acme.test: sync_if (rule 0)",
        "  … and 1 more (--format json lists them all)",
    ]


def _same(n: int) -> tuple[PlanWarning, ...]:
    return tuple(PlanWarning(f"p{i:02d}@acme.test", "invalid_mobile", "no code") for i in range(n))


def test_a_warning_code_lists_10_people_then_counts_the_rest() -> None:
    ten = render_text(plan(warnings=_same(10)))
    assert "  ! invalid_mobile (10): no code\n" in ten
    assert "      p09@acme.test\ncheck" in ten
    eleven = render_text(plan(warnings=_same(11)))
    assert "      p09@acme.test\n      … and 1 more (--format json lists them all)\n" in eleven


def test_a_create_without_a_group_does_not_name_one() -> None:
    create = Change("create", "ada@acme.test", "Ada", (FieldChange("name", None, "Ada"),))
    assert "\n+ create ada@acme.test (Ada), 1 fields\n" in render_text(plan((create,)))


def test_namesakes_in_a_warning_group_are_told_apart_by_their_charliehr_id() -> None:
    warnings = (
        PlanWarning("a@x.test", "c", "one", "tm_1"),
        PlanWarning("A@x.test", "c", "two", "tm_2"),
    )
    assert (
        "  ! c (2):\n      a@x.test (CharlieHR tm_1): one\n      A@x.test (CharlieHR tm_2): two\n"
    ) in render_text(plan(warnings=warnings))


def test_an_adoption_across_groups_is_listed_first_and_marked_high_risk() -> None:
    across = Change(
        "update",
        "fa@acme.test",
        "Fa",
        (FieldChange("identifier", None, "fa@acme.test"),),
        "sh_8",
        adopted=True,
        from_group="Advisors",
    )
    pinned = Change(
        "update", "gu@acme.test", "Gu", (FieldChange("team", "A", "B"),), "sh_9", pinned=True
    )
    assert render_text(plan((across, pinned))).splitlines()[:6] == [
        "Plan: 0 to create, 2 to update, 2 unchanged, 0 skipped; 1 adopted across groups (high risk)",
        "adopted across groups, high risk (apply refuses without --force) (1):",
        "  ! fa@acme.test takes over sh_8 from group Advisors",
        "~ update fa@acme.test (Fa) [sh_8] (adopted by name from group Advisors: HIGH RISK)",
        "    identifier: (empty) -> fa@acme.test",
        "~ update gu@acme.test (Gu) [sh_9] (pinned match)",
    ]


def test_a_plan_with_an_open_upload_is_never_in_step_and_names_the_folder() -> None:
    waiting = replace(plan(), pending=(WAITING,))
    assert render_text(waiting) == (
        "Plan: 0 to create, 0 to update, 2 unchanged, 0 skipped; 3 awaiting upload\n"
        "No new changes, but Ledgy is not in step yet: 3 people await the upload of 1 "
        "prepared folder (below).\n"
        "awaiting upload (3 people, prepared and never prepared again):\n"
        "  ⧗ ledgy-upload/08f2ab12cd34.tar.age (prepared 2026-11-25T10:30Z, artifact of "
        "https://github.com/acme/people/actions/runs/4242): 2 to create, 1 to update\n"
        "      ada@acme.test (create)\n"
        "      bo@acme.test (create)\n"
        "      cy@acme.test (update sh_17: group)\n"
        "  to do: upload each folder in Ledgy (oldest first), then download the refreshed "
        "export and run `reconciler ledgy-state update EXPORT.xlsx --config CONFIG`\n"
        f"checksum {waiting.checksum}\n"
    )
    with_changes = render_text(replace(plan((EVERYTHING.changes[0],)), pending=(WAITING,)))
    assert "in step" not in with_changes and "awaiting upload (3 people" in with_changes


def test_a_name_change_of_only_a_no_break_space_is_visible_in_the_plan() -> None:
    field = FieldChange("name", "Ada Lovelace", "Ada\u00a0Lovelace")
    change = Change("update", "ada@acme.test", "Ada\u00a0Lovelace", (field,), "sh_1")
    assert "    name: Ada Lovelace -> Ada\\u00a0Lovelace\n" in render_text(plan((change,)))


def test_a_no_break_space_in_a_name_is_visible_in_the_change_header() -> None:
    field = FieldChange("team", "A", "B")
    change = Change("update", "ada@acme.test", "Ada\u00a0Lovelace", (field,), "sh_1")
    created = replace(change, action="create", stakeholder_id=None)
    text = render_text(plan((created, change)))
    assert "~ update ada@acme.test (Ada\\u00a0Lovelace) [sh_1]\n" in text
    assert "+ create ada@acme.test (Ada\\u00a0Lovelace), 1 fields\n" in text

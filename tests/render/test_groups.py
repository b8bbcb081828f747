"""Repeated warnings read as one finding; two people with one email read as two."""

from __future__ import annotations

from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import PlanWarning, Skip
from reconciler.render.comment import plan_comment
from reconciler.render.groups import group_warnings, shared_identifiers
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from tests.render.structure import shape

NO_CODE = "the mobile number has no country code; mobile_phone is left unsynced"


def _plan(warnings: list[PlanWarning], skipped: list[Skip] | None = None) -> Plan:
    return Plan((), 0, tuple(skipped or ()), tuple(warnings), (), Fingerprints("s", "t", "c"),
                Counts(40, 40, 40), key=SANDBOX_KEY)  # fmt: skip


def _mobiles(n: int) -> list[PlanWarning]:
    return [
        PlanWarning(f"person{i:02d}@acme.test", "invalid_mobile", NO_CODE, f"tm_{i:04d}")
        for i in range(n)
    ]


def _others() -> list[PlanWarning]:
    return [
        PlanWarning("a@acme.test", "unknown_group", "group 'Alumnii' does not exist", "tm_a"),
        PlanWarning("b@acme.test", "unknown_group", "group 'Alumni2' does not exist", "tm_b"),
        PlanWarning("c@acme.test", "unknown_country", "the country is unknown", "tm_c"),
    ]


def test_36_identical_warnings_are_one_text_line_with_a_count_and_a_capped_list() -> None:
    text = render_text(_plan(_mobiles(36) + _others()))
    lines = text.splitlines()
    assert f"  ! invalid_mobile (36): {NO_CODE}" in lines
    assert sum(NO_CODE in line for line in lines) == 1
    listed = [line for line in lines if line.startswith("      person")]
    assert len(listed) == 10
    assert "      … and 26 more (--format json lists them all)" in lines
    assert "warnings (39):" in lines


def test_warnings_of_one_code_with_different_messages_keep_each_message() -> None:
    lines = render_text(_plan(_others())).splitlines()
    assert "  ! unknown_group (2):" in lines
    assert "      a@acme.test: group 'Alumnii' does not exist" in lines
    assert "  ! unknown_country: c@acme.test: the country is unknown" in lines


def test_36_identical_warnings_are_one_markdown_line_and_a_fold() -> None:
    markdown = render_markdown(_plan(_mobiles(36) + _others()))
    assert markdown.count("no country code") == 1
    assert "**`invalid_mobile` (36):** the mobile number has no country code;" in markdown
    assert "<details><summary>36 people</summary>" in markdown
    assert all(f"`person{i:02d}@acme.test`" in markdown for i in range(36))
    assert "**`unknown_group` (2):**" in markdown
    assert "- `a@acme.test`: group 'Alumnii' does not exist" in markdown


def test_the_comment_groups_warnings_too() -> None:
    comment = plan_comment(_plan(_mobiles(36)), key="company.yaml")
    assert comment.count("no country code") == 1
    assert "Warnings (36)" in shape(comment).headings


def test_more_than_100_people_under_one_code_are_cut_in_markdown() -> None:
    markdown = render_markdown(_plan(_mobiles(130)))
    assert "… and 30 more; the plan JSON lists them all." in markdown
    assert markdown.count("@acme.test`") == 100


def test_two_employees_sharing_an_email_are_told_apart_by_their_charliehr_ids() -> None:
    skipped = [
        Skip(
            "tm_0001", "ada@acme.test", "duplicate_identifier", "2 employees share this work email"
        ),
        Skip(
            "tm_0002", "Ada@acme.test", "duplicate_identifier", "2 employees share this work email"
        ),
        Skip("tm_0003", "bob@acme.test", "sync_if", "sync_if[0]: country is not one of GB"),
    ]
    plan = _plan([], skipped)
    text = render_text(plan)
    assert "ada@acme.test (CharlieHR tm_0001): duplicate_identifier" in text
    assert "Ada@acme.test (CharlieHR tm_0002): duplicate_identifier" in text
    assert "  - bob@acme.test: sync_if" in text  # an unshared email stays short
    for rendered in (render_markdown(plan), plan_comment(plan, key="k")):
        assert "`ada@acme.test` (CharlieHR `tm_0001`)" in rendered
        assert "`Ada@acme.test` (CharlieHR `tm_0002`)" in rendered
        assert "| `bob@acme.test` |" in rendered


def test_one_employee_with_two_warnings_is_not_a_shared_email() -> None:
    twice = [
        PlanWarning("ada@acme.test", "invalid_mobile", NO_CODE, "tm_0001"),
        PlanWarning("ada@acme.test", "adopted_by_name", "adopted", "tm_0001"),
    ]
    assert shared_identifiers((w.identifier, w.employee_id) for w in twice) == frozenset()
    assert "(CharlieHR" not in render_text(_plan(twice))


def test_groups_come_largest_first() -> None:
    groups = group_warnings(_others() + _mobiles(3))
    assert [(g.code, g.count) for g in groups] == [
        ("invalid_mobile", 3),
        ("unknown_group", 2),
        ("unknown_country", 1),
    ]
    assert groups[0].message == NO_CODE and groups[1].message is None

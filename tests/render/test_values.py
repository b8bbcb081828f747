"""How values and counts read: empty, masked, whitespace folded, plurals."""

from __future__ import annotations

from datetime import date

from reconciler.engine.values import FieldChange, Orphan, PlanWarning
from reconciler.render.values import extras_line, name_text, old_new, summary_line, value_text
from tests.render.plans import EVERYTHING, plan


def test_a_value_reads_empty_masked_or_on_one_line() -> None:
    assert value_text(None, hide=False) == "(empty)"
    assert value_text("", hide=True) == "(empty)"  # an absent value is no secret
    assert value_text("Leeds", hide=True) == "(masked)"
    assert value_text("  12 Long\n  Lane\t", hide=False) == "12 Long Lane"
    assert value_text(date(2020, 1, 2), hide=False) == "2020-01-02"


def test_old_and_new_are_masked_by_the_change_unless_values_are_asked_for() -> None:
    personal = FieldChange("address.city", "Paris", None, personal=True)
    assert old_new(personal, show_values=False) == ("(masked)", "(empty)")
    assert old_new(personal, show_values=True) == ("Paris", "(empty)")
    assert old_new(FieldChange("team", "A", "B"), show_values=False) == ("A", "B")


def test_counts_and_extras() -> None:
    assert summary_line(EVERYTHING) == "1 to create, 3 to update, 2 unchanged, 2 skipped"
    assert extras_line(EVERYTHING) == "1 orphaned (never deleted), 2 warnings"
    one = plan(warnings=(PlanWarning(None, "c", "m"),))
    assert extras_line(one) == "1 warning"
    assert extras_line(plan(orphaned=(Orphan("a", "b", "c"),))) == "1 orphaned (never deleted)"
    assert extras_line(plan()) == ""


def test_a_name_that_differs_only_by_a_no_break_space_shows_it() -> None:
    change = FieldChange("name", "Ada Lovelace", "Ada\u00a0Lovelace")
    assert old_new(change, show_values=False) == ("Ada Lovelace", "Ada\\u00a0Lovelace")


def test_values_that_read_differently_are_shown_as_they_are() -> None:
    assert old_new(FieldChange("name", "Bo", "Bo  Li"), show_values=False) == ("Bo", "Bo Li")
    masked = FieldChange("address.line1", "1\u00a0Road", "1 Road", personal=True)
    assert old_new(masked, show_values=False) == ("(masked)", "(masked)")


def test_a_name_shows_the_characters_that_read_as_a_space_or_as_nothing() -> None:
    assert name_text("Ada\u00a0Lovelace") == "Ada\\u00a0Lovelace"
    assert name_text("Ada\u200bLovelace") == "Ada\\u200bLovelace"
    assert name_text("Ada Lovelace") == "Ada Lovelace"
    assert name_text("Зоя Ёлкина") == "Зоя Ёлкина"  # letters, though some look Latin

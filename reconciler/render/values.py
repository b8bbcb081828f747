"""How values and counts read in every human output (text, Markdown). Pure."""

from __future__ import annotations

from reconciler.domain.stakeholder import Value, as_text
from reconciler.engine.plan import MASK, Plan
from reconciler.engine.values import FieldChange

EMPTY = "(empty)"


def summary_line(plan: Plan) -> str:
    """``N to create, N to update, N unchanged, N skipped``."""
    counts = plan.summary()
    return (
        f"{counts['create']} to create, {counts['update']} to update, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} skipped"
    )


def extras_line(plan: Plan) -> str:
    """People awaiting a prepared upload, orphans and warnings, when there are any."""
    parts = [f"{plan.awaiting_upload} awaiting upload"] if plan.pending else []
    if plan.orphaned:
        parts.append(f"{len(plan.orphaned)} orphaned (never deleted)")
    if plan.warnings:
        parts.append(f"{len(plan.warnings)} warning{'s' if len(plan.warnings) != 1 else ''}")
    return ", ".join(parts)


def value_text(value: Value, *, hide: bool) -> str:
    """A value for people: masked when personal, ``(empty)`` when absent."""
    if value is None or value == "":
        return EMPTY
    if hide:
        return MASK
    return " ".join((as_text(value) or "").split())


def old_new(change: FieldChange, *, show_values: bool) -> tuple[str, str]:
    """The old and new value of a field change, masked as the field requires."""
    hide = change.personal and not show_values
    return value_text(change.old, hide=hide), value_text(change.new, hide=hide)

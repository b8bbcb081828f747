"""How values and counts read in every human output (text, Markdown). Pure."""

from __future__ import annotations

from reconciler.domain.identity import visible_identifier, visible_text
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
    """Adoptions across groups, conflicts, people awaiting a prepared upload, orphans and
    warnings, when there are any."""
    parts = []
    across = sum(1 for c in plan.updates if c.from_group is not None)
    if across:
        parts.append(f"{across} adopted across groups (high risk)")
    if plan.conflicts:
        many = "s" if len(plan.conflicts) != 1 else ""
        parts.append(f"{len(plan.conflicts)} conflict{many} (edited in Ledgy)")
    if plan.pending:
        parts.append(f"{plan.awaiting_upload} awaiting upload")
    if plan.orphaned:
        parts.append(f"{len(plan.orphaned)} orphaned (never deleted)")
    if plan.warnings:
        parts.append(f"{len(plan.warnings)} warning{'s' if len(plan.warnings) != 1 else ''}")
    return ", ".join(parts)


def name_text(name: str) -> str:
    """A stakeholder's name as shown beside its identifier: a no-break space or another
    character that reads as a space or as nothing is spelled out, as :func:`value_pair`
    does for values, or two names that differ would read the same."""
    return visible_text(name)


def value_text(value: Value, *, hide: bool) -> str:
    """A value for people: masked when personal, ``(empty)`` when absent."""
    if value is None or value == "":
        return EMPTY
    if hide:
        return MASK
    return " ".join((as_text(value) or "").split())


CONFLICT_MARK = "conflict: edited in Ledgy"
REMOVED_MARK = "clear: no longer synced"
OUTCOMES = {
    "hr_wins": "HR's value is planned over the edit",
    "ledgy_wins": "Ledgy's value is kept",
    "review": "held out of the plan for review",
}
"""What the plan does with a conflict, by policy, in words."""
CONFLICTS_SAID = (
    "Ledgy's value differs from the value last applied and from HR's: someone changed "
    "it in Ledgy. Each field's policy (stakeholders.conflicts) decides."
)


def field_mark(change: FieldChange) -> str:
    """What sets a field change apart: a conflict, or a clear of a field no longer synced."""
    if change.conflict:
        return CONFLICT_MARK
    if change.removed:
        return REMOVED_MARK
    return ""


def old_new(change: FieldChange, *, show_values: bool) -> tuple[str, str]:
    """The old and new value of a field change, masked as the field requires."""
    return value_pair(change.old, change.new, hide=change.personal and not show_values)


def value_pair(old: Value, new: Value, *, hide: bool) -> tuple[str, str]:
    """Two values that differ, for people; when they would read the same (a no-break
    space in a name), the characters that read as a space or as nothing are spelled
    out, as in identifiers, or the difference would read as none."""
    shown = value_text(old, hide=hide), value_text(new, hide=hide)
    if shown[0] == shown[1] and not hide and isinstance(old, str) and isinstance(new, str):
        return visible_identifier(old), visible_identifier(new)
    return shown

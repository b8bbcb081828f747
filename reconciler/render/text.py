"""The plan for a terminal: one line per change, colour only when asked. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.engine.plan import Plan
from reconciler.engine.values import Change, Conflict, PlanWarning
from reconciler.render.escape import term
from reconciler.render.groups import group_warnings, shared_identifiers, who
from reconciler.render.pending import not_in_step, text_section
from reconciler.render.values import (
    CONFLICTS_SAID,
    OUTCOMES,
    extras_line,
    field_mark,
    name_text,
    old_new,
    summary_line,
    value_pair,
)

LIST_LIMIT = 25
GROUP_LIMIT = 10
"""People listed under one warning code before "… and N more"."""
_COLOURS = {"create": "32", "update": "33", "warn": "35", "orphan": "31", "dim": "2", "bold": "1"}


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, kind: str, text: str) -> str:
        return f"\x1b[{_COLOURS[kind]}m{text}\x1b[0m" if self.color else text


def render_text(plan: Plan, *, color: bool = False, show_values: bool = False) -> str:
    """The whole plan as terminal text."""
    paint = _Painter(color)
    extras = extras_line(plan)
    lines = [paint("bold", f"Plan: {summary_line(plan)}" + (f"; {extras}" if extras else ""))]
    lines += _conflicts(plan.conflicts, paint("warn", "!"), show_values)
    if plan.in_step and plan.conflicts:
        lines.append("No changes to apply: the conflicts above are kept or held by their policy.")
    elif plan.in_step:
        lines.append(
            "No changes. Ledgy is in step with CharlieHR for everything this config manages."
        )
    elif not plan.has_changes:
        lines.append(not_in_step(plan))
    lines += _section(
        "adopted across groups, high risk (apply refuses without --force)",
        [
            f"{term(c.identifier)} takes over {term(c.stakeholder_id or '')} from group "
            f"{term(c.from_group)}"
            for c in plan.updates
            if c.from_group is not None
        ],
        paint("orphan", "!"),
    )
    for change in plan.changes:
        lines += _change(change, paint, show_values)
    lines += text_section(plan.pending)
    shared = shared_identifiers((s.identifier, s.employee_id) for s in plan.skipped)
    lines += _section(
        "skipped",
        [
            f"{_who(s.identifier, s.employee_id, shared)}: {s.reason} ({term(s.detail)})"
            for s in plan.skipped
        ],
        paint("dim", "-"),
    )
    lines += _warnings(plan.warnings, paint("warn", "!"))
    lines += _section(
        "orphaned (never deleted)",
        [
            f"{term(o.identifier)} ({term(o.stakeholder_id)}): {term(o.reason)}"
            for o in plan.orphaned
        ],
        paint("orphan", "?"),
    )
    lines.append(f"checksum {plan.checksum}")
    return "\n".join(lines) + "\n"


def _change(change: Change, paint: _Painter, show_values: bool) -> list[str]:
    if change.action == "create":
        group = next((f.new for f in change.fields if f.field == "group"), None)
        count = len(change.fields)
        who = f"{term(change.identifier)} ({term(name_text(change.name))})"
        into = f" into {term(str(group))}" if group is not None else ""
        head = f"+ create {who}{into}, {count} fields"
        lines = [paint("create", head)]
        if show_values:
            lines += [
                f"    {term(f.field)}: {term(old_new(f, show_values=True)[1])}"
                for f in change.fields
            ]
        return lines
    where = f" [{term(change.stakeholder_id)}]" if change.stakeholder_id else ""
    who = f"{term(change.identifier)} ({term(name_text(change.name))})"
    lines = [paint("update", f"~ update {who}{where}{_marker(change)}")]
    for field in change.fields:
        old, new = old_new(field, show_values=show_values)
        mark = field_mark(field)
        after = f"  [{mark}]" if mark else ""
        lines.append(f"    {term(field.field)}: {term(old)} -> {term(new)}{after}")
    return lines


def _conflicts(conflicts: Sequence[Conflict], mark: str, show_values: bool) -> list[str]:
    """Values edited in Ledgy, before every change: they undo or keep someone's edit."""
    if not conflicts:
        return []
    lines = [f"conflicts ({len(conflicts)}): {CONFLICTS_SAID}"]
    for c in conflicts[:LIST_LIMIT]:
        hide = c.personal and not show_values
        ledgy, hr = value_pair(c.ledgy, c.hr, hide=hide)
        lines.append(
            f"  {mark} {term(c.identifier)} ({term(name_text(c.name))}) {term(c.field)}: Ledgy "
            f"{term(ledgy)}, HR {term(hr)}; {c.policy}: {OUTCOMES[c.policy]}"
        )
    if len(conflicts) > LIST_LIMIT:
        lines.append(f"  … and {len(conflicts) - LIST_LIMIT} more (--format json lists them all)")
    return lines


def _marker(change: Change) -> str:
    """How an update matched, when not by identifier."""
    if change.from_group is not None:
        return f" (adopted by name from group {term(change.from_group)}: HIGH RISK)"
    if change.adopted:
        return " (adopted by name)"
    if change.pinned:
        return " (pinned match)"
    return ""


def _who(identifier: str | None, employee_id: str | None, shared: frozenset[str]) -> str:
    return who(identifier, employee_id, shared, term) if identifier else term(employee_id or "")


def _warnings(warnings: Sequence[PlanWarning], mark: str) -> list[str]:
    """One line per warning code with its count; the people it concerns indented below."""
    if not warnings:
        return []
    shared = shared_identifiers((w.identifier, w.employee_id) for w in warnings)
    lines = [f"warnings ({len(warnings)}):"]
    for group in group_warnings(warnings):
        items = [
            _who(w.identifier, w.employee_id, shared)
            + ("" if group.message is not None else f": {term(w.message)}")
            for w in group.warnings
        ]
        if group.count == 1:
            who = f"{items[0]}: " if items[0] else ""  # a plan-wide warning concerns no one
            lines.append(f"  {mark} {group.code}: {who}{term(group.warnings[0].message)}")
            continue
        said = f": {term(group.message)}" if group.message is not None else ":"
        lines.append(f"  {mark} {group.code} ({group.count}){said}")
        lines += [f"      {item}" for item in items[:GROUP_LIMIT]]
        if group.count > GROUP_LIMIT:
            more = group.count - GROUP_LIMIT
            lines.append(f"      … and {more} more (--format json lists them all)")
    return lines


def _section(title: str, items: Sequence[str], mark: str) -> list[str]:
    if not items:
        return []
    lines = [f"{title} ({len(items)}):"]
    lines += [f"  {mark} {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        lines.append(f"  … and {len(items) - LIST_LIMIT} more (--format json lists them all)")
    return lines

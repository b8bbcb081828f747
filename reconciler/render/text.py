"""The plan for a terminal: one line per change, colour only when asked. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.engine.plan import Plan
from reconciler.engine.values import Change
from reconciler.render.values import extras_line, old_new, summary_line

LIST_LIMIT = 25
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
    if not plan.has_changes:
        lines.append(
            "No changes. Ledgy is in step with CharlieHR for everything this config manages."
        )
    for change in plan.changes:
        lines += _change(change, paint, show_values)
    lines += _section(
        "skipped",
        [f"{s.identifier or s.employee_id}: {s.reason} ({s.detail})" for s in plan.skipped],
        paint("dim", "-"),
    )
    lines += _section(
        "warnings",
        [f"{w.identifier or w.employee_id or 'all'}: {w.code}: {w.message}" for w in plan.warnings],
        paint("warn", "!"),
    )
    lines += _section(
        "orphaned (never deleted)",
        [f"{o.identifier} ({o.stakeholder_id}): {o.reason}" for o in plan.orphaned],
        paint("orphan", "?"),
    )
    lines.append(f"checksum {plan.checksum}")
    return "\n".join(lines) + "\n"


def _change(change: Change, paint: _Painter, show_values: bool) -> list[str]:
    if change.action == "create":
        group = next((f.new for f in change.fields if f.field == "group"), None)
        count = len(change.fields)
        head = f"+ create {change.identifier} ({change.name}) into {group}, {count} fields"
        lines = [paint("create", head)]
        if show_values:
            lines += [f"    {f.field}: {old_new(f, show_values=True)[1]}" for f in change.fields]
        return lines
    where = f" [{change.stakeholder_id}]" if change.stakeholder_id else ""
    adopted = " (adopted by name)" if change.adopted else ""
    lines = [paint("update", f"~ update {change.identifier} ({change.name}){where}{adopted}")]
    for field in change.fields:
        old, new = old_new(field, show_values=show_values)
        lines.append(f"    {field.field}: {old} -> {new}")
    return lines


def _section(title: str, items: Sequence[str], mark: str) -> list[str]:
    if not items:
        return []
    lines = [f"{title} ({len(items)}):"]
    lines += [f"  {mark} {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        lines.append(f"  … and {len(items) - LIST_LIMIT} more (--format json lists them all)")
    return lines

"""The plan as GitHub-flavoured Markdown, for PR comments and job summaries. Pure.

The summary line comes first; then one table per action; long sections fold into
``<details>``. Personal values (per the field catalogue) are masked: a reviewer
sees the field and the fact that it changes, never the value.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.engine.plan import Plan
from reconciler.engine.values import Change
from reconciler.render.escape import md_code, md_text
from reconciler.render.values import extras_line, old_new, summary_line

FOLD_ROWS = 10
"""Tables longer than this many rows are folded."""


def escape(text: str) -> str:
    """An outside value as Markdown text (see :func:`reconciler.render.escape.md_text`)."""
    return md_text(text)


def code(text: str) -> str:
    """An outside value as inline code (see :func:`reconciler.render.escape.md_code`)."""
    return md_code(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def folded(summary: str, body: str, *, open_: bool = False) -> str:
    """A ``<details>`` block; blank lines keep GitHub rendering Markdown inside."""
    state = " open" if open_ else ""
    return f"<details{state}><summary>{summary}</summary>\n\n{body}\n\n</details>"


def section(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], noun: str) -> str:
    """A heading and its table, folded when long."""
    body = table(headers, rows)
    if len(rows) > FOLD_ROWS:
        body = folded(f"{len(rows)} {noun}", body)
    return f"### {title}\n\n{body}"


def render_markdown(plan: Plan, *, show_values: bool = False) -> str:
    """The plan body: summary, tables, checksum."""
    extras = extras_line(plan)
    parts = [f"**{summary_line(plan)}**" + (f" · {extras}" if extras else "")]
    if not plan.has_changes:
        parts.append(
            "**No changes.** Ledgy is in step with CharlieHR for everything this config manages."
        )
    parts += plan_sections(plan, show_values=show_values)
    parts.append(f"Plan checksum: {code(plan.checksum)}")
    return "\n\n".join(parts) + "\n"


def plan_sections(plan: Plan, *, show_values: bool = False) -> list[str]:
    """The tables of a plan (creates, updates, skips, warnings, orphans), empty ones left out."""
    return [part for part in _sections(plan, show_values) if part]


def _sections(plan: Plan, show_values: bool) -> list[str]:
    return [
        _creates(plan.creates, show_values),
        _updates(plan.updates, show_values),
        _skipped(plan),
        _warnings(plan),
        _orphans(plan),
    ]


def _creates(creates: Sequence[Change], show_values: bool) -> str:
    if not creates:
        return ""
    rows = []
    for change in creates:
        values = {f.field: old_new(f, show_values=show_values)[1] for f in change.fields}
        rows.append(
            [
                code(change.identifier),
                escape(change.name),
                escape(values.get("group", "")),
                str(len(change.fields)),
            ]
        )
    return section(
        f"Create ({len(creates)})",
        ["Identifier", "Name", "Group", "Fields set"],
        rows,
        "stakeholders to create",
    )


def _updates(updates: Sequence[Change], show_values: bool) -> str:
    if not updates:
        return ""
    rows = []
    for change in updates:
        who = code(change.identifier) + (" (adopted by name)" if change.adopted else "")
        for index, field in enumerate(change.fields):
            old, new = old_new(field, show_values=show_values)
            first = index == 0
            rows.append(
                [
                    who if first else "",
                    escape(change.name) if first else "",
                    code(field.field),
                    escape(old),
                    escape(new),
                ]
            )
    return section(
        f"Update ({len(updates)})",
        ["Identifier", "Name", "Field", "Old", "New"],
        rows,
        "field changes",
    )


def _skipped(plan: Plan) -> str:
    if not plan.skipped:
        return ""
    rows = [
        [
            code(s.identifier) if s.identifier else f"employee {code(s.employee_id)}",
            code(s.reason),
            escape(s.detail),
        ]
        for s in plan.skipped
    ]
    body = folded(f"{len(rows)} employees skipped", table(["Who", "Reason", "Detail"], rows))
    return f"### Skipped ({len(rows)})\n\n{body}"


def _warnings(plan: Plan) -> str:
    if not plan.warnings:
        return ""
    rows = [
        [code(w.identifier) if w.identifier else "", code(w.code), escape(w.message)]
        for w in plan.warnings
    ]
    return section(f"Warnings ({len(rows)})", ["Who", "Code", "Message"], rows, "warnings")


def _orphans(plan: Plan) -> str:
    if not plan.orphaned:
        return ""
    rows = [[code(o.identifier), code(o.stakeholder_id), escape(o.reason)] for o in plan.orphaned]
    title = f"Orphaned ({len(rows)}): reported, never deleted"
    return section(title, ["Identifier", "Stakeholder", "Why"], rows, "orphaned stakeholders")

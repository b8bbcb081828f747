"""The plan as GitHub-flavoured Markdown, for PR comments and job summaries. Pure.

The summary line comes first; then one table per action; long sections fold into
``<details>``. Personal values (per the field catalogue) are masked: a reviewer
sees the field and the fact that it changes, never the value.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.engine.plan import Plan
from reconciler.engine.values import Change, Conflict
from reconciler.render.escape import md_code, md_text
from reconciler.render.groups import WarningGroup, group_warnings, shared_identifiers, who
from reconciler.render.pending import markdown_section, not_in_step
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

FOLD_ROWS = 10
"""Tables longer than this many rows are folded."""
GROUP_LIMIT = 100
"""People listed in the fold of one warning code before "… and N more"."""


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


CUT = "\n\n> (cut here: the rest does not fit; it is in the job summary of the run)\n"


def fit(
    required: Sequence[str],
    optional: Sequence[str],
    limit: int,
    *,
    note: str = "",
    tail: Sequence[str] = (),
) -> str:
    """Parts joined by blank lines, never longer than ``limit`` characters.

    ``required`` comes first and ``tail`` last. Between them go as many ``optional``
    parts as fit, in order (the first that does not fit ends them), with ``note`` in
    place of those left out. If even that is too long, the text is cut and says so.
    """
    kept = list(optional)
    while True:
        middle = kept if len(kept) == len(optional) else [*kept, note] if note else kept
        body = "\n\n".join([*required, *middle, *tail]) + "\n"
        if len(body) <= limit or not kept:
            break
        kept.pop()
    if len(body) <= limit:
        return body
    if limit < len(CUT):
        return body[:limit]
    return body[: limit - len(CUT)] + CUT


def render_markdown(plan: Plan, *, show_values: bool = False) -> str:
    """The plan body: summary, tables, checksum."""
    extras = extras_line(plan)
    parts = [f"**{summary_line(plan)}**" + (f" · {extras}" if extras else "")]
    if plan.in_step and plan.conflicts:
        parts.append(
            "**No changes to apply.** Ledgy is in step with CharlieHR but for the conflicts "
            "below, which their policy keeps or holds."
        )
    elif plan.in_step:
        parts.append(
            "**No changes.** Ledgy is in step with CharlieHR for everything this config manages."
        )
    elif not plan.has_changes:
        parts.append(f"**{not_in_step(plan)}**")
    parts += plan_sections(plan, show_values=show_values)
    parts.append(f"Plan checksum: {code(plan.checksum)}")
    return "\n\n".join(parts) + "\n"


def plan_sections(plan: Plan, *, show_values: bool = False) -> list[str]:
    """The tables of a plan (conflicts first, then creates, updates, skips, warnings,
    orphans), empty ones left out."""
    return [part for part in _sections(plan, show_values) if part]


def _sections(plan: Plan, show_values: bool) -> list[str]:
    return [
        _across_groups(plan.updates),
        conflicts_section(plan.conflicts, show_values),
        _creates(plan.creates, show_values),
        _updates(plan.updates, show_values),
        markdown_section(plan.pending),
        _skipped(plan),
        _warnings(plan),
        _orphans(plan),
    ]


def conflicts_section(conflicts: Sequence[Conflict], show_values: bool = False) -> str:
    """Values edited in Ledgy, first: what Ledgy holds, what HR gives, what the plan does."""
    if not conflicts:
        return ""
    rows = []
    for conflict in conflicts:
        hide = conflict.personal and not show_values
        ledgy, hr = value_pair(conflict.ledgy, conflict.hr, hide=hide)
        rows.append(
            [
                code(conflict.identifier),
                escape(name_text(conflict.name)),
                code(conflict.field),
                escape(ledgy),
                escape(hr),
                f"{OUTCOMES[conflict.policy]} ({code(conflict.policy)})",
            ]
        )
    title = f"Conflicts: edited in Ledgy ({len(rows)})"
    table_part = section(
        title, ["Identifier", "Name", "Field", "In Ledgy", "From HR", "Plan"], rows, "conflicts"
    )
    head, _, body = table_part.partition("\n\n")
    return f"{head}\n\n{CONFLICTS_SAID}\n\n{body}"


def _creates(creates: Sequence[Change], show_values: bool) -> str:
    if not creates:
        return ""
    rows = []
    for change in creates:
        values = {f.field: old_new(f, show_values=show_values)[1] for f in change.fields}
        rows.append(
            [
                code(change.identifier),
                escape(name_text(change.name)),
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


def _across_groups(updates: Sequence[Change]) -> str:
    """Adoptions from groups the config does not manage: high risk, first and on their own."""
    taken = [c for c in updates if c.from_group is not None]
    if not taken:
        return ""
    rows = [
        [
            code(c.identifier),
            escape(name_text(c.name)),
            code(c.stakeholder_id or ""),
            escape(c.from_group or ""),
        ]
        for c in taken
    ]
    lines = [
        f"### ⚠️ Adopted across groups ({len(rows)}): high risk",
        "Each stakeholder below has no identifier and an employee's name, in a group this "
        "config does not manage: it is taken over (identifier, fields, group), grants and "
        "all. Apply refuses this plan without `--force`; check each is the same person, or "
        "pin the right match in `stakeholders.matches`.",
        table(["Identifier", "Name", "Stakeholder", "From group"], rows),
    ]
    return "\n\n".join(lines)


def _marker(change: Change) -> str:
    """How an update matched, when not by identifier."""
    if change.from_group is not None:
        return f" (adopted by name from {escape(change.from_group)}: high risk)"
    if change.adopted:
        return " (adopted by name)"
    if change.pinned:
        return " (pinned match)"
    return ""


def _updates(updates: Sequence[Change], show_values: bool) -> str:
    if not updates:
        return ""
    rows = []
    for change in updates:
        who = code(change.identifier) + _marker(change)
        for index, field in enumerate(change.fields):
            old, new = old_new(field, show_values=show_values)
            first = index == 0
            mark = field_mark(field)
            rows.append(
                [
                    who if first else "",
                    escape(name_text(change.name)) if first else "",
                    code(field.field) + (f" **{mark}**" if mark else ""),
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
    shared = shared_identifiers((s.identifier, s.employee_id) for s in plan.skipped)
    rows = [
        [who(s.identifier, s.employee_id, shared, code), code(s.reason), escape(s.detail)]
        for s in plan.skipped
    ]
    body = folded(f"{len(rows)} employees skipped", table(["Who", "Reason", "Detail"], rows))
    return f"### Skipped ({len(rows)})\n\n{body}"


def _warnings(plan: Plan) -> str:
    """One line per warning code, with its count, and the people it concerns folded."""
    if not plan.warnings:
        return ""
    shared = shared_identifiers((w.identifier, w.employee_id) for w in plan.warnings)
    parts = [f"### Warnings ({len(plan.warnings)})"]
    for group in group_warnings(plan.warnings):
        parts += _warning_group(group, shared)
    return "\n\n".join(parts)


def _warning_group(group: WarningGroup, shared: frozenset[str]) -> list[str]:
    people = [who(w.identifier, w.employee_id, shared, code) for w in group.warnings]
    if group.count == 1:
        said = escape(group.warnings[0].message)
        return [f"**{code(group.code)}:** " + (f"{people[0]}: {said}" if people[0] else said)]
    if group.message is not None:
        head = f"**{code(group.code)} ({group.count}):** {escape(group.message)}"
        listed = [", ".join(p or "(no identifier)" for p in people[:GROUP_LIMIT])]
    else:
        head = f"**{code(group.code)} ({group.count}):**"
        listed = [
            f"- {p or '(no identifier)'}: {escape(w.message)}"
            for p, w in zip(people[:GROUP_LIMIT], group.warnings, strict=False)
        ]
    if group.count > GROUP_LIMIT:
        listed.append(f"… and {group.count - GROUP_LIMIT} more; the plan JSON lists them all.")
    return [head, folded(f"{group.count} people", "\n".join(listed))]


def _orphans(plan: Plan) -> str:
    if not plan.orphaned:
        return ""
    rows = [[code(o.identifier), code(o.stakeholder_id), escape(o.reason)] for o in plan.orphaned]
    title = f"Orphaned ({len(rows)}): reported, never deleted"
    return section(title, ["Identifier", "Stakeholder", "Why"], rows, "orphaned stakeholders")

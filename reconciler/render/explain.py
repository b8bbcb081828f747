"""An explanation for a terminal. Pure; personal values masked unless asked."""

from __future__ import annotations

from reconciler.domain.fields import is_personal
from reconciler.engine.explain import Explanation
from reconciler.render.escape import term
from reconciler.render.values import OUTCOMES, field_mark, old_new, value_text


def render_explanation(found: Explanation, *, show_values: bool = False) -> str:
    """Rules, leaver policy, match, mapped values and the resulting action."""
    if found.employee is None:
        return _no_employee(found)
    employee = found.employee
    lines = [
        f"Explaining {term(found.identifier)}",
        f"  employee {term(employee.id)} ({term(employee.name or '')}), "
        f"status {term(str(employee.employment_status))}",
    ]
    lines.append(
        "Sync rules (all must pass):"
        if found.rules
        else "Sync rules: none, every employee is in scope"
    )
    for rule in found.rules:
        value = value_text(rule.value, hide=is_personal(rule.field) and not show_values)
        accepted = ", ".join(term(str(v)) for v in rule.accepted)
        lines.append(
            f"  [{rule.index}] {term(rule.field)} = {term(value)}; accepted: {accepted} -> "
            f"{'pass' if rule.passed else 'FAIL'}"
        )
    leaver = employee.employment_status == "inactive"
    lines.append(
        f"Leaver: {'yes' if leaver else 'no'} (terminated.action: {found.terminated_action})"
    )
    lines.append(f"Match: {term(found.matched)}")
    lines += _values(found, show_values)
    lines += _result(found, show_values)
    return "\n".join(lines) + "\n"


def _values(found: Explanation, show_values: bool) -> list[str]:
    if found.outcome is None or found.outcome.values is None:
        return []
    lines = ["Mapped values:"]
    for field, value in sorted(found.outcome.values.items()):
        shown = value_text(value, hide=field in found.personal and not show_values)
        lines.append(f"  {term(field)}: {term(shown)}")
    lines += [f"  ! {w.code}: {term(w.message)}" for w in found.outcome.warnings]
    return lines


def _result(found: Explanation, show_values: bool) -> list[str]:
    if found.skip is not None:
        return [f"Result: skipped ({found.skip.reason}): {term(found.skip.detail)}"]
    change = found.change
    if change is None and found.conflicts:
        result = ["Result: no write; the conflicts below keep or hold Ledgy's values"]
    elif change is None:
        result = ["Result: unchanged, Ledgy already holds these values"]
    elif change.action == "create":
        result = [f"Result: create a stakeholder with {len(change.fields)} fields"]
    else:
        result = [f"Result: update {len(change.fields)} field(s)"]
        for field in change.fields:
            old, new = old_new(field, show_values=show_values)
            mark = field_mark(field)
            after = f"  [{mark}]" if mark else ""
            result.append(f"  {term(field.field)}: {term(old)} -> {term(new)}{after}")
    for conflict in found.conflicts:
        result.append(
            f"Conflict: {term(conflict.field)} was edited in Ledgy since it was last applied; "
            f"{conflict.policy}: {OUTCOMES[conflict.policy]}"
        )
    return result


def _no_employee(found: Explanation) -> str:
    lines = [
        f"Explaining {term(found.identifier)}",
        "  no CharlieHR employee has this work email or id",
    ]
    if found.orphan is not None:
        lines.append(
            f"Ledgy stakeholder {term(found.orphan.stakeholder_id)} is orphaned: "
            f"{term(found.orphan.reason)}; "
            "it is reported, never deleted"
        )
    return "\n".join(lines) + "\n"

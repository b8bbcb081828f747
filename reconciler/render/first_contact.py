"""The first-contact report (``doctor --apis``) as text. Pure.

Names, types and counts only: the report holds no value to show.
"""

from __future__ import annotations

from reconciler.domain.contact import (
    ContactReport,
    EndpointSample,
    Finding,
    LedgyContact,
    Paging,
    RoleFound,
)
from reconciler.render.escape import term

_LABELS = {"ok": "ok", "info": "info", "warning": "WARNING", "error": "ERROR"}
_STATUS = {"found": "found", "absent": "ABSENT", "wrong_type": "BAD TYPE", "not_sampled": "-"}


def render_contact(report: ContactReport, config: str) -> str:
    """The whole report, as ``reconciler doctor --apis`` prints it."""
    lines = [f"doctor --apis: {config}", "", "CharlieHR"]
    for sample in report.endpoints:
        lines += _endpoint(sample)
    lines += ["", "  roles (raw keys by role, as read on the first pages):"]
    lines += [_role(role) for role in report.roles if role.status != "not_sampled"]
    if report.paging is not None:
        lines += ["", *_paging(report.paging)]
    if report.ledgy is not None:
        lines += ["", *_ledgy(report.ledgy)]
    lines += ["", "verdict:"]
    lines += [line for finding in report.findings for line in _finding(finding)]
    return "\n".join(term(line) for line in lines) + "\n"


def _endpoint(sample: EndpointSample) -> list[str]:
    if sample.answer != "ok":
        return [f"  {sample.endpoint}: {sample.answer}"]
    more = "more pages follow" if sample.more else "no more pages"
    head = (
        f"  {sample.endpoint}: {sample.records} records on page 1 (asked {sample.asked}; "
        f"{more}); meta: {', '.join(sample.meta_keys) or '(none)'}"
    )
    keys = [
        f"{k.key} ({'/'.join(k.types) or 'null'}, {k.filled} of {sample.records} filled)"
        for k in sample.keys
    ]
    left = [f"    {sample.keys_left_out} more keys, on fewer records, not listed"]
    return [head, *_wrapped("    keys: ", keys), *(left if sample.keys_left_out else [])]


def _wrapped(lead: str, items: list[str], width: int = 100) -> list[str]:
    lines: list[str] = []
    line = lead
    for item in items:
        if len(line) + len(item) > width and line.strip() and line != lead:
            lines.append(line.rstrip(", "))
            line = " " * len(lead)
        line += item + ", "
    if line.strip():
        lines.append(line.rstrip(", "))
    return lines


def _role(role: RoleFound) -> str:
    text = f"    {_STATUS[role.status]:<8} {role.role} <- {role.key} ({role.endpoint})"
    if role.seen:
        text += f": {role.seen}"
    if role.looks_like:
        text += f"; looks like: {', '.join(role.looks_like)}"
    if role.field_keys:
        text += f"; suggested field_keys: {role.field_keys}"
    return text


def _paging(paging: Paging) -> list[str]:
    ended = f"ended after {paging.pages} page(s)" if paging.pages else "end not reached"
    past = paging.past_end or "not asked"
    size = paging.page_size if paging.page_size is not None else "unknown (list too short)"
    return [
        f"  paging ({paging.endpoint}): totals {', '.join(paging.totals) or 'none'}; "
        f"meta.next_url {'present' if paging.next_url else 'absent'}; {ended}; "
        f"a page past the end: {past}; largest page honoured: {size}"
    ]


def _ledgy(ledgy: LedgyContact) -> list[str]:
    lines = [f"Ledgy ({ledgy.driver} driver)"]
    if ledgy.company is not None:
        lines.append(f"  the key's company: {ledgy.company}")
    if ledgy.driver == "api":
        missing = ", ".join(ledgy.operations_missing) or "none"
        lines.append(f"  introspection: {ledgy.introspection}; operations missing: {missing}")
        return lines
    matched = [f"{role} = {header!r}" for role, header in ledgy.columns_matched.items()]
    lines += _wrapped("  columns matched: ", matched)
    lines.append(f"  columns missing: {', '.join(ledgy.columns_missing) or 'none'}")
    lines.append(f"  columns unknown: {', '.join(ledgy.columns_unknown) or 'none'}")
    return lines


def _finding(finding: Finding) -> list[str]:
    lines = [f"  {_LABELS[finding.level]:<8} {finding.what}"]
    if finding.remedy:
        lines.append(f"           what to do: {finding.remedy}")
    return lines

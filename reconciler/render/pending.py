"""Prepared uploads awaiting Ledgy, as every output shows them. Pure.

A plan with an open prepared upload is never "in step": it says how many people wait,
names each folder (and the CI run whose artifact holds it) with when it was prepared,
oldest first, and what to do. The people themselves are listed (identifiers only, as
in the change tables), folded in Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reconciler.engine.pending import Awaiting
from reconciler.engine.plan import Plan
from reconciler.render.escape import md_code, term

LISTED = 100
"""People listed under one folder in Markdown before "… and N more"."""
TERM_LISTED = 10
REFRESH = (
    "upload each folder in Ledgy (oldest first), then download the refreshed export and "
    "run `reconciler ledgy-state update EXPORT.xlsx --config CONFIG`"
)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def awaiting_line(plan: Plan) -> str:
    """``N awaiting upload``, for the summary's extras (empty when none)."""
    count = plan.awaiting_upload
    return f"{count} awaiting upload" if count else ""


def not_in_step(plan: Plan) -> str:
    """What a plan with no new change but an open upload says instead of "in step"."""
    folders = len(plan.pending)
    noun = "folder" if folders == 1 else "folders"
    return (
        f"No new changes, but Ledgy is not in step yet: {_people(plan.awaiting_upload)} "
        f"await the upload of {folders} prepared {noun} (below)."
    )


def _counts(upload: Awaiting) -> str:
    return f"{len(upload.creates)} to create, {len(upload.updates)} to update"


def _members(upload: Awaiting, quote: Callable[[str], str]) -> list[str]:
    people = [f"{quote(i)} (create)" for i in upload.creates]
    people += [
        f"{quote(i)} (update {quote(sid)}: {', '.join(quote(f) for f in fields)})"
        for i, sid, fields in upload.updates
    ]
    return people


def text_section(pending: Sequence[Awaiting]) -> list[str]:
    """The terminal lines: one per folder, its people indented, then what to do."""
    if not pending:
        return []
    count = sum(a.people for a in pending)
    lines = [f"awaiting upload ({_people(count)}, prepared and never prepared again):"]
    for upload in pending:
        run = f", artifact of {term(upload.run_url)}" if upload.run_url else ""
        lines.append(
            f"  ⧗ {term(upload.where)} (prepared {term(upload.prepared_at)}{run}): "
            f"{_counts(upload)}"
        )
        members = _members(upload, term)
        lines += [f"      {m}" for m in members[:TERM_LISTED]]
        if len(members) > TERM_LISTED:
            lines.append(f"      … and {len(members) - TERM_LISTED} more")
    lines.append(f"  to do: {REFRESH}")
    return lines


def markdown_section(pending: Sequence[Awaiting]) -> str:
    """The Markdown section: a table of folders, the people folded under it."""
    if not pending:
        return ""
    count = sum(a.people for a in pending)
    rows = []
    listed: list[str] = []
    for upload in pending:
        run = f" (artifact of {md_code(upload.run_url)})" if upload.run_url else ""
        rows.append(
            f"| {md_code(upload.where)}{run} | {md_code(upload.prepared_at)} | "
            f"{len(upload.creates)} | {len(upload.updates)} |"
        )
        members = _members(upload, md_code)
        listed += [f"- {m}" for m in members[:LISTED]]
        if len(members) > LISTED:
            listed.append(f"- … and {len(members) - LISTED} more; the plan JSON lists them all")
    table = "\n".join(
        ["| Folder | Prepared (UTC) | Create | Update |", "| --- | --- | --- | --- |", *rows]
    )
    fold = (
        f"<details><summary>{_people(count)} awaiting upload</summary>\n\n"
        + "\n".join(listed)
        + "\n\n</details>"
    )
    intro = (
        "Prepared for upload and not in Ledgy's export yet: this plan prepares none of "
        f"them again. To do: {REFRESH}."
    )
    return f"### Awaiting upload ({count})\n\n{intro}\n\n{table}\n\n{fold}"

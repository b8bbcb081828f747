"""The bodies the reconciler posts on GitHub: the sticky plan comment, the receipt,
the "approved vs now" comparison and the drift issue. Pure.

Each body is found again by a hidden marker and carries its machine state (plan
revisions, the reviewed checksum, a digest of the reviewed changes: identifiers,
actions and field names, never values) in an HTML comment. Bodies stay under
60,000 characters, below GitHub's 65,536: past that, the detail moves to the job
summary and the body says so, with a link to the run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from reconciler.engine.effect import Effect
from reconciler.engine.plan import Plan
from reconciler.render.markdown import code, escape, folded, plan_sections, table
from reconciler.render.values import extras_line, summary_line
from reconciler.writes import WriteResult

LIMIT = 60_000
MAX_REVISIONS = 20
MAX_LISTED = 25
DIGEST_LIMIT = 20_000
HYPHEN = "\\u002d"
_STATE = re.compile(r"<!-- reconciler:state (.*?) -->", re.S)

Digest = tuple[tuple[str, str, tuple[str, ...]], ...]


def plan_marker(key: str) -> str:
    """The hidden line that identifies the sticky plan comment of one config."""
    return f"<!-- reconciler:plan {key} -->"


def drift_marker(key: str) -> str:
    """The hidden line that identifies the drift issue of one config."""
    return f"<!-- reconciler:drift {key} -->"


def receipt_marker(key: str) -> str:
    """The hidden line of an apply receipt."""
    return f"<!-- reconciler:receipt {key} -->"


@dataclass(frozen=True)
class Revision:
    """One push's plan, for the revisions table."""

    at: str
    checksum: str
    create: int
    update: int
    skipped: int
    sha: str | None = None


@dataclass(frozen=True)
class CommentState:
    """What a sticky comment remembers between pushes."""

    revisions: tuple[Revision, ...] = ()
    checksum: str | None = None
    summary: dict[str, int] = field(default_factory=dict)
    digest: Digest | None = None


def digest(plan: Plan) -> Digest:
    """Each change as (action, identifier, field names): enough to compare, no values."""
    return tuple((c.action, c.identifier, tuple(f.field for f in c.fields)) for c in plan.changes)


def read_state(body: str) -> CommentState:
    """The state hidden in a comment body (empty state if none or unreadable)."""
    match = _STATE.search(body)
    if match is None:
        return CommentState()
    try:
        raw = json.loads(match.group(1))
        revisions = tuple(Revision(**r) for r in raw.get("revisions", []))
        found = raw.get("digest")
        changes = None if found is None else tuple((a, i, tuple(f)) for a, i, f in found)
        return CommentState(revisions, raw.get("checksum"), dict(raw.get("summary", {})), changes)
    except (ValueError, TypeError, KeyError):
        return CommentState()


def _state_line(state: CommentState) -> str:
    data: dict[str, Any] = {
        "v": 1,
        "checksum": state.checksum,
        "summary": state.summary,
        "revisions": [asdict(r) for r in state.revisions],
    }
    if state.digest is not None:
        data["digest"] = [list(d) for d in state.digest]
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    # "--" would end the HTML comment; \u002d is the same character to JSON.
    safe = text.replace("--", "-" + HYPHEN)
    return f"<!-- reconciler:state {safe} -->"


def next_state(plan: Plan, previous: CommentState, *, at: str, sha: str | None) -> CommentState:
    """The state after this push: this plan reviewed, its revision on top."""
    counts = plan.summary()
    revision = Revision(
        at, plan.checksum, counts["create"], counts["update"], counts["skipped"], sha
    )
    kept = [r for r in previous.revisions if r.checksum != plan.checksum or r.sha != sha]
    changes = digest(plan)
    small = len(json.dumps(changes)) <= DIGEST_LIMIT
    return CommentState(
        (revision, *kept)[:MAX_REVISIONS], plan.checksum, counts, changes if small else None
    )


def _short(checksum: str | None) -> str:
    return (checksum or "").removeprefix("sha256:")[:12]


def _verdict(plan: Plan, key: str, refusal: str | None) -> list[str]:
    if refusal is not None:
        return [
            f"⛔ **Unsafe plan for `{key}`**: {escape(refusal)}",
            f"**{summary_line(plan)}**",
            "**On merge:** nothing is applied. After review, a maintainer can apply it by running "
            "the apply workflow by hand with `force`.",
        ]
    if not plan.has_changes:
        return [
            f"✅ **No changes for `{key}`**: Ledgy is in step with CharlieHR.",
            f"**{summary_line(plan)}**",
            "**On merge:** nothing to apply.",
        ]
    extras = extras_line(plan)
    return [
        f"📋 **Plan for `{key}`: {summary_line(plan)}**" + (f" · {extras}" if extras else ""),
        "**On merge:** the apply workflow applies exactly this plan "
        f"(checksum {code(plan.checksum)}) if the HR and Ledgy data it was computed from are "
        "unchanged; otherwise it applies nothing and posts what changed.",
    ]


def _names(identifiers: Sequence[str]) -> str:
    shown = ", ".join(code(i) for i in identifiers[:MAX_LISTED])
    more = len(identifiers) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _effect(effect: Effect) -> str:
    lines = ["### What this PR changes", ""]
    if effect.base_checksum is None:
        lines.append("This config is new in this PR: everything below is its effect.")
    if effect.enters:
        lines.append(f"- **Enter the sync ({len(effect.enters)}):** {_names(effect.enters)}")
    if effect.leaves:
        people = [f"{i} ({reason})" for i, reason in effect.leaves]
        lines.append(
            f"- **Leave the sync ({len(people)}):** {_names(people)}; they stay in Ledgy, "
            "never deleted, reported as orphaned"
        )
    if effect.caused:
        rows = [
            [code(c.identifier), c.action, ", ".join(code(f.field) for f in c.fields)]
            for c in effect.caused
        ]
        body = table(["Identifier", "Action", "Fields"], rows)
        lines += ["", folded(f"{len(rows)} changes made by this PR", body, open_=len(rows) <= 10)]
    if not (effect.enters or effect.leaves or effect.caused):
        lines.append("- Nothing: with the base branch's config the plan would be the same.")
    pending = effect.pending
    lines += ["", "### Pending anyway (HR changes, not from this PR)", ""]
    lines.append(
        f"{len(pending)} change(s) the base branch's config would make too: "
        f"{sum(1 for c in pending if c.action == 'create')} to create, "
        f"{sum(1 for c in pending if c.action == 'update')} to update."
        if pending
        else "None."
    )
    return "\n".join(lines)


def _revisions(state: CommentState) -> str:
    rows = [
        [
            r.at,
            code(r.sha[:7]) if r.sha else "",
            code(_short(r.checksum)),
            str(r.create),
            str(r.update),
            str(r.skipped),
        ]
        for r in state.revisions
    ]
    body = table(["Time (UTC)", "Commit", "Checksum", "Create", "Update", "Skipped"], rows)
    return folded(f"Plan revisions ({len(rows)})", body)


def plan_comment(
    plan: Plan,
    *,
    key: str,
    state: CommentState,
    effect: Effect | None = None,
    refusal: str | None = None,
    run_url: str | None = None,
    limit: int = LIMIT,
) -> str:
    """The sticky comment: verdict, on-merge, effect, plan tables, revisions, state."""
    head = [plan_marker(key), *_verdict(plan, key, refusal)]
    tail = [_revisions(state), _footer(run_url), _state_line(state)]
    middle = ([_effect(effect)] if effect is not None else []) + plan_sections(plan)
    body = "\n\n".join([*head, *middle, *tail]) + "\n"
    if len(body) <= limit:
        return body
    where = f"[this run]({run_url})" if run_url else "this run"
    note = (
        f"The full plan ({len(plan.changes)} changes) is too long for a comment. It is in the "
        f"job summary of {where}, and in the plan artifact."
    )
    short = [_effect_counts(effect)] if effect is not None else []
    body = "\n\n".join([*head, *short, f"> {note}", *tail]) + "\n"
    if len(body) > limit:  # the digest of a huge plan: keep only the checksum and counts
        lean = CommentState(state.revisions[:5], state.checksum, state.summary, None)
        body = (
            "\n\n".join(
                [*head, *short, f"> {note}", _revisions(lean), _footer(run_url), _state_line(lean)]
            )
            + "\n"
        )
    return body


def _effect_counts(effect: Effect) -> str:
    return (
        "### What this PR changes\n\n"
        f"{len(effect.enters)} enter the sync, {len(effect.leaves)} leave it, "
        f"{len(effect.caused)} changes come from this PR; "
        f"{len(effect.pending)} are pending HR changes."
    )


def _footer(run_url: str | None) -> str:
    where = f" · [run]({run_url})" if run_url else ""
    privacy = "personal values are masked; the field names and the fact of a change are shown"
    return f"<sub>reconciler{where} · {privacy}</sub>"


def receipt(
    key: str,
    checksum: str,
    results: Sequence[WriteResult],
    *,
    run_url: str | None,
    forced: bool = False,
) -> str:
    """The comment posted on the merged PR after an apply."""
    created = sum(1 for r in results if r.ok and r.write.action == "create")
    updated = sum(1 for r in results if r.ok and r.write.action == "update")
    failed = [r for r in results if not r.ok]
    icon = "🧾" if not failed else "⚠️"
    how = " (forced)" if forced else ""
    lines = [
        receipt_marker(key),
        f"{icon} **Applied{how}** plan {code(checksum)} for `{key}`: "
        f"{created} created, {updated} updated, {len(failed)} failed.",
    ]
    if failed:
        lines.append(
            "Failed writes did not land; running apply again finishes them "
            "without duplicating anyone."
        )
    rows = [
        [
            code(r.write.identifier or ""),
            r.write.action,
            code(r.stakeholder_id or ""),
            "ok" if r.ok else f"failed: {escape(r.error or '')}",
        ]
        for r in results
    ]
    body = (
        "\n\n".join(lines)
        + "\n\n"
        + folded(
            f"{len(rows)} operations",
            table(["Identifier", "Action", "Stakeholder", "Result"], rows),
            open_=bool(failed),
        )
        + "\n\n"
        + _footer(run_url)
    )
    if len(body) > LIMIT:
        kept = [row for row in rows if not row[3].startswith("ok")][:200]
        body = (
            "\n\n".join(lines)
            + "\n\n"
            + table(["Identifier", "Action", "Stakeholder", "Result"], kept)
            + (
                f"\n\n> {len(rows)} operations in all; every one is in the journal "
                "artifact of the run.\n\n"
            )
            + _footer(run_url)
        )
    return body + "\n"


def comparison(key: str, reviewed: CommentState, now: Plan, *, run_url: str | None) -> str:
    """Why nothing was applied: the reviewed plan next to the plan now."""
    counts = now.summary()
    rows = [
        [kind, str(reviewed.summary.get(kind, "?")), str(counts[kind])]
        for kind in ("create", "update", "skipped", "orphaned")
    ]
    lines = [
        receipt_marker(key),
        f"⚠️ **Not applied**: the plan for `{key}` is no longer the one reviewed. HR or Ledgy data "
        f"changed between the review and the merge, so nothing was written.",
        table(
            ["", "Reviewed", "Now"],
            [["checksum", code(_short(reviewed.checksum)), code(_short(now.checksum))], *rows],
        ),
    ]
    if reviewed.digest is not None:
        lines += _digest_differences(reviewed.digest, digest(now))
    lines.append(
        "**To apply the plan as it is now:** review it (re-run the plan workflow on a PR, or "
        "`reconciler plan` locally), then run the apply workflow by hand with `force`."
    )
    lines.append(_footer(run_url))
    body = "\n\n".join(lines) + "\n"
    return body if len(body) <= LIMIT else "\n\n".join([*lines[:3], lines[-2], lines[-1]]) + "\n"


def _digest_differences(before: Digest, after: Digest) -> list[str]:
    old = {(a, i.casefold()): (i, f) for a, i, f in before}
    new = {(a, i.casefold()): (i, f) for a, i, f in after}
    only_now = sorted(new.keys() - old.keys(), key=lambda k: k[1])
    only_then = sorted(old.keys() - new.keys(), key=lambda k: k[1])
    different = sorted(
        (k for k in new.keys() & old.keys() if new[k][1] != old[k][1]), key=lambda k: k[1]
    )
    parts = []
    for title, keys, source in (
        ("Only in the plan now", only_now, new),
        ("Only in the reviewed plan", only_then, old),
        ("Different fields now", different, new),
    ):
        if keys:
            shown = [f"{code(source[k][0])} ({k[0]})" for k in keys[:MAX_LISTED]]
            more = f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else ""
            parts.append(f"**{title} ({len(keys)}):** {', '.join(shown)}{more}")
    return parts or ["The same stakeholders and fields change, but with different values."]


def drift_issue(
    key: str, plan: Plan, *, run_url: str | None, limit: int = LIMIT
) -> tuple[str, str]:
    """Title and body of the drift issue for a pending plan."""
    counts = plan.summary()
    title = f"HR drift: {counts['create']} to create, {counts['update']} to update for {key}"
    head = [
        drift_marker(key),
        f"🔄 **HR data changed outside any pull request.** This plan for `{key}` is pending: "
        f"**{summary_line(plan)}**.",
        "Nothing is applied by this check. To apply: merge a PR (the apply workflow applies the "
        "reviewed plan) or run the apply workflow by hand after reviewing this plan.",
    ]
    body = (
        "\n\n".join(
            [*head, *plan_sections(plan), f"Plan checksum: {code(plan.checksum)}", _footer(run_url)]
        )
        + "\n"
    )
    if len(body) > limit:
        body = (
            "\n\n".join(
                [
                    *head,
                    f"> The full plan is in the job summary of {run_url or 'the run'}.",
                    _footer(run_url),
                ]
            )
            + "\n"
        )
    return title, body


def drift_resolved(key: str, *, run_url: str | None) -> str:
    """The last word on a drift issue that has nothing pending any more."""
    done = f"✅ No drift: Ledgy is in step with CharlieHR for `{key}`."
    return f"{drift_marker(key)}\n\n{done}\n\n{_footer(run_url)}\n"

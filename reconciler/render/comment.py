"""The bodies the reconciler posts on GitHub: the sticky plan comment, the receipt,
the "approved vs now" comparison and the drift issue. Pure.

These are what a reader sees. The hidden lines that find a body again and carry its
machine state (markers, revisions, the approved checksum and digests) are added by
:mod:`reconciler.github.sticky`, which leaves each body its share of the limit.
Bodies stay within it (60,000 characters, below GitHub's 65,536) through one
:func:`~reconciler.render.markdown.fit`: past it, the detail moves to the job
summary and the body says so, with a link to the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.domain.writes import WriteResult
from reconciler.engine.approval import Approved, Verdict, judge
from reconciler.engine.effect import Effect, FieldEffect
from reconciler.engine.plan import Plan
from reconciler.engine.what_changed import what_changed
from reconciler.render.markdown import code, escape, fit, folded, plan_sections, table
from reconciler.render.pending import not_in_step
from reconciler.render.values import extras_line, summary_line

LIMIT = 60_000
MAX_LISTED = 25


@dataclass(frozen=True)
class Revision:
    """One push's plan, a row of the revisions table."""

    at: str
    checksum: str
    create: int
    update: int
    skipped: int
    sha: str | None = None


def _short(checksum: str | None) -> str:
    return (checksum or "").split(":")[-1][:12]


def _verdict(plan: Plan, key: str, refusal: str | None, approvals: int) -> list[str]:
    if refusal is not None:
        return [
            f"⛔ **Unsafe plan for `{key}`**: {escape(refusal)}",
            f"**{summary_line(plan)}**",
            "**On merge:** nothing is applied. After review, a maintainer can apply it by running "
            "the apply workflow by hand with `force`.",
        ]
    if not plan.has_changes and plan.pending:
        return [
            f"⏳ **Nothing new for `{key}`**: {not_in_step(plan)}",
            f"**{summary_line(plan)}** · {extras_line(plan)}",
            "**On merge:** nothing to apply; nobody awaiting upload is prepared again.",
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
        "unchanged; otherwise it applies nothing and posts what changed. "
        + _approval_rule(approvals),
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
    lines += [f"- **{_reshape(r)}:** {_names(r.identifiers)}" for r in effect.reshaped]
    if effect.prevented:
        lines.append(
            f"- **Prevents {len(effect.prevented)} change(s) the base branch's config would "
            f"make:** {_names([c.identifier for c in effect.prevented])}"
        )
    if effect.caused:
        rows = [
            [code(c.identifier), c.action, ", ".join(code(f.field) for f in c.fields)]
            for c in effect.caused
        ]
        body = table(["Identifier", "Action", "Fields"], rows)
        lines += ["", folded(f"{len(rows)} changes made by this PR", body, open_=len(rows) <= 10)]
    if not (effect.enters or effect.leaves or effect.caused or effect.reshaped or effect.prevented):
        lines.append("- Nothing: with the base branch's config the plan would be the same.")
    pending = effect.pending
    lines += ["", "### Pending anyway (HR changes, not from this PR)", ""]
    touched = len({i.casefold() for r in effect.reshaped for i in r.identifiers})
    shaped = f" This PR sets fields differently on {touched} of them (above)." if touched else ""
    lines.append(
        f"{len(pending)} change(s) the base branch's config would make too: "
        f"{sum(1 for c in pending if c.action == 'create')} to create, "
        f"{sum(1 for c in pending if c.action == 'update')} to update.{shaped}"
        if pending
        else "None."
    )
    return "\n".join(lines)


_PREPOSITIONS = {"adds": "to", "drops": "from", "changes": "in"}


def _reshape(effect: FieldEffect) -> str:
    """``Adds `custom_fields.Office` to 50 pending creates``."""
    count = len(effect.identifiers)
    noun = f"pending {effect.action}" + ("" if count == 1 else "s")
    return (
        f"{effect.verb.capitalize()} {code(effect.field)} {_PREPOSITIONS[effect.verb]} "
        f"{count} {noun}"
    )


def _revisions(revisions: Sequence[Revision]) -> str:
    rows = [
        [
            r.at,
            code(r.sha[:7]) if r.sha else "",
            code(_short(r.checksum)),
            str(r.create),
            str(r.update),
            str(r.skipped),
        ]
        for r in revisions
    ]
    body = table(["Time (UTC)", "Commit", "Checksum", "Create", "Update", "Skipped"], rows)
    return folded(f"Plan revisions ({len(rows)})", body)


def plan_comment(
    plan: Plan,
    *,
    key: str,
    revisions: Sequence[Revision] = (),
    effect: Effect | None = None,
    refusal: str | None = None,
    run_url: str | None = None,
    approvals: int = 1,
    rules: str | None = None,
    limit: int = LIMIT,
) -> str:
    """The sticky comment: a change to the rules first (``rules``, see
    :mod:`reconciler.render.rules`), then verdict, on-merge, effect, plan tables,
    revisions."""
    where = f"[this run]({run_url})" if run_url else "this run"
    note = (
        f"> The full plan ({len(plan.changes)} changes) is too long for a comment. It is in the "
        f"job summary of {where}, and in the plan artifact."
    )
    if effect is not None:
        note = _effect_counts(effect) + "\n\n" + note
    return fit(
        ([rules] if rules else []) + _verdict(plan, key, refusal, approvals),
        ([_effect(effect)] if effect is not None else []) + plan_sections(plan),
        limit,
        note=note,
        tail=[_revisions(revisions), footer(run_url)],
    )


def unplanned_comment(
    key: str,
    rules: str,
    *,
    revisions: Sequence[Revision] = (),
    run_url: str | None = None,
    limit: int = LIMIT,
) -> str:
    """The sticky comment of a pull request that could not be planned safely (its
    config names endpoints no base branch vouches for): the rules, and no plan."""
    verdict = (
        f"**On merge:** nothing is applied for `{key}`: there is no reviewed plan. "
        "Earlier plans of this pull request no longer count."
    )
    return fit([rules, verdict], [], limit, tail=[_revisions(revisions), footer(run_url)])


def _effect_counts(effect: Effect) -> str:
    reshaped = "".join(f"; {_reshape(r)[0].lower()}{_reshape(r)[1:]}" for r in effect.reshaped)
    return (
        "### What this PR changes\n\n"
        f"{len(effect.enters)} enter the sync, {len(effect.leaves)} leave it, "
        f"{len(effect.caused)} changes come from this PR; "
        f"{len(effect.pending)} are pending HR changes{reshaped}."
    )


def footer(run_url: str | None) -> str:
    """The small print under every body: the run, and what is masked."""
    where = f" · [run]({run_url})" if run_url else ""
    privacy = "personal values are masked; the field names and the fact of a change are shown"
    return f"<sub>reconciler{where} · {privacy}</sub>"


@dataclass(frozen=True)
class ByHand:
    """Who started an apply that did not come from an approved merge, and why."""

    actor: str
    """A GitHub login (GITHUB_ACTOR) or the local user's name."""
    how: str
    """What was given: ``--checksum``, ``--plan FILE``, ``--auto-approve``, ``--from-pr``."""
    reason: str | None = None
    """The ``--reason`` given (required with ``--force``)."""
    unapproved: tuple[str, ...] = ()
    """Why the plan is not an approved merge's, when it is known: the reconciler's own
    sentences (Markdown), never an outside value."""


def by_hand_lines(by: ByHand) -> list[str]:
    """Who, how and why, for a receipt or a note (the reason is the actor's own text)."""
    reason = f" Reason given: {escape(by.reason)}." if by.reason else " No reason was given."
    lines = [f"Started by hand by **{escape(by.actor)}** with {code(by.how)}.{reason}"]
    if by.unapproved:
        lines.append(
            # Our own sentences (they name pull requests as #N, which GitHub links).
            "Not from an approved merge: " + "; ".join(by.unapproved) + "."
        )
    return lines


def receipt(
    key: str,
    checksum: str,
    results: Sequence[WriteResult],
    *,
    run_url: str | None,
    forced: bool = False,
    verdict: Verdict | None = None,
    by: ByHand | None = None,
    limit: int = LIMIT,
    context: Sequence[str] = (),
) -> str:
    """The comment posted after an apply: on the merged PR, or (by hand, with no pull
    request) on the drift issue. ``by`` says who started it by hand, how and why;
    ``context`` lines (Markdown) say why this run applied it."""
    created = sum(1 for r in results if r.ok and r.write.action == "create")
    updated = sum(1 for r in results if r.ok and r.write.action == "update")
    failed = [r for r in results if not r.ok]
    icon = "🧾" if not failed else "⚠️"
    how = " by hand" if by is not None else ""
    how += " (forced)" if forced else ""
    lines = [
        f"{icon} **Applied{how}** plan {code(checksum)} for `{key}`: "
        f"{created} created, {updated} updated, {len(failed)} failed."
    ]
    lines += context
    if by is not None:
        lines += by_hand_lines(by)
    if verdict is not None and verdict.kind == "resume":
        lines.append(escape(verdict.message))
    if failed:
        lines.append(
            "Failed writes did not land; running apply again finishes them "
            "without duplicating anyone."
        )
    headers = ["Identifier", "Action", "Stakeholder", "Result"]
    rows = [
        [
            code(r.write.identifier or ""),
            r.write.action,
            code(r.stakeholder_id or ""),
            "ok" if r.ok else f"failed: {escape(r.error or '')}",
        ]
        for r in results
    ]
    kept = [row for row in rows if not row[3].startswith("ok")][:200]
    note = (
        table(headers, kept) + "\n\n" if kept else ""
    ) + f"> {len(rows)} operations in all; every one is in the journal artifact of the run."
    everything = folded(f"{len(rows)} operations", table(headers, rows), open_=bool(failed))
    return fit(lines, [everything], limit, note=note, tail=[footer(run_url)])


def comparison(
    key: str, approved: Approved, now: Plan, *, run_url: str | None, limit: int = LIMIT
) -> str:
    """Why nothing was applied: the approved plan next to the plan now."""
    counts = now.summary()
    rows = [
        [kind, str(approved.summary.get(kind, "?")), str(counts[kind])]
        for kind in ("create", "update", "skipped", "orphaned")
    ]
    verdict = judge(approved, now)
    changed = what_changed(approved, now.fingerprints)
    lines = [
        f"⚠️ **Not applied**: the plan for `{key}` is no longer the one approved "
        f"({escape(approved.where)}). {changed[0].upper()}{changed[1:]}, so this run "
        "wrote nothing.",
        table(
            ["", "Approved", "Now"],
            [["checksum", code(_short(approved.checksum)), code(_short(now.checksum))], *rows],
        ),
    ]
    details = _differences(approved, verdict) if approved.digests is not None else []
    remedy = (
        "**To apply the plan as it is now:** review it (the sync pull request, the plan "
        "workflow on a PR, or `reconciler plan` locally) and merge or apply that one; "
        "a maintainer can also run the apply workflow by hand with `force`."
    )
    return fit(lines, details, limit, tail=[remedy, footer(run_url)])


def _differences(approved: Approved, verdict: Verdict) -> list[str]:
    unapproved = verdict.unapproved
    parts = []
    if unapproved:
        shown = [f"{code(c.identifier)} ({c.action})" for c in unapproved[:MAX_LISTED]]
        more = f" and {len(unapproved) - MAX_LISTED} more" if len(unapproved) > MAX_LISTED else ""
        parts.append(
            f"**Not approved, in the plan now ({len(unapproved)}):** {', '.join(shown)}{more}"
        )
    approved_now = verdict.remaining - len(unapproved)
    gone = (approved.writes or 0) - approved_now
    if gone > 0:
        parts.append(
            f"**Approved, no longer in the plan ({gone}):** they landed or are no longer needed."
        )
    return parts or ["The same stakeholders and fields change, but with different values."]


def drift_issue(
    key: str, plan: Plan, *, run_url: str | None, sync_url: str | None = None, limit: int = LIMIT
) -> tuple[str, str]:
    """Title and body of the drift issue for a pending plan."""
    counts = plan.summary()
    waiting = f", {plan.awaiting_upload} awaiting upload" if plan.pending else ""
    title = (
        f"HR drift: {counts['create']} to create, {counts['update']} to update{waiting} for {key}"
    )
    review = (
        f"Review and merge the sync pull request, {sync_url}: merging it applies exactly "
        "the plan it shows."
        if sync_url
        else "The sync workflow opens a pull request with this plan; merging it applies "
        "exactly the plan it shows."
    )
    head = [
        f"🔄 **HR data changed outside any pull request.** This plan for `{key}` is pending: "
        f"**{summary_line(plan)}**.",
        f"Nothing is applied by this check. {review}",
    ]
    where = f"> The full plan is in the job summary of {run_url or 'the run'}."
    return title, fit(
        head,
        [*plan_sections(plan), f"Plan checksum: {code(plan.checksum)}"],
        limit,
        note=where,
        tail=[footer(run_url)],
    )


def drift_opened_for_receipts(key: str, *, run_url: str | None) -> tuple[str, str]:
    """Title and body of a drift issue opened only to hold the receipt of an apply by
    hand (there was none to post it on); the next drift run updates or closes it."""
    title = f"HR drift: applies by hand for {key}"
    body = (
        f"🧾 Applies of `{key}` that did not come from an approved merge post their receipt "
        "here. The next drift run replaces this text with what is pending, or closes the issue."
    )
    return title, f"{body}\n\n{footer(run_url)}\n"


def drift_resolved(key: str, *, run_url: str | None) -> str:
    """The last word on a drift issue that has nothing pending any more."""
    done = f"✅ No drift: Ledgy is in step with CharlieHR for `{key}`."
    return f"{done}\n\n{footer(run_url)}\n"


def _approval_rule(approvals: int) -> str:
    if approvals <= 0:
        return "The approval check is off (`safety.required_approvals: 0`)."
    reviews = "an approving review" if approvals == 1 else f"{approvals} approving reviews"
    return (
        f"The pull request needs {reviews} from someone other than its author (a bot's "
        "does not count), on its latest commit, before the merge; merged without that, "
        "nothing is applied."
    )


def sync_pull_body(
    plan: Plan,
    *,
    key: str,
    path: str,
    approvals: int,
    refusal: str | None = None,
    run_url: str | None = None,
    limit: int = LIMIT,
    again: str | None = None,
) -> str:
    """The sync pull request's body: what merging it writes to Ledgy, and the plan;
    ``again`` (Markdown) says first why a plan the base branch holds is proposed again."""
    head = [
        f"🔄 **HR changes for `{key}`: {summary_line(plan)}**",
        f"This pull request changes only {code(path)}, the saved plan (masked values, a keyed "
        f"checksum, one keyed digest per change). **Merging it applies exactly this plan** "
        f"(checksum {code(plan.checksum)}) to Ledgy. {_approval_rule(approvals)}",
        "The scheduled sync keeps this pull request up to date: new HR changes replace the "
        "file (and so need a new review); when nothing is left to do, it is closed.",
    ]
    if refusal is not None:
        head.insert(1, f"⛔ **Unsafe plan**: {escape(refusal)} Merged, it applies nothing.")
    if again is not None:
        head.insert(0, again)
    where = f"[this run]({run_url})" if run_url else "the sync run"
    note = f"> The full plan ({len(plan.changes)} changes) is in the job summary of {where}."
    return fit(head, plan_sections(plan), limit, note=note, tail=[footer(run_url)])


def sync_closed(key: str, *, run_url: str | None, awaiting: int = 0) -> str:
    """The last word on a sync pull request with nothing left to do (``awaiting``: people
    whose prepared upload is not in Ledgy yet; they are not proposed again)."""
    done = (
        f"✅ Nothing to sync for `{key}`: Ledgy is in step with CharlieHR, so this pull "
        "request is closed and its branch deleted."
    )
    if awaiting:
        done = (
            f"⏳ Nothing new to sync for `{key}`: the {awaiting} awaiting upload are "
            "prepared already (the drift issue names the folders), so this pull request is "
            "closed and its branch deleted."
        )
    return f"{done}\n\n{footer(run_url)}\n"

"""``reconciler sync``: the everyday path for HR changes, as one reviewable pull request.

Run on a schedule. When the plan has changes it opens, or updates in place, ONE pull
request from a fixed branch (``reconciler/sync/<config>``) that changes only the
saved plan file next to the config (``company.yaml`` -> ``company.plan.json``), with
the Markdown plan as its body. Merging it applies exactly that file (``apply
--from-pr``). A run with nothing to do closes the pull request and deletes the
branch. The drift issue stays as the notice, and links the pull request.

GitHub runs no workflow on a pull request opened with the workflow's token, so the
checks branch protection requires (the plan workflow's) would never report on it:
the sync job reports them itself on the branch's head, as check runs under the same
names, with the plan as their summary (:mod:`reconciler.render.checks`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconciler import concurrency, pipeline
from reconciler.commands.again import Standing, holds_plan, standing
from reconciler.commands.context import open_run
from reconciler.commands.plan import read_and_plan, saved_text
from reconciler.commands.repository import branch_of, plan_file_of, repo_path
from reconciler.config.keys import declared_as, key_of
from reconciler.engine.plan import Plan
from reconciler.engine.ruletests import RuleTestResult, run_rule_tests
from reconciler.errors import GitHubError
from reconciler.github.actions import write_summary
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext, actions_context
from reconciler.github.models import File, PullRequest
from reconciler.github.publish import client_for, publish_drift
from reconciler.github.sticky import room_for, sync_marker, with_marker
from reconciler.render.backlog import proposed_again, proposed_again_note
from reconciler.render.checks import (
    CheckReport,
    every_config_check,
    plan_check,
    validation_check,
)
from reconciler.render.comment import sync_closed, sync_pull_body
from reconciler.scaffold.files import plan_checks


@dataclass(frozen=True)
class Target:
    """Where one config's sync pull request lives."""

    key: str
    path: str
    """The saved plan file, as the repository names it."""
    branch: str
    config: str
    """The config, as the repository names it."""
    name: str | None = None
    """Its name in reconciler.yaml (the plan jobs' checks carry it); ``None`` without one."""


def sync(config: Path, *, sandbox: Path | None = None, as_of: date | None = None) -> int:
    """Open, update or close the sync pull request of a config.

    An unsafe plan still gets its pull request, which says so (merged, it applies
    nothing); the exit code is 0 unless GitHub or a system cannot be read.
    """
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    _, result = read_and_plan(run)
    refusal = pipeline.unsafe(result, run.loaded)
    key = key_of(config)
    declared = declared_as(config)
    name = declared.name if declared is not None else None
    target = Target(key, repo_path(plan_file_of(config)), branch_of(key), repo_path(config), name)
    reason = refusal.message if refusal is not None else None
    approvals = run.loaded.config.safety.required_approvals
    tests = run_rule_tests(run.loaded.config, pipeline.today())
    outcome = concurrency.run(_sync(result, config, target, reason, approvals, tests))
    print(outcome, file=sys.stderr)
    return 0


async def _sync(
    result: Plan,
    config: Path,
    target: Target,
    refusal: str | None,
    approvals: int,
    tests: Sequence[RuleTestResult],
) -> str:
    ctx = actions_context()
    async with client_for(ctx) as client:
        base = (await client.repo()).default_branch
        found = await client.pulls(head=target.branch, base=base)
        pull = found[0] if found else None
        if not result.has_changes:  # people awaiting a prepared upload are not proposed again
            said = await _close(client, ctx, pull, target, awaiting=result.awaiting_upload)
            await publish_drift(client, ctx, result, key=target.key)
            return said
        text = saved_text(result, config)
        on_base = await client.get_file(target.path, base)
        again = None
        if holds_plan(on_base.text if on_base is not None else None, text):
            again = await _standing(client, ctx, target, base, result)
            if again.due is not None:  # merged with its approvals: the apply is due
                if pull is not None:
                    await _close(client, ctx, pull, target)
                await publish_drift(client, ctx, result, key=target.key)
                return again.due
            text = saved_text(result, config, again=again.again)
        head = await _write_branch(client, target, base, text, on_base)
        lead = proposed_again(again.after, again.why) if again is not None else None
        visible = _visible(result, target, refusal, approvals, ctx.run_url, lead)
        opened = pull is None
        pull, said = await _open_or_update(client, pull, result, target, base, visible)
        if again is not None and again.after is not None and opened:
            note = proposed_again_note(target.key, pull.number, again.why)
            await client.create_comment(again.after, note)
            said += f"; told #{again.after} why its plan is proposed again"
        await publish_drift(client, ctx, result, key=target.key, sync_url=pull.html_url)
        reports = _checks(result, target, refusal, tests, visible)
        said += "\n" + await _report(client, ctx, head, reports, target.branch)
        write_summary(ctx.step_summary, said + "\n")
        return said


async def _standing(
    client: GitHubClient, ctx: ActionsContext, target: Target, base: str, result: Plan
) -> Standing:
    return await standing(
        client,
        ctx,
        key=target.key,
        config=target.config,
        path=target.path,
        branch=target.branch,
        base=base,
        checksum=result.checksum,
    )


def _visible(
    result: Plan,
    target: Target,
    refusal: str | None,
    approvals: int,
    run_url: str | None,
    again: str | None = None,
) -> str:
    """The plan as the pull request's body shows it (without its hidden marker)."""
    return sync_pull_body(
        result,
        key=target.key,
        path=target.path,
        approvals=approvals,
        refusal=refusal,
        run_url=run_url,
        limit=room_for(sync_marker(target.key)),
        again=again,
    )


async def _open_or_update(
    client: GitHubClient,
    pull: PullRequest | None,
    result: Plan,
    target: Target,
    base: str,
    visible: str,
) -> tuple[PullRequest, str]:
    """The one pull request from the sync branch, with the plan as its body."""
    body = with_marker(sync_marker(target.key), visible)
    title = _title(result, target.key)
    if pull is None:
        made = await client.create_pull(title=title, head=target.branch, base=base, body=body)
        return made, f"sync pull request opened: {made.html_url}"
    changed = await client.update_pull(pull.number, title=title, body=body)
    return changed, f"sync pull request updated: {changed.html_url}"


def _title(result: Plan, key: str) -> str:
    counts = result.summary()
    return f"Sync {key}: {counts['create']} to create, {counts['update']} to update in Ledgy"


def _checks(
    result: Plan,
    target: Target,
    refusal: str | None,
    tests: Sequence[RuleTestResult],
    visible: str,
) -> tuple[CheckReport, ...]:
    """The plan workflow's required checks, as the sync job did their work."""
    where = {"config": target.key, "plan_file": target.path, "plan_body": visible}
    names = plan_checks(target.name)
    reports = (
        validation_check(names[0], tests=tests, **where),
        plan_check(names[1], plan=result, refusal=refusal, **where),
    )
    if target.name is None:
        return reports
    return (*reports, every_config_check(names[2], reports))


async def _report(
    client: GitHubClient,
    ctx: ActionsContext,
    head: str | None,
    reports: Sequence[CheckReport],
    branch: str,
) -> str:
    """Report each check on the sync branch's head commit (``checks: write``), if that
    commit is the sync job's: only then is what it checked what the commit holds."""
    if head is None:
        return (
            f"no checks reported: {branch} holds commits the sync job did not write on the "
            "base branch; a push to it runs the plan workflow, which reports them"
        )
    for report in reports:
        await client.create_check_run(
            head,
            report.name,
            conclusion=report.conclusion,
            title=report.title,
            summary=report.summary,
            details_url=ctx.run_url,
        )
    said = ", ".join(f"'{r.name}' ({r.conclusion})" for r in reports)
    return f"reported the checks {said} on {head[:12]}"


async def _write_branch(
    client: GitHubClient, target: Target, base: str, text: str, on_base: File | None
) -> str | None:
    """Make the branch one commit on top of the base that writes the plan file, and
    return that commit.

    A branch that already holds exactly this file is left alone, so the reviews
    given to its head commit still count; its head is returned only if it is still
    that one commit on top of the base (``None`` once someone else added to it, or
    the base moved on).
    """
    base_ref = await client.get_ref(base)
    if base_ref is None:
        raise GitHubError(f"the base branch {base} does not exist")
    base_sha = base_ref.sha
    ref = await client.get_ref(target.branch)
    if ref is not None:
        current = await client.get_file(target.path, target.branch)
        if current is not None and current.text == text:
            head = ref.sha
            return head if await _plan_on(client, head, base_sha, target.path) else None
        await client.update_ref(target.branch, base_sha, force=True)
    else:
        await client.create_ref(target.branch, base_sha)
    written = await client.put_file(
        target.path,
        text,
        message=f"reconciler: the plan for {target.key}",
        branch=target.branch,
        sha=on_base.sha if on_base is not None else None,
    )
    return written.commit  # None: the branch was deleted under this run


async def _plan_on(client: GitHubClient, head: str, base_sha: str, path: str) -> bool:
    """Whether ``head`` is one commit on ``base_sha`` that changes only the plan file."""
    commit = await client.commit(head)
    return commit.parents == (base_sha,) and commit.files == (path,)


async def _close(
    client: GitHubClient,
    ctx: ActionsContext,
    pull: PullRequest | None,
    target: Target,
    *,
    awaiting: int = 0,
) -> str:
    if pull is not None:
        number = pull.number
        closed = sync_closed(target.key, run_url=ctx.run_url, awaiting=awaiting)
        await client.create_comment(number, closed)
        await client.update_pull(number, state="closed")
    deleted = await client.delete_ref(target.branch)
    if pull is not None:
        return f"nothing to sync: closed #{pull.number} and deleted {target.branch}"
    return "nothing to sync" + (f": deleted {target.branch}" if deleted else "")

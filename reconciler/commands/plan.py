"""``reconciler plan``: read both systems and show what an apply would do.

With ``--comment`` the plan is also the sticky comment of the pull request; with
``--drift-issue`` it keeps the drift issue up to date. Every plan run in GitHub
Actions writes its Markdown to the job summary.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reconciler import concurrency, pipeline
from reconciler.artifacts.identity_files import refuse_exposed_identities
from reconciler.commands.context import Run, open_run, use_colour, write_output
from reconciler.concurrency import Ahead
from reconciler.config.keys import key_of
from reconciler.config.load import LoadedConfig, load_config
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.github.context import actions_context, summary_file
from reconciler.warmup import Warmup

if TYPE_CHECKING:
    # What is needed only once both sides are read (the engine's planning, the
    # renderers, GitHub) is imported where it is used: a plan's first request goes out
    # sooner, and warm_up() imports it while the reads are in flight.
    from reconciler.commands.rules import Guard
    from reconciler.config.model import Config
    from reconciler.engine.effect import Effect
    from reconciler.engine.plan import Plan

Format = Literal["text", "markdown", "json"]


async def compute(run: Run) -> Plan:
    """Read both sides once and build the plan."""
    return pipeline.plan_from(run.loaded, await read_once(run), run.key)


async def read_once(
    run: Run, meanwhile: Callable[[], object] | None = None, warmup: Warmup | None = None
) -> pipeline.Reading:
    """Read both sides, then let go of the clients (``meanwhile``, ``warmup``: see
    pipeline.read)."""
    sides = run.sides()
    try:
        reading = await pipeline.read(sides, run.loaded, meanwhile=meanwhile, warmup=warmup)
    finally:
        await sides.aclose()
    # What was read lives until the run ends: no collection need walk it again while
    # the plan is computed (a tenth of the planning time at 10,000 employees).
    gc.freeze()
    return reading


async def read_checked(
    run: Run, meanwhile: Callable[[], object] | None = None, warmup: Warmup | None = None
) -> pipeline.Reading:
    """Read both sides, then refuse people a sibling config would manage too."""
    reading = await read_once(run, meanwhile, warmup)
    from reconciler.commands.siblings import refuse_shared_people

    await refuse_shared_people(run, reading.employees)
    return reading


def read_and_plan(
    run: Run, imports: Callable[[], object] | None = None
) -> tuple[pipeline.Reading, Plan]:
    """Read both sides and build the plan, with no garbage collection in between.

    While the reads are in flight a thread makes ``imports`` (by default
    :func:`planning_imports`): what is needed only once both sides are read; and as
    the last pages arrive, the people read so far are planned ahead
    (:mod:`reconciler.warmup`).
    """
    ahead = Ahead(imports or planning_imports)
    warmup = Warmup(run.loaded.config, key=run.key)
    with collection_paused():
        reading = concurrency.run(read_checked(run, ahead.start, warmup))
        ahead.join()
        return reading, pipeline.plan_from(run.loaded, reading, run.key, warmup.memo)


def planning_imports() -> None:
    """Import what checking and planning what was read needs (not what reading needs).

    Run in a thread while the reads are in flight (:func:`read_and_plan`): a tenth of a
    second and more that no longer stands between the start and the first request, nor
    between the last answer and the plan.
    """
    from reconciler.artifacts import applied_record  # noqa: F401 - imported for later
    from reconciler.commands import siblings  # noqa: F401
    from reconciler.engine import build, guards, pins, safety  # noqa: F401
    from reconciler.engine.diff import load_deepdiff

    load_deepdiff()


def plan_imports(output_format: Format, *, summary: bool, save: bool) -> Callable[[], None]:
    """What ``plan`` imports while the reads are in flight: the planning, and the
    renderers and the saved plan's checksum as this run will need them."""

    def imports() -> None:
        planning_imports()
        if output_format == "json":
            from reconciler.render import json_plan  # noqa: F401 - imported for later
        elif output_format == "text":
            from reconciler.render import text  # noqa: F401
        if output_format == "markdown" or summary:
            from reconciler.github import actions  # noqa: F401
            from reconciler.render import markdown  # noqa: F401
        if save:
            from reconciler.engine import approval  # noqa: F401

    return imports


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; what was made inside is never walked again.

    What a run reads lives until the plan is made, and little of what it makes is
    cyclic garbage: each collection walked the young objects to free next to nothing,
    and the few that ran while the last pages arrived or the plan was computed
    cost a seventh of a second at 10,000 employees (bench/e2e.py, which also
    prints the peak memory this leaves). Freezing at the end keeps the first
    collection after it from walking everything made inside (30 ms).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def render(plan: Plan, output_format: Format, *, show_values: bool, color: bool) -> str:
    """The plan in the asked format."""
    if output_format == "json":
        from reconciler.render.json_plan import render_json

        return render_json(plan, show_values=show_values)
    if output_format == "markdown":
        from reconciler.render.markdown import render_markdown

        return render_markdown(plan, show_values=show_values)
    from reconciler.render.text import render_text

    return render_text(plan, color=color, show_values=show_values)


def base_text(path: Path | None) -> str | None:
    """The text of ``--base-config``: ``None`` when the file is absent or empty (the config
    is new on the base branch)."""
    if path is None or not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReconcilerError(f"{path}: cannot be read ({type(error).__name__})") from None
    return text if text.strip() else None


def base_config(text: str | None, path: Path) -> Config | None:
    """The base branch's config (``text``, named ``path``): ``None`` when it does not
    exist there (a new config) or is invalid (said in a warning)."""
    if text is None:
        return None
    try:
        return load_config(path, text=text).config
    except ConfigError as error:
        print(
            f"warning: the base config {path} is invalid ({error.message}); the comment cannot "
            "separate this PR's effect from pending HR changes",
            file=sys.stderr,
        )
        return None


async def pull_guard(config: Path, run: Run, base: Path | None) -> Guard:
    """The pull request's config held against its base branch's (``--base-config``, else
    the config read through GitHub's API at the pull request's base commit)."""
    from reconciler.commands.repository import repo_path
    from reconciler.commands.rules import guard_of, pull_base_text
    from reconciler.github.publish import client_for

    local = True if run.sandbox is not None else None
    if base is not None:
        return guard_of(run.loaded, base_text(base), str(base), local=local)
    ctx = actions_context()
    async with client_for(ctx) as client:
        text, where = await pull_base_text(client, ctx, repo_path(config))
    return guard_of(run.loaded, text, where, local=local)


def plan(
    config: Path,
    *,
    sandbox: Path | None = None,
    output_format: Format = "text",
    out: Path | None = None,
    detailed_exitcode: bool = False,
    show_values: bool = False,
    as_of: date | None = None,
    comment: bool = False,
    base: Path | None = None,
    drift_issue: bool = False,
    save: Path | None = None,
) -> int:
    """Print the plan; exit 2 for changes with ``detailed_exitcode``, 1 when unsafe.

    With ``save`` the plan is also written as a saved plan file (masked values, the
    keyed checksum and one keyed digest per change) that ``apply --plan`` takes.
    """
    refuse_exposed_identities(config)
    run = open_run(config, sandbox=sandbox, as_of=as_of)
    key = key_of(config)
    guard = concurrency.run(pull_guard(config, run, base)) if comment else None
    if guard is not None:
        # The rules and the endpoints in force are the base branch's, never this PR's.
        run.loaded = guard.judged(run.loaded)
        if guard.untrusted:
            return _unplanned(key, guard)
    imports = plan_imports(output_format, summary=summary_file() is not None, save=save is not None)
    reading, result = read_and_plan(run, imports)
    write_output(render(result, output_format, show_values=show_values, color=use_colour(out)), out)
    if save is not None:
        save_plan(result, config, save)
    refusal = pipeline.unsafe(result, run.loaded)
    summary = summary_file()
    if summary is not None:  # rendering a large plan twice costs a tenth of a second per 10,000
        from reconciler.github.actions import write_summary
        from reconciler.render.markdown import render_markdown

        first = f"{guard.section}\n\n" if guard is not None and guard.section else ""
        write_summary(
            summary, f"### Reconciler plan for `{key}`\n\n{first}" + render_markdown(result)
        )
    if comment or drift_issue:
        effect = _effect(run.loaded, reading, result, guard, base) if guard and base else None
        reason = refusal.message if refusal is not None else None
        approvals = run.loaded.config.safety.required_approvals
        rules = guard.section if guard is not None else None
        posted = _publish(result, key, effect, reason, approvals, rules, comment, drift_issue)
        concurrency.run(posted)
    if refusal is not None:
        raise refusal
    # A prepared upload not in Ledgy yet is a pending change too: never "in step".
    return 2 if detailed_exitcode and not result.in_step else 0


def saved_text(result: Plan, config: Path, *, again: Mapping[str, object] | None = None) -> str:
    """The saved plan file's text: the same bytes whenever the plan is the same (and
    ``again``, which says why it is proposed again, is the same)."""
    from reconciler.engine.approval import saved_plan

    data = saved_plan(result, config=config.as_posix(), again=again)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_plan(result: Plan, config: Path, path: Path) -> None:
    """Write the saved plan file (left untouched when its bytes would not change)."""
    text = saved_text(result, config)
    try:
        if path.exists() and path.read_text(encoding="utf-8") == text:
            print(f"{path} is up to date", file=sys.stderr)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot be written ({error.strerror})") from None
    print(f"saved the plan to {path}", file=sys.stderr)


def _effect(
    loaded: LoadedConfig, reading: pipeline.Reading, result: Plan, guard: Guard, where: Path
) -> Effect:
    from reconciler.engine.effect import pr_effect

    base = base_config(guard.base_text, where)
    return pr_effect(
        reading.employees, reading.state, loaded.config, base, result, gaps=reading.gaps
    )


def _unplanned(key: str, guard: Guard) -> int:
    """Post the rules and no plan: nothing is read with endpoints no one vouches for."""
    section = guard.section or ""
    print(
        f"not planned: {key} names endpoints the base branch does not vouch for "
        f"({', '.join(guard.untrusted)}); nothing was read with the CharlieHR or Ledgy keys",
        file=sys.stderr,
    )
    summary = summary_file()
    if summary is not None:
        from reconciler.github.actions import write_summary

        write_summary(summary, f"### Reconciler plan for `{key}`\n\n{section}\n")

    async def publish() -> None:
        from reconciler.github.publish import client_for, publish_unplanned

        ctx = actions_context()
        async with client_for(ctx) as client:
            await publish_unplanned(client, ctx, key=key, rules=section)

    concurrency.run(publish())
    return 0


async def _publish(
    result: Plan,
    key: str,
    effect: Effect | None,
    refusal: str | None,
    approvals: int,
    rules: str | None,
    comment: bool,
    drift: bool,
) -> None:
    from reconciler.github.publish import client_for, publish_drift, publish_plan

    ctx = actions_context()
    async with client_for(ctx) as client:
        if comment:
            posted = await publish_plan(
                client,
                ctx,
                result,
                key=key,
                effect=effect,
                refusal=refusal,
                approvals=approvals,
                rules=rules,
            )
            print(f"plan comment: {posted.html_url or posted.id}", file=sys.stderr)
        if drift:
            issue = await publish_drift(client, ctx, result, key=key)
            state = "closed (no drift)" if issue is None else f"#{issue.number}"
            print(f"drift issue: {state}", file=sys.stderr)

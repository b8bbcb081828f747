"""A plan refuses people whom two configs of one Ledgy company would both manage.

With an index, the plan of one config loads the other configs that write to the same
Ledgy company (its siblings) and judges each sibling's ``sync_if`` on the employees:
those of this plan's read when the sibling reads the same CharlieHR account, else
its own read. A work email that passes both is refused, naming both configs: each
plan would otherwise undo the other's writes. ``plan`` and ``sync`` check it after
their read, and so does every ``apply`` (by hand, ``--auto-approve``, from a merged
pull request) before it plans what to write: an apply plans afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.commands.context import Run
from reconciler.commands.validate import shown
from reconciler.config.index import INDEX_FILE, DeclaredConfig, find_configs
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import hr_secrets
from reconciler.domain.employee import Employee
from reconciler.engine.siblings import Named, hris_account, same_company, shared_people
from reconciler.errors import ReconcilerError
from reconciler.sources.charliehr.source import charliehr_source

SHOWN = 10
"""People named in the refusal at most (the count says the rest)."""


class SharedPeopleError(ReconcilerError):
    """Two configs of one Ledgy company would both manage the same people."""


async def refuse_shared_people(
    run: Run, employees: Sequence[Employee], root: Path | None = None
) -> None:
    """Raise :class:`SharedPeopleError` when a sibling config would manage someone this
    plan manages; nothing to do without an index or siblings."""
    root = Path.cwd() if root is None else root
    if not (root / INDEX_FILE).is_file():
        return
    local = True if run.sandbox is not None else None  # as open_run loaded this config
    own, found = siblings(root, run.loaded, local=local)
    for name, sibling in found:
        theirs = employees if _reads_as_ours(run, sibling) else await _read(run, sibling)
        shared = shared_people(run.loaded.config, employees, sibling.config, theirs)
        if shared:
            raise _refusal((own, run.loaded), (name, sibling), shared)


def siblings(
    root: Path, loaded: LoadedConfig, *, local: bool | None
) -> tuple[str, list[tuple[str, LoadedConfig]]]:
    """``loaded``'s name, and the other declared configs (by name) that write to its
    Ledgy company; none when ``loaded`` is not declared."""
    declared = find_configs(root)
    path = loaded.path.resolve()
    own = [c.name for c in declared if (root / c.path).resolve() == path]
    if not own:
        return "", []
    candidates = [(c.name, _load(root, c, local)) for c in declared if c.name != own[0]]
    named = [Named(name, one.config) for name, one in candidates]
    kept = {n.name for n in same_company(named, loaded.config)}
    return own[0], [(name, one) for name, one in candidates if name in kept]


def _load(root: Path, config: DeclaredConfig, local: bool | None) -> LoadedConfig:
    return load_config(shown(root, config.path), local=local)


def _reads_as_ours(run: Run, sibling: LoadedConfig) -> bool:
    # The sandbox serves one CharlieHR account, whatever the configs say.
    return run.sandbox is not None or hris_account(sibling.config) == hris_account(
        run.loaded.config
    )


async def _read(run: Run, sibling: LoadedConfig) -> Sequence[Employee]:
    source = charliehr_source(sibling, hr_secrets(sibling), today=run.today)
    async with source.client:
        return await source.read()


def _refusal(
    ours_named: tuple[str, LoadedConfig],
    theirs_named: tuple[str, LoadedConfig],
    shared: Sequence[str],
) -> SharedPeopleError:
    (own, ours), (sibling, theirs) = ours_named, theirs_named
    here = ours.problem_at(("stakeholders", "sync_if"), "")
    there = theirs.problem_at(("stakeholders", "sync_if"), "")
    listed = ", ".join(shared[:SHOWN]) + (
        f" and {len(shared) - SHOWN} more" if len(shared) > SHOWN else ""
    )
    noun = "person" if len(shared) == 1 else "people"
    return SharedPeopleError(
        f"{len(shared)} {noun} would be managed by both configs {own} ({ours.display_path}) "
        f"and {sibling} ({theirs.display_path}), which write to the same Ledgy company "
        f"'{ours.config.ledgy.company}': {listed}; nothing is planned",
        remedy=f"make the sync_if rules at {here.path}:{here.line} and {there.path}:{there.line} "
        "exclude each other (a rule on entity, say), so that each person has one config",
    )

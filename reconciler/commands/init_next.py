"""``reconciler init --config PATH`` in a repository that holds a config already: add
the next config to reconciler.yaml, without touching the first.

The index is written from the existing single config when there was none (it keeps
the name ``company``, so its branches, issues and environments stay as they were).
The three workflows become one job per config (a matrix built from the index) when
they are still the ones ``init`` wrote for the first config; edited ones are kept and
said. CODEOWNERS gets the new config's line, and the config its own checklist.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from reconciler.config.index import INDEX_FILE, DeclaredConfig, find_configs
from reconciler.config.index_model import DEFAULT_NAME, default_name, name_problem
from reconciler.config.schema import DEFAULT_PATH, INDEX_SCHEMA, render_index_schema
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.scaffold.files import (
    MATRIX_MARK,
    PLAN_CHECKS,
    Scaffold,
    ScaffoldFile,
    codeowners_lines,
    required_check_note,
    required_checks,
    scaffold_files,
    setup_path,
    setup_with_matrix,
    workflow_files,
)
from reconciler.scaffold.index_file import codeowners_addition, new_index, with_entry

Write = Callable[[Path, ScaffoldFile], None]
_CONFIG_LINE = re.compile(r"^\s+config: ([A-Za-z0-9_][A-Za-z0-9._/-]*\.ya?ml)\s*$", re.M)
CODEOWNERS = PurePosixPath(".github/CODEOWNERS")


def existing_configs(directory: Path) -> tuple[DeclaredConfig, ...]:
    """The configs the repository holds: the index's, else the one the scaffolded plan
    workflow names, else the root company.yaml."""
    if (directory / INDEX_FILE).exists():
        return find_configs(directory)
    workflow = directory / ".github" / "workflows" / "reconciler-plan.yml"
    try:
        text = workflow.read_text(encoding="utf-8") if workflow.is_file() else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    found = _CONFIG_LINE.search(text)
    if found and (directory / found.group(1)).is_file():
        return (DeclaredConfig(DEFAULT_NAME, Path(found.group(1))),)
    return find_configs(directory)


def is_next(directory: Path, config: str) -> tuple[DeclaredConfig, ...] | None:
    """The configs already there when ``config`` is another one; else ``None`` (the first
    config, or one already declared: today's ``init``)."""
    configs = existing_configs(directory)
    if not configs or any(c.path.as_posix() == config for c in configs):
        return None
    return configs


def checked_name(config: str, configs: tuple[DeclaredConfig, ...]) -> str:
    """The name the new config takes by default, if it is valid and free."""
    name = default_name(PurePosixPath(config))
    taken = {c.name for c in configs}
    problem = name_problem(name) or (f"the name '{name}' is taken" if name in taken else None)
    if problem is not None:
        raise ReconcilerError(
            f"--config {config}: {problem}",
            remedy=f"put the config at a path whose directory names it "
            f"(companies/NAME/company.yaml), or list it in {INDEX_FILE} by hand with a "
            "name: of its own",
        )
    return name


def add_next(
    directory: Path,
    scaffold: Scaffold,
    first: tuple[DeclaredConfig, ...],
    *,
    single: Callable[[str], Scaffold],
    write: Write,
    force: bool,
) -> list[str]:
    """Write the next config's files; return what was kept (the caller says so).

    ``single(path)`` is the scaffold ``init`` wrote for a config alone, to tell
    whether the workflows are still as it wrote them.
    """
    kept: list[str] = []
    files = scaffold_files(scaffold)
    config, setup = files[0], files[-1]
    index_schema = ScaffoldFile(
        PurePosixPath(DEFAULT_PATH).parent / INDEX_SCHEMA, render_index_schema()
    )
    for file in (config, files[1], index_schema, setup):
        if _keep(directory / file.path, force):
            kept.append(str(file.path))
        else:
            write(directory, file)
            print(f"wrote {directory / file.path}")
    _declare(directory, scaffold.config, first)
    was_single = single(first[0].path.as_posix())
    moved = False
    for file in workflow_files(scaffold):
        now_matrix = _workflow(directory, file, was_single, write, kept, force=force)
        moved = moved or (now_matrix and file.path.name == "reconciler-plan.yml")
    if moved:
        _required_check(directory, scaffold, was_single, write)
    _codeowners(directory, scaffold)
    return kept


def _keep(target: Path, force: bool) -> bool:
    # A symlink is never written through, even with --force: it may point anywhere.
    return target.is_symlink() or (target.exists() and not force)


def _declare(directory: Path, config: str, first: tuple[DeclaredConfig, ...]) -> None:
    """Add ``config`` to the index (made from the single config when there is none)."""
    index = directory / INDEX_FILE
    try:
        if not index.exists():
            index.write_text(new_index(first[0].path.as_posix(), config), encoding="utf-8")
            print(f"wrote {index}: {first[0].path.as_posix()} (as {DEFAULT_NAME}) and {config}")
        elif not any(c.path.as_posix() == config for c in find_configs(directory)):
            text = index.read_text(encoding="utf-8")
            index.write_text(with_entry(text, config), encoding="utf-8")
            print(f"added {config} to {index}")
        else:
            print(f"{index} declares {config} already")
        find_configs(directory)
    except OSError as error:
        raise ReconcilerError(
            f"{index}: cannot be written ({error.strerror})",
            remedy=f"add `- path: {config}` under configs: by hand",
        ) from None
    except ConfigError as error:
        raise ReconcilerError(
            f"{index} does not read back with {config} in it:\n{error.message}",
            remedy=f"fix it by hand: `- path: {config}` under configs:, then `reconciler validate`",
        ) from None


def _workflow(
    directory: Path,
    file: ScaffoldFile,
    single: Scaffold,
    write: Write,
    kept: list[str],
    *,
    force: bool,
) -> bool:
    """Write the workflow as a job per config unless it was edited; return whether it
    runs a job per config now and did not before."""
    target = directory / file.path
    if target.is_symlink():
        kept.append(str(file.path))
        return False
    text = target.read_text(encoding="utf-8") if target.is_file() else None
    if text is not None and MATRIX_MARK in text and not force:
        print(f"kept  {target} (it runs a job per config already)")
        return False
    written = {str(f.path): f.text for f in workflow_files(single)}
    if text is None or force or text == written.get(str(file.path)):
        write(directory, file)
        print(f"wrote {target} (a job per config)")
        return text is None or MATRIX_MARK not in text
    print(
        f"warning: {target} was edited, so it was kept, and still runs {single.config} "
        f"only; run every config with a job per config: compare it with "
        f"`reconciler init --config {single.config}` in an empty directory, or delete it "
        "and run this again",
        file=sys.stderr,
    )
    return False


def _required_check(directory: Path, scaffold: Scaffold, first: Scaffold, write: Write) -> None:
    """Say that branch protection must require ``reconciler plan`` now, and put it in the
    first config's SETUP.md: rewritten when it is still as ``init`` wrote it, else a note
    beside it (an edited SETUP.md is kept)."""
    (check,) = required_checks(True)
    old = " and ".join(f"`{c}`" for c in PLAN_CHECKS)
    print(
        f"required check: the workflows run a job per config now, so branch protection of "
        f"{scaffold.branch} must require `{check}` (from GitHub Actions) instead of {old}: "
        "no workflow reports those two any more, and pull requests would wait for them"
    )
    setup = directory / setup_path(first)
    if not setup.exists() and not setup.is_symlink():
        return  # nothing says otherwise; the line above and the new SETUP.md say it
    try:
        text = None if setup.is_symlink() else setup.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    if text == scaffold_files(first)[-1].text:
        write(directory, setup_with_matrix(first))
        print(f"updated {setup}: step 4 requires `{check}`")
        return
    note = required_check_note(scaffold)
    if (directory / note.path).is_symlink():
        return
    write(directory, note)
    print(f"wrote {directory / note.path} ({setup} was edited, so it was kept as it is)")


def _codeowners(directory: Path, scaffold: Scaffold) -> None:
    path = directory / CODEOWNERS
    if path.is_symlink():
        return
    try:
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        added = codeowners_addition(existing, codeowners_lines(scaffold.config), scaffold.config)
        if added:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as file:
                file.write(added)
            print(f"added to {path}: {codeowners_lines(scaffold.config).splitlines()[0]}")
    except (OSError, UnicodeDecodeError) as error:
        raise ReconcilerError(
            f"{path}: cannot be updated ({getattr(error, 'strerror', None) or error})",
            remedy=f"add this line to it by hand: {codeowners_lines(scaffold.config)}",
        ) from None


def checklist(scaffold: Scaffold) -> str:
    """What is left to do on GitHub for the new config, in a few lines."""
    plan_env, apply_env = scaffold.environments
    secrets = ", ".join((*scaffold.secrets, "RECONCILER_PLAN_KEY"))
    return (
        f"next: the config {scaffold.name} runs in the GitHub environments {plan_env} "
        f"(plan, sync) and {apply_env} (apply, allow only {scaffold.branch});\n"
        f"      give both its secrets: {secrets}\n"
        f"      then run `reconciler validate` (every config) and `reconciler doctor "
        f"{scaffold.name}`"
    )

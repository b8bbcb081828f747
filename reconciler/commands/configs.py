"""``reconciler configs``: the configs to run, as the workflows' matrix.

With ``--changed BASE HEAD`` only the configs whose files the commits between change
(:func:`reconciler.config.matrix.touched`); when Git cannot tell (a commit missing from
the checkout, a new branch), every config: a plan is never skipped by doubt. With
``--merged`` a shared file (a workflow, the index) selects nothing by itself: a merge
applies only the configs whose own files it changes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from reconciler.config.index import DeclaredConfig, find_configs, resolve_config
from reconciler.config.load import load_config
from reconciler.config.matrix import MatrixEntry, is_shared, matrix_entry, touched
from reconciler.engine.siblings import ledgy_company
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.git_command import git_output

NO_COMMIT = "0" * 40
"""What GitHub sends as ``before`` for a branch that did not exist."""


def changed_files(base: str, head: str, root: Path) -> list[str] | None:
    """The files the commits from ``base`` to ``head`` change; ``None`` when Git cannot tell."""
    if base == NO_COMMIT or not base or not head:
        return None
    named = git_output(root, "diff", "--name-only", "--no-renames", base, head, "--", timeout=60)
    return None if named is None else [line for line in named.splitlines() if line]


def _entry(root: Path, config: DeclaredConfig) -> MatrixEntry:
    try:
        company = ledgy_company(load_config(root / config.path).config)
    except (ConfigError, ReconcilerError):
        company = None  # the check job says what is wrong with it
    return matrix_entry(config.name, config.path, company)


def select(
    root: Path, changed: tuple[str, str] | None, *, merged: bool = False
) -> tuple[DeclaredConfig, ...]:
    """The declared configs to run for ``changed`` (every one when ``None``)."""
    declared = find_configs(root)
    if changed is None:
        return declared
    files = changed_files(*changed, root)
    if files is None:
        print(
            f"git cannot tell what changed between {changed[0][:12]} and {changed[1][:12]} "
            "(fetch-depth?): every config runs",
            file=sys.stderr,
        )
        return declared
    if merged:
        files = [path for path in files if not is_shared(path)]
    return touched(declared, files)


def configs(
    name: str | None = None,
    *,
    changed: tuple[str, str] | None = None,
    merged: bool = False,
    as_json: bool = False,
    root: Path | None = None,
) -> int:
    """Print the configs to run (``name``: that one alone, if the change selects it): one
    per line, or the matrix as JSON (a list)."""
    root = Path.cwd() if root is None else root
    chosen = select(root, changed, merged=merged)
    if name:
        wanted = resolve_config(root, name)
        chosen = tuple(config for config in chosen if config.name == wanted.name)
    entries = [_entry(root, config) for config in chosen]
    print(render(entries, as_json=as_json))
    return 0


def render(entries: Sequence[MatrixEntry], *, as_json: bool) -> str:
    """The entries as one JSON line (the workflows' matrix), or a line per config."""
    if as_json:
        return json.dumps([entry.as_json() for entry in entries], separators=(",", ":"))
    if not entries:
        return "no config to run"
    width = max(len(entry.name) for entry in entries)
    return "\n".join(f"{entry.name.ljust(width)}  {entry.config}" for entry in entries)

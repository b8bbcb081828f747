"""The key a config's markers, sync branch and drift issue carry, read from the index.

With no index a config is keyed by its path as given (today's behaviour); with one, a
declared config by its name, except the root ``company.yaml``, which keeps its path
(:func:`reconciler.config.matrix.config_key`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.config.matrix import INDEX_FILE, config_key

if TYPE_CHECKING:
    # The index's model is imported only where there is an index: a config without one
    # reaches its first request sooner.
    from reconciler.config.index import DeclaredConfig


def declared_as(config: Path, root: Path | None = None) -> DeclaredConfig | None:
    """The index's entry for the file ``config``, or ``None`` (no index, not declared)."""
    root = Path.cwd() if root is None else root
    if not (root / INDEX_FILE).is_file():
        return None
    from reconciler.config.index import find_configs

    try:
        wanted = config.resolve()
        return next((c for c in find_configs(root) if (root / c.path).resolve() == wanted), None)
    except OSError:
        return None


def key_of(config: Path, root: Path | None = None) -> str:
    """The key of the config at ``config`` (a path as the command was given it)."""
    declared = declared_as(config, root)
    if declared is None:
        return config.as_posix()
    return config_key(declared.name, declared.path)

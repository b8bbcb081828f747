"""Where a config's files and its sync pull request are, as the repository names them.

The saved plan file beside a config, a path relative to the checkout, and the fixed
branch of a config's sync pull request: what ``sync``, ``plan``, the apply from a
merged pull request and the pending store all name the same way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reconciler.artifacts.applied_record import saved_plan_file
from reconciler.errors import ReconcilerError

BRANCH_PREFIX = "reconciler/sync/"


def plan_file_of(config: Path) -> Path:
    """The saved plan file next to a config: ``company.yaml`` -> ``company.plan.json``."""
    return saved_plan_file(config)


def repo_path(path: Path) -> str:
    """A path as the repository names it (relative to the checkout, POSIX slashes)."""
    relative = Path(os.path.relpath(path.resolve(), Path.cwd().resolve()))
    if relative.parts[:1] == ("..",):
        raise ReconcilerError(
            f"{path} is outside the repository checkout {Path.cwd()}",
            remedy="run the reconciler from the repository's root",
        )
    return relative.as_posix()


def branch_of(key: str) -> str:
    """The fixed branch of a config's sync pull request."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-.") or "config"
    return BRANCH_PREFIX + slug

"""Paths a config names stay inside the config's directory (the repository).

A config reviewed in a pull request must not make the reconciler read or write
anywhere else: not through ``..``, an absolute path, a symbolic link that points
out, nor a device file or FIFO that would block a read or swallow a write. The
model refuses the first two by their text (``text_checks.path_text_problem``); the
loader checks the rest against the file system (:func:`path_problem`).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Literal

from reconciler.domain.text_checks import path_text_problem

Kind = Literal["file", "directory"]


def resolve_inside(base: Path, value: str) -> Path:
    """Resolve ``value`` under ``base``; raise :class:`ValueError` when it leaves ``base``."""
    root = base.resolve()
    target = (root / value).resolve()
    if target != root and root not in target.parents:
        raise ValueError("resolves outside the config's directory (through a symbolic link?)")
    return target


def path_problem(base: Path, value: str, kind: Kind) -> str | None:
    """Check a path setting against the file system; ``None`` when it is safe to use.

    A path that does not exist yet is fine (an out_dir is created, an export may be
    downloaded later); one that exists must be a regular file or a directory as needed.
    """
    text = path_text_problem(value)
    if text is not None:
        return text
    try:
        target = resolve_inside(base, value)
        mode = target.stat().st_mode
    except ValueError as error:
        return f"{error}"
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be checked ({error.strerror})"
    if kind == "directory" and not stat.S_ISDIR(mode):
        return "must be a directory; something else has this name"
    if kind == "file" and not stat.S_ISREG(mode):
        return "must be a regular file, not a directory, device or FIFO"
    return None

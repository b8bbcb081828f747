"""Terraform's habit for ``apply`` without a reviewed plan: ask on a terminal, refuse elsewhere.

A reviewed plan is a saved plan file (``--plan``), a checksum (``--checksum``) or the
plan approved on the merged pull request (``--from-pr``). Without one, ``apply``
shows the plan and asks for ``yes`` on a terminal; in CI (no terminal) it refuses
before reading anything, unless ``--auto-approve``. The sandbox writes to no real
company, so there it never refuses, and asks only on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from reconciler.engine.plan import Plan
from reconciler.errors import NotApprovedError, ReconcilerError


def needs_confirmation(*, reviewed: bool, auto_approve: bool, sandbox: bool) -> bool:
    """Whether this apply must ask before writing; raise if it cannot ask (no terminal)."""
    if reviewed or auto_approve:
        return False
    if _is_terminal(sys.stdin):
        return True
    if sandbox:
        return False
    raise NotApprovedError(
        "apply without a reviewed plan needs a terminal to confirm it; nothing was read or written",
        remedy="pass the plan reviewers saw (--plan FILE from `reconciler plan --save FILE`, "
        "or --checksum SHA), or --auto-approve to apply whatever the plan is now",
    )


def confirm(plan: Plan, ask: Callable[[str], str] = input) -> None:
    """Ask for ``yes`` after the plan was shown; anything else cancels the apply."""
    if not plan.has_changes:
        return
    changes = len(plan.changes)
    noun = "change" if changes == 1 else "changes"
    try:
        answer = ask(f"\nApply these {changes} {noun} to Ledgy? Only 'yes' applies: ")
    except EOFError:
        answer = ""
    if answer.strip() != "yes":
        raise ReconcilerError("apply cancelled; nothing was written")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False

"""Reading a saved plan file (``plan --save``), and telling a rendered plan from one.

A plan as ``plan`` prints it (text, Markdown, the plan JSON) shows the checksum but
not the digest of each change: given to ``apply --plan`` or ``show``, it is named
for what it is, with the way to save a plan, rather than "not JSON".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reconciler.engine.approval import CHECKSUM, SAVED_FORMAT
from reconciler.errors import PlanFileError

SAVE = "reconciler plan CONFIG --save FILE"
_TEXT = re.compile(r"(?:\x1b\[[0-9;]*m)*Plan: \d+ to create")
_MARKDOWN = re.compile(r"Plan checksum: `(?:hmac-sha256|sha256):[0-9a-f]{64}`")


def load_saved_data(path: Path) -> Any:
    """The JSON data of a saved plan file; a :class:`PlanFileError` naming the file when it
    cannot be read, is not JSON, or is a plan as ``plan`` renders it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise PlanFileError(
            f"{path}: cannot be read ({reason})",
            remedy=f"give the file written by `{SAVE}`",
        ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        kind = rendered_kind(text, None)
        if kind is not None:
            raise rendered_plan_error(path, kind, text) from None
        raise PlanFileError(
            f"{path}: not JSON ({error}); the file may be truncated",
            remedy="plan and save again",
        ) from None
    kind = rendered_kind(text, data)
    if kind is not None:
        raise rendered_plan_error(path, kind, text)
    return data


def rendered_kind(text: str, data: object) -> str | None:
    """``text``, ``markdown`` or ``json`` when the file is a plan as ``plan --format``
    prints it (a Markdown plan comment copied from a pull request counts too)."""
    if isinstance(data, dict):
        plan_json = {"checksum", "summary", "changes"} <= data.keys()
        return "json" if plan_json and "format" not in data else None
    if data is not None:
        return None
    if _TEXT.match(text.lstrip()):
        return "text"
    if _MARKDOWN.search(text):
        return "markdown"
    return None


def rendered_plan_error(path: Path, kind: str, text: str) -> PlanFileError:
    """The refusal of a rendered plan where a saved plan is needed: what it is, what to do."""
    shown = CHECKSUM.search(text)
    by_checksum = f"; or give the checksum it shows: --checksum {shown.group(0)}" if shown else ""
    return PlanFileError(
        f"{path} is a plan as `reconciler plan --format {kind}` prints it, not a saved plan "
        f'(no "format": "{SAVED_FORMAT}"): it lacks the digest of each change that '
        "an apply checks its approval against",
        remedy=f"save the plan with `{SAVE}` and give that FILE{by_checksum}",
    )

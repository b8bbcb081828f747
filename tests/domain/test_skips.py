"""The skip reasons: every reason the engine gives is one the config may name, and the
plan's docs list them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from reconciler.domain.skips import SKIP_REASONS
from tests.conftest import ROOT

ENGINE = ROOT / "reconciler" / "engine"


def _reasons_given(path: Path) -> set[str]:
    """The string literals passed as a skip's reason: ``Skip(id, identifier, "reason", …)``
    and ``_skipped(employee, identifier, "reason", …)``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or len(node.args) < 3:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        reason = node.args[2]
        if name in {"Skip", "_skipped"} and isinstance(reason, ast.Constant):
            found.add(str(reason.value))
    return found


def test_every_reason_the_engine_gives_is_a_known_skip_reason() -> None:
    given = set().union(*(_reasons_given(p) for p in sorted(ENGINE.rglob("*.py"))))
    assert given, "no skip found: the scan no longer sees how the engine skips"
    assert given <= set(SKIP_REASONS)
    assert {"sync_if", "terminated", "pinned_elsewhere"} <= given


def test_the_reasons_are_unique_and_the_plan_docs_name_each() -> None:
    assert len(set(SKIP_REASONS)) == len(SKIP_REASONS)
    documented = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    head = documented.split("warnings", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", head)) == set(SKIP_REASONS)

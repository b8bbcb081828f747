"""What an apply did, as JSON (``apply --format json --out FILE``). Pure.

The same facts as the journal's records for the run, in one document a pipeline
can read: the outcome, the plan's checksum and counts, and one entry per write.
Field names only, never values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.plan import Plan

VERSION = 1


def render_apply_result(
    outcome: str,
    message: str,
    *,
    plan: Plan | None = None,
    results: Sequence[WriteResult] = (),
    held_back: Sequence[Write] = (),
) -> str:
    """The result document; ``plan`` is ``None`` when the run stopped before planning."""
    document: dict[str, object] = {
        "version": VERSION,
        "outcome": outcome,
        "message": message,
        "checksum": plan.checksum if plan is not None else None,
        "summary": plan.summary() if plan is not None else None,
        "written": sum(1 for r in results if r.ok),
        "failed": sum(1 for r in results if not r.ok),
        "writes": [_write(result) for result in results],
        "held_back": [write.identifier for write in held_back],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _write(result: WriteResult) -> dict[str, object]:
    return {
        "action": result.write.action,
        "identifier": result.write.identifier,
        "stakeholder_id": result.stakeholder_id,
        "fields": sorted(result.write.values),
        "ok": result.ok,
        "error": result.error,
    }

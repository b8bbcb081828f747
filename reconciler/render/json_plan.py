"""The plan as JSON (docs/plan.md), masked unless asked. Pure."""

from __future__ import annotations

import json

from reconciler.engine.plan import Plan


def render_json(plan: Plan, *, show_values: bool = False) -> str:
    """The plan JSON, indented, one document."""
    return json.dumps(plan.to_dict(show_values=show_values), indent=2, ensure_ascii=False) + "\n"

"""The plan as JSON (docs/plan.md), masked unless asked. Pure."""

from __future__ import annotations

from reconciler.engine.plan import Plan
from reconciler.render.escape import json_text


def render_json(plan: Plan, *, show_values: bool = False) -> str:
    """The plan JSON, indented, one document; readable, with hidden characters escaped."""
    return json_text(plan.to_dict(show_values=show_values)) + "\n"

"""``reconciler show PLANFILE``: a saved plan (``plan --save``) as ``plan`` shows it.

Reads nothing but the file: no config, no secret, no API. The values are as the file
holds them (personal ones masked), and the checksum is the one saved.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from reconciler.commands.plan_file import load_saved_data
from reconciler.engine.approval import read_saved
from reconciler.engine.plan_data import plan_of_saved
from reconciler.render.json_plan import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text

Format = Literal["text", "markdown", "json"]


def show(path: Path, *, output_format: Format = "text", color: bool = False) -> int:
    """Print the saved plan; exit 1 (a :class:`PlanFileError`) when it is not one."""
    data = load_saved_data(path)
    read_saved(data, where=str(path))  # the same checks as `apply --plan`
    plan = plan_of_saved(data, where=str(path))
    if output_format == "json":
        text = render_json(plan)
    elif output_format == "markdown":
        text = render_markdown(plan)
    else:
        config = data.get("config")
        head = f"Saved plan of {config}\n" if isinstance(config, str) else ""
        text = head + render_text(plan, color=color)
    sys.stdout.write(text)
    return 0

"""GitHub Actions workflow commands for findings: ``::error file=…,line=…::message``.

Pure formatting; the escaping follows the runner's rules for command data and
properties (``%``, CR and LF always; ``:`` and ``,`` in properties too).
"""

from __future__ import annotations

from reconciler.errors import Problem
from reconciler.render.escape import visible

MAX_SHOWN = 10
"""GitHub shows at most ten annotations of each kind per step."""


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(visible(text)).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, *, title: str = "reconciler") -> str:
    """Render one finding as a workflow command."""
    command = "error" if problem.severity == "error" else "warning"
    # visible(): an ANSI escape or bidi override in a value stays inert in the log too
    message = visible(problem.message)
    body = message if problem.hint is None else f"{message}\nhint: {visible(problem.hint)}"
    props = ",".join(
        [
            f"file={_escape_property(problem.path)}",
            f"line={problem.line}",
            f"col={problem.col}",
            f"title={_escape_property(title)}",
        ]
    )
    return f"::{command} {props}::{_escape_data(body)}"

"""The job summary and annotations of a GitHub Actions step.

GitHub shows at most ten annotations of a kind per step; the rest of the findings
go to the job summary, which is capped at 1 MiB per step.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from reconciler.errors import Problem
from reconciler.github.annotations import MAX_SHOWN, annotation
from reconciler.render.markdown import escape, table

logger = logging.getLogger(__name__)
SUMMARY_LIMIT = 1024 * 1024 - 1024


def write_summary(path: Path | None, markdown: str) -> None:
    """Append Markdown to the step summary, cut to the size GitHub accepts."""
    if path is None:
        return
    if len(markdown.encode("utf-8")) > SUMMARY_LIMIT:
        cut = markdown.encode("utf-8")[:SUMMARY_LIMIT].decode("utf-8", errors="ignore")
        markdown = (
            cut.rsplit("\n", 1)[0]
            + "\n\n> Cut at GitHub's 1 MiB summary limit; the plan artifact has it all.\n"
        )
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as error:  # a summary is a courtesy; the run goes on without it
        logger.warning("the job summary %s cannot be written (%s)", path, error.strerror)


def annotate(problems: Sequence[Problem], summary: Path | None, *, title: str) -> list[str]:
    """Workflow commands for the first ten findings; all of them go to the summary too."""
    lines = [annotation(p, title=title) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        more = len(problems) - MAX_SHOWN
        lines.append(
            f"::notice title={title}::{more} more problem(s) are listed in the job summary"
        )
    if summary is not None and problems:
        rows = [
            [
                escape(f"{p.path}:{p.line}:{p.col}"),
                p.severity,
                escape(p.message),
                escape(p.hint or ""),
            ]
            for p in problems
        ]
        write_summary(
            summary, f"### {title}\n\n" + table(["Where", "Kind", "Problem", "Hint"], rows)
        )
    return lines

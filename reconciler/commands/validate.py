"""``reconciler validate``: check company.yaml without any secret or network."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reconciler.config.load import load_config
from reconciler.errors import ConfigError, Problem
from reconciler.github.actions import annotate
from reconciler.github.context import summary_file
from reconciler.render.config_summary import render_config_summary

Format = Literal["text", "github"]


def _report(problems: Sequence[Problem], output_format: Format) -> None:
    if output_format == "github":
        for line in annotate(problems, summary_file(), title="reconciler validate"):
            print(line)
        return
    for problem in problems:
        print(problem, file=sys.stderr)


def validate(config_path: Path, *, output_format: Format = "text") -> int:
    """Validate a config; print every problem, or the warnings and a summary."""
    try:
        loaded = load_config(config_path)
    except ConfigError as error:
        _report(error.problems, output_format)
        print(f"{config_path}: {error.message}", file=sys.stderr)
        return 1
    _report(loaded.warnings, output_format)
    print(f"{config_path} is valid")
    print(render_config_summary(loaded.config))
    return 0

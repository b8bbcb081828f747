"""``reconciler validate``: check company.yaml without any secret or network."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reconciler.artifacts.identity_files import refuse_exposed_identities
from reconciler.config.load import load_config
from reconciler.errors import ConfigError, Problem, ReconcilerError
from reconciler.github.actions import annotate
from reconciler.github.context import summary_file
from reconciler.render.config_summary import render_config_summary

Format = Literal["text", "github", "json"]


def _report(problems: Sequence[Problem], output_format: Format) -> None:
    if output_format == "github":
        for line in annotate(problems, summary_file(), title="reconciler validate"):
            print(line)
        return
    for problem in problems:
        print(problem, file=sys.stderr)


def problem_json(problem: Problem) -> dict[str, object]:
    """One finding as ``validate --format json`` and ``test --format json`` give it."""
    return {
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "severity": problem.severity,
        "message": problem.message,
        "hint": problem.hint,
    }


def _validate_json(config_path: Path) -> int:
    problems: Sequence[Problem]
    try:
        refuse_exposed_identities(config_path)
        problems, error = load_config(config_path).warnings, None
    except ConfigError as failure:
        problems, error = failure.problems, failure.message
    except ReconcilerError as failure:  # unreadable: no place to point at
        problems, error = (), failure.message
    document = {
        "config": str(config_path),
        "valid": error is None,
        "error": error,
        "problems": [problem_json(p) for p in problems],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0 if error is None else 1


def validate(config_path: Path, *, output_format: Format = "text") -> int:
    """Validate a config; print every problem, or the warnings and a summary."""
    if output_format == "json":
        return _validate_json(config_path)
    refuse_exposed_identities(config_path)
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

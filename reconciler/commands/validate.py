"""``reconciler validate``: check a config, or every config the repository declares and
them against each other, without any secret or network."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reconciler.artifacts.identity_files import refuse_exposed_identities
from reconciler.config.index import DeclaredConfig, find_configs
from reconciler.config.load import LoadedConfig, load_config
from reconciler.engine.siblings import Named, overlaps
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


def validate_all(root: Path, *, output_format: Format = "text") -> int:
    """Validate every config the repository declares, then check them against each other.

    Every config is checked even when one is broken; exit 1 naming the broken ones.
    """
    configs = declared(root)
    refuse_exposed_identities(root / configs[0].path)
    loaded: list[tuple[DeclaredConfig, LoadedConfig]] = []
    broken: list[tuple[DeclaredConfig, ConfigError | ReconcilerError]] = []
    for config in configs:
        try:
            loaded.append((config, load_config(shown(root, config.path))))
        except ReconcilerError as error:
            broken.append((config, error))
    cross = cross_findings(loaded)
    if output_format == "json":
        return _all_json(configs, loaded, broken, cross)
    for config, failure in broken:
        if isinstance(failure, ConfigError):
            _report(failure.problems, output_format)
        print(f"{config.name} ({config.path}): {failure.message}", file=sys.stderr)
    for config, one in loaded:
        _report(one.warnings, output_format)
        print(f"{config.name} ({config.path}) is valid")
    _report(cross, output_format)
    if broken:
        names = ", ".join(config.name for config, _ in broken)
        print(f"{len(broken)} of {len(configs)} configs are broken: {names}", file=sys.stderr)
        return 1
    print(f"all {len(configs)} configs are valid")
    return 0


def declared(root: Path) -> tuple[DeclaredConfig, ...]:
    """The repository's configs; refuse a repository that declares none."""
    configs = find_configs(root)
    if not configs:
        raise ReconcilerError(
            f"{shown(root, Path('.'))}: no config here: neither reconciler.yaml nor company.yaml",
            remedy="run the command at the repository root, give a config's path, "
            "or create one with `reconciler init`",
        )
    return configs


def shown(root: Path, path: Path) -> Path:
    """A config's path as messages show it: relative when run at the root."""
    try:
        same = root.resolve() == Path.cwd().resolve()
    except OSError:
        same = False
    return path if same else root / path


def cross_findings(loaded: Sequence[tuple[DeclaredConfig, LoadedConfig]]) -> list[Problem]:
    """Warnings for configs of one Ledgy company whose rules may admit the same person."""
    by_name = {config.name: one for config, one in loaded}
    named = [Named(config.name, one.config) for config, one in loaded]
    problems = []
    for overlap in overlaps(named):
        first, second = by_name[overlap.first], by_name[overlap.second]
        there = second.problem_at(overlap.second_at, "")
        message = (
            f"configs {overlap.first} and {overlap.second} both write to the Ledgy company "
            f"'{overlap.company}' and may overlap: {overlap.reason} "
            f"(see {there.path}:{there.line})"
        )
        hint = (
            "give both configs a sync_if rule on the same field (entity, say) with values "
            "that do not overlap; a plan refuses anyone both would manage"
        )
        place = first.problem_at(overlap.first_at, message, hint)
        problems.append(dataclasses.replace(place, severity="warning"))
    return problems


def _all_json(
    configs: Sequence[DeclaredConfig],
    loaded: Sequence[tuple[DeclaredConfig, LoadedConfig]],
    broken: Sequence[tuple[DeclaredConfig, ReconcilerError]],
    cross: Sequence[Problem],
) -> int:
    results: dict[str, tuple[str | None, Sequence[Problem]]] = {
        config.name: (None, one.warnings) for config, one in loaded
    }
    for config, error in broken:
        problems = error.problems if isinstance(error, ConfigError) else ()
        results[config.name] = (error.message, problems)
    document = {
        "valid": not broken,
        "configs": [
            {
                "name": config.name,
                "config": str(config.path),
                "valid": results[config.name][0] is None,
                "error": results[config.name][0],
                "problems": [problem_json(p) for p in results[config.name][1]],
            }
            for config in configs
        ],
        "cross_config": [problem_json(p) for p in cross],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 1 if broken else 0

"""``reconciler test``: run a config's rule tests (or every declared config's) offline,
with no credentials."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reconciler.commands.validate import declared, shown
from reconciler.config.load import LoadedConfig, load_config
from reconciler.engine.ruletests import RuleTestResult, run_rule_tests
from reconciler.errors import ReconcilerError, RuleTestFailure
from reconciler.pipeline import today


def test(config: Path, *, output_format: Literal["text", "json"] = "text") -> int:
    """Run every test in ``tests:``; exit 1 when one fails."""
    loaded = load_config(config)
    results = run_rule_tests(loaded.config, today())
    if output_format == "json":
        document = _document(loaded, results)
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 1 if document["failed"] else 0
    failed = _report_text(loaded, results)
    if failed:
        raise RuleTestFailure(f"{failed} of {len(results)} rule tests failed")
    return 0


def _report_text(loaded: LoadedConfig, results: Sequence[RuleTestResult]) -> int:
    """Print each test's result; return how many failed."""
    config = loaded.display_path
    if not results:
        print(f"{config}: no tests (add some under tests:)")
        return 0
    for index, result in enumerate(results):
        if result.passed:
            print(f"ok    {result.name}")
            continue
        where = loaded.problem_at(("tests", index), "")
        print(f"FAIL  {result.name}  ({config}:{where.line})")
        for failure in result.failures:
            print(f"        {failure}")
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} passed, {failed} failed")
    return failed


def _document(loaded: LoadedConfig, results: Sequence[RuleTestResult]) -> dict[str, object]:
    tests = [
        {
            "name": result.name,
            "passed": result.passed,
            "line": loaded.problem_at(("tests", index), "").line,
            "failures": [str(failure) for failure in result.failures],
        }
        for index, result in enumerate(results)
    ]
    failed = sum(1 for r in results if not r.passed)
    return {
        "config": loaded.display_path,
        "passed": len(results) - failed,
        "failed": failed,
        "tests": tests,
    }


def test_all(root: Path, *, output_format: Literal["text", "json"] = "text") -> int:
    """Run the rule tests of every config the repository declares; exit 1 naming the
    configs that are broken or whose tests fail (each config is still run)."""
    configs = declared(root)
    failed: list[str] = []
    documents: list[dict[str, object]] = []
    for config in configs:
        path = shown(root, config.path)
        try:
            loaded = load_config(path)
        except ReconcilerError as error:
            failed.append(config.name)
            if output_format == "json":
                documents.append({"name": config.name, "config": str(path), "error": error.message})
            else:
                print(f"{config.name}: {error.diagnostics()}", file=sys.stderr)
            continue
        results = run_rule_tests(loaded.config, today())
        if output_format == "json":
            documents.append({"name": config.name, **_document(loaded, results)})
        else:
            print(f"== {config.name} ({config.path})")
            _report_text(loaded, results)
        if any(not r.passed for r in results):
            failed.append(config.name)
    if output_format == "json":
        print(json.dumps({"configs": documents}, indent=2, ensure_ascii=False))
    elif failed:
        print(f"{len(failed)} of {len(configs)} configs fail: {', '.join(failed)}", file=sys.stderr)
    else:
        print(f"the rule tests of all {len(configs)} configs pass")
    return 1 if failed else 0

"""``reconciler test``: run the config's rule tests offline, with no credentials."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reconciler.config.load import LoadedConfig, load_config
from reconciler.engine.ruletests import RuleTestResult, run_rule_tests
from reconciler.errors import RuleTestFailure
from reconciler.reconcile import today


def test(config: Path, *, output_format: Literal["text", "json"] = "text") -> int:
    """Run every test in ``tests:``; exit 1 when one fails."""
    loaded = load_config(config)
    results = run_rule_tests(loaded.config, today())
    if output_format == "json":
        return _report_json(loaded, results)
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
    if failed:
        raise RuleTestFailure(f"{failed} of {len(results)} rule tests failed")
    return 0


def _report_json(loaded: LoadedConfig, results: Sequence[RuleTestResult]) -> int:
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
    document = {
        "config": loaded.display_path,
        "passed": len(results) - failed,
        "failed": failed,
        "tests": tests,
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 1 if failed else 0

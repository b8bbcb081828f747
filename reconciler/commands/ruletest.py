"""``reconciler test``: run the config's rule tests offline, with no credentials."""

from __future__ import annotations

from pathlib import Path

from reconciler.config.load import load_config
from reconciler.engine.ruletests import run_rule_tests
from reconciler.errors import RuleTestFailure
from reconciler.reconcile import today


def test(config: Path) -> int:
    """Run every test in ``tests:``; exit 1 when one fails."""
    loaded = load_config(config)
    results = run_rule_tests(loaded.config, today())
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

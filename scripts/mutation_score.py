"""Print the mutation score of the last `mutmut run` (`make mutation`), and list survivors.

Reads mutmut's per-file results (``mutants/**/*.py.meta``), counts each mutant by
outcome, prints the score per package and in all, and writes every surviving or
untested mutant's name to ``mutants/survivors.txt`` (``mutmut show NAME`` shows its diff).
The score is killed (timeouts count as killed: the mutant hung the code) over all
mutants that were checked.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}
SURVIVED = {0}
NO_TESTS = {5, 33}


def _outcome(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    return "other"


def _results() -> dict[str, dict[str, int | None]]:
    results: dict[str, dict[str, int | None]] = {}
    for meta in sorted(MUTANTS.glob("reconciler/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        results[str(meta.relative_to(MUTANTS)).removesuffix(".meta")] = data.get(
            "exit_code_by_key", {}
        )
    return results


def main() -> int:
    """Print the score; exit 1 when there are no results to read."""
    results = _results()
    if not results:
        print("no mutation results; run `make mutation`", file=sys.stderr)
        return 1
    by_package: dict[str, Counter[str]] = defaultdict(Counter)
    left: list[str] = []
    for path, codes in results.items():
        package = "/".join(Path(path).parts[:2])
        for name, code in codes.items():
            outcome = _outcome(code)
            by_package[package][outcome] += 1
            if outcome in ("survived", "no tests"):
                left.append(f"{name}\t{outcome}")
    total: Counter[str] = sum(by_package.values(), Counter())
    print(f"mutation score, {datetime.now(UTC):%Y-%m-%d}")
    header = ("mutants", "killed", "survived", "no tests", "score")
    print(f"{'package':22}" + "".join(f" {h:>9}" for h in header))
    for package, counts in [*sorted(by_package.items()), ("all", total)]:
        checked = sum(counts.values()) - counts["not checked"]
        score = counts["killed"] * 100 / checked if checked else 0.0
        print(
            f"{package:22} {checked:9} {counts['killed']:9} {counts['survived']:9} "
            f"{counts['no tests']:9} {score:8.1f}%"
        )
    (MUTANTS / "survivors.txt").write_text("\n".join(sorted(left)) + "\n", encoding="utf-8")
    print(f"{len(left)} mutants left alive: mutants/survivors.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Print the mutation score of the last `mutmut run` (`make mutation`), and list survivors.

Reads mutmut's per-file results (``mutants/**/*.py.meta``), counts each mutant by
outcome, prints the score per package and in all, and writes every surviving or
untested mutant's name to ``mutants/survivors.txt`` (``mutmut show NAME`` shows its diff).
The score is killed (timeouts count as killed: the mutant hung the code) over all
mutants that were checked.

With ``--sample N`` only a seeded, uniform sample of N mutants counts (all of them
take hours on two cores): ``--names`` prints the sampled names that are still to be
run, for ``mutmut run``; without it the score of the sample is printed, with its
95 % interval.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}
SURVIVED = {0}
NO_TESTS = {5, 33}
SEED = 2026


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


def _results() -> dict[str, tuple[str, int | None]]:
    """Each mutant's package and exit code."""
    results: dict[str, tuple[str, int | None]] = {}
    for meta in sorted(MUTANTS.glob("reconciler/**/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        package = "/".join(meta.relative_to(MUTANTS).parts[:2])
        for name, code in data.get("exit_code_by_key", {}).items():
            results[name] = (package, code)
    return results


def _sample(
    results: dict[str, tuple[str, int | None]], size: int
) -> dict[str, tuple[str, int | None]]:
    names = sorted(results)
    chosen = random.Random(SEED).sample(names, min(size, len(names)))
    return {name: results[name] for name in chosen}


def _report(results: dict[str, tuple[str, int | None]], sampled: bool) -> None:
    by_package: dict[str, Counter[str]] = defaultdict(Counter)
    left: list[str] = []
    for name, (package, code) in results.items():
        outcome = _outcome(code)
        by_package[package][outcome] += 1
        if outcome in ("survived", "no tests"):
            left.append(f"{name}\t{outcome}")
    total: Counter[str] = sum(by_package.values(), Counter())
    kind = f"a sample of {len(results)} mutants (seed {SEED})" if sampled else "all mutants"
    print(f"mutation score, {datetime.now(UTC):%Y-%m-%d}, {kind}")
    header = ("mutants", "killed", "survived", "no tests", "score")
    print(f"{'package':22}" + "".join(f" {h:>9}" for h in header))
    for package, counts in [*sorted(by_package.items()), ("all", total)]:
        checked = sum(counts.values()) - counts["not checked"]
        score = counts["killed"] * 100 / checked if checked else 0.0
        print(
            f"{package:22} {checked:9} {counts['killed']:9} {counts['survived']:9} "
            f"{counts['no tests']:9} {score:8.1f}%"
        )
    checked = sum(total.values()) - total["not checked"]
    if sampled and checked:
        share = total["killed"] / checked
        margin = 1.96 * math.sqrt(share * (1 - share) / checked) * 100
        print(f"95 % interval of the score of all mutants: {share * 100:.1f} ± {margin:.1f} %")
    if total["not checked"]:
        print(f"{total['not checked']} mutants not checked yet")
    (MUTANTS / "survivors.txt").write_text("\n".join(sorted(left)) + "\n", encoding="utf-8")
    print(f"{len(left)} mutants left alive: mutants/survivors.txt")


def main() -> int:
    """Print the score (or the names to run); exit 1 when there are no results to read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sample", type=int, default=0, help="score a seeded sample of N")
    parser.add_argument("--names", action="store_true", help="print the sample's unrun names")
    args = parser.parse_args()
    results = _results()
    if not results:
        print("no mutation results; run `make mutation`", file=sys.stderr)
        return 1
    if args.sample:
        results = _sample(results, args.sample)
    if args.names:
        print("\n".join(name for name, (_, code) in sorted(results.items()) if code is None))
        return 0
    _report(results, sampled=bool(args.sample))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

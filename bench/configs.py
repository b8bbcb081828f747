"""Benchmark: a repository of 50 configs, validated whole and selected one at a time.

Not a test: it prints the times. It writes a repository with an index
(``companies/*/company.yaml``) of N configs, five per Ledgy company, each split by
the entity, and times, as a user runs them, whole processes:

- ``reconciler validate`` with no path: every config, and the cross-config checks
  (target: under 5 s for 50 configs);
- ``reconciler validate NAME``: one config picked by name, as a plan of a pull
  request that touches one config does before it reads anything;
- in process, finding the config a changed file belongs to (the index read and
  matched), the selection a plan job makes.

    .venv/bin/python bench/configs.py [--configs 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reconciler.config.index import find_configs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "company.yaml").read_text(encoding="utf-8")
COUNTRY_RULE = "    - {field: country, in: [GB, DE, FR]}"
PER_COMPANY = 5


def write_repository(root: Path, count: int) -> list[str]:
    """``count`` configs, five to a Ledgy company and disjoint by entity; their names."""
    names = []
    for index in range(count):
        name = f"co-{index:03d}"
        company, entity = divmod(index, PER_COMPANY)
        text = EXAMPLE.replace("company: Acme Ltd", f"company: Group {company}").replace(
            COUNTRY_RULE, f"    - {{field: entity, in: [Entity {entity}]}}"
        )
        path = root / "companies" / name / "company.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        names.append(name)
    (root / "reconciler.yaml").write_text(
        "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n", encoding="utf-8"
    )
    return names


def timed(argv: list[str], root: Path, runs: int) -> tuple[float, int]:
    """The median wall time of a whole process, and its exit code."""
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return statistics.median(times), code


def selection(root: Path, changed: str, runs: int) -> float:
    """The median time to read the index and find the config a changed file is in."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        touched = [c for c in find_configs(root) if Path(changed).parent == c.path.parent]
        times.append(time.perf_counter() - start)
        assert len(touched) == 1
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reconciler = str(Path(sys.executable).parent / "reconciler")
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        names = write_repository(root, args.configs)
        whole, code = timed([reconciler, "validate"], root, args.runs)
        one, one_code = timed([reconciler, "validate", names[len(names) // 2]], root, args.runs)
        picked = selection(root, f"companies/{names[-1]}/company.yaml", args.runs)
    print(f"configs: {args.configs} ({args.configs // PER_COMPANY} Ledgy companies)")
    print(f"validate, every config (whole process): {whole:.2f} s (exit {code}; target < 5 s)")
    print(f"validate, one config by name (whole process): {one:.2f} s (exit {one_code})")
    print(f"selection of the config a changed file is in (in process): {picked * 1000:.1f} ms")


if __name__ == "__main__":
    main()

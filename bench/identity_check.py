"""Benchmark: what the look for committable age keys adds to ``validate`` and ``plan``.

Builds a scratch repository of N committed files (100 per folder) and U untracked
ones, then times :func:`refuse_exposed_identities` (the median of several runs) next
to a whole ``reconciler validate`` of the example config in it. ``validate`` runs as
a pre-commit hook, so the look must stay a small part of its quarter second. Not a
test: shared machines are noisy.

    .venv/bin/python bench/identity_check.py [--sizes 500 50000] [--untracked 300]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reconciler.artifacts.identity_files import refuse_exposed_identities

ROOT = Path(__file__).resolve().parent.parent
IDENTITY = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid")


def _repository(place: Path, size: int, untracked: int) -> Path:
    subprocess.run(["git", "init", "--quiet", str(place)], check=True)
    for number in range(size):
        folder = place / f"d{number // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"f{number}.txt").write_text("x" * 200)
    shutil.copy(ROOT / "examples" / "company.yaml", place / "company.yaml")
    subprocess.run(["git", "-C", str(place), "add", "--all"], check=True)
    subprocess.run(
        ["git", *IDENTITY, "-C", str(place), "commit", "--quiet", "--no-gpg-sign", "-m", "x"],
        check=True,
    )
    for number in range(untracked):
        (place / f"untracked{number}.txt").write_text("hello\n")
    return place / "company.yaml"


def _median_ms(action: list[str] | Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        if isinstance(action, Path):
            refuse_exposed_identities(action)
        else:
            subprocess.run(action, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(size: int, untracked: int) -> None:
    """Time the look and a whole validate in a repository of ``size`` files."""
    with tempfile.TemporaryDirectory() as scratch:
        config = _repository(Path(scratch) / "repo", size, untracked)
        look = _median_ms(config, 15)
        validate = [sys.executable, "-m", "reconciler", "validate", str(config)]
        whole = _median_ms(validate, 5)
    print(
        f"{size:>7} files, {untracked} untracked: the look {look:6.1f} ms, "
        f"reconciler validate {whole:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 50_000])
    parser.add_argument("--untracked", type=int, default=300)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.untracked)


if __name__ == "__main__":
    main()

"""Time and peak memory of every hostile config and record case, each in its own process.

The hostile corpus must never take more than 2 s or 200 MB per case; tests check
memory, this prints both (timings on a shared machine are not test material).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "data" / "hostile" / "configs"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from reconciler.main import main
import contextlib, io
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(["validate", sys.argv[1]])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"code": code, "seconds": elapsed, "peak_mb": peak}))
"""


def main() -> None:
    rows = []
    for path in sorted(CONFIGS.glob("*.yaml")):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        rows.append((path.stem, json.loads(out)))
    rows.sort(key=lambda row: -row[1]["seconds"])
    print(f"{'case':45} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    for name, row in rows[:15]:
        print(f"{name:45} {row['code']:>4} {row['seconds']:>8.3f} {row['peak_mb']:>8.1f}")
    slowest = max(r["seconds"] for _, r in rows)
    largest = max(r["peak_mb"] for _, r in rows)
    bugs = [name for name, r in rows if r["code"] == 3]
    print(
        f"{len(rows)} configs: slowest {slowest:.3f} s, largest peak {largest:.1f} MB "
        f"(process RSS, interpreter included); exit 3: {bugs or 'none'}"
    )


if __name__ == "__main__":
    main()

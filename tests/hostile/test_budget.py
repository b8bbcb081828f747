"""Bombs stay small: the worst configs load within 200 MB (and do not hang).

Each bomb is loaded in one child process under a 1 GiB address-space limit, so a
regression fails this test instead of swapping the machine. Peak memory is
measured with tracemalloc per case; time is only bounded by a generous timeout
(timings on shared CI machines are noise: ``bench/hostile.py`` prints them).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from tests.hostile.corpus import HOSTILE

BOMBS = [
    "billion-laughs",
    "billion-laughs-merge-keys",
    "quadratic-blowup",
    "deep-flow-nesting",
    "deep-block-nesting",
    "deep-nesting-through-aliases",
    "int-five-thousand-digits",
    "float-endless-digits",
    "five-thousand-unknown-keys",
]
LIMIT_MB = 200

CHILD = """
import json, resource, sys, tracemalloc
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from reconciler.config.load import load_config
from reconciler.errors import ReconcilerError
peaks = {}
for name in sys.argv[2:]:
    tracemalloc.start()
    try:
        load_config(Path(sys.argv[1]) / f"{name}.yaml")
    except ReconcilerError:
        pass
    peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
print(json.dumps(peaks))
"""


def test_every_bomb_loads_within_the_memory_budget() -> None:
    folder = HOSTILE / "configs"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), *BOMBS],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    peaks = json.loads(result.stdout)
    assert set(peaks) == set(BOMBS)
    assert {name: mb for name, mb in peaks.items() if mb > LIMIT_MB} == {}

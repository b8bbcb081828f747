"""Benchmark: how long ``reconciler plan`` takes while CharlieHR answers 429 at random.

A CharlieHR without totals (the client must find each list's end itself, and reads
every list several times) and with a share of its answers 429 ``Retry-After: 1``
(``--retry-after none``: no such header, as CharlieHR may well answer), or that
allows only so many requests a second (``--rate-limit``; its 429s say when the
window reopens), with or without ``hris.requests_per_second``,
as ``reconciler sandbox serve --no-totals --faults 429 --fault-rate R`` serves it;
Ledgy beside it, without faults. Each run is a fresh ``reconciler plan`` process,
timed from start to exit as a user waits for it. A run either gives the fault-free
plan (``exact``), fails with a message (``failed``), gives another plan (``WRONG``,
never expected), or is still running at the cut-off (``hung``).

    .venv/bin/python bench/pacing.py [--size 120] [--rates 0.3 0.5] [--runs 5]
        [--retry-after none] [--rate-limit 5 --rates 0] [--requests-per-second 4.5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount

from reconciler.config.load import load_config
from reconciler.sandbox import charliehr, ledgy
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware
from reconciler.sandbox.server import serve_in_thread

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"
ENV = {
    "CHARLIEHR_CLIENT_ID": charliehr.SANDBOX_ID,
    "CHARLIEHR_CLIENT_SECRET": charliehr.SANDBOX_SECRET,
    "LEDGY_API_KEY": ledgy.SANDBOX_KEY,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One plan process: how it ended and how long it took."""

    kind: str
    wall: float
    last_line: str


def _config(directory: Path, url: str, pace: float | None) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    if pace is not None:
        text = text.replace(
            "  timeout_seconds: 30", f"  timeout_seconds: 30\n  requests_per_second: {pace}"
        )
    text = text.replace("https://charliehr.com/api/v1", f"{url}/charliehr{charliehr.PREFIX}")
    text = text.replace("https://app.ledgy.com/graphql", f"{url}/ledgy{ledgy.PATH}")
    path = directory / "company.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _plan(config: Path, cutoff: float) -> tuple[str, float, str, int | None]:
    """Run ``reconciler plan --format json``; its stdout, wall time, stderr and exit."""
    command = [sys.executable, "-m", "reconciler", "plan", str(config), "--format", "json"]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, **ENV},
            timeout=cutoff,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "", time.perf_counter() - started, "", None
    return done.stdout, time.perf_counter() - started, done.stderr, done.returncode


def _checksum(stdout: str) -> str | None:
    try:
        return str(json.loads(stdout)["checksum"])
    except (ValueError, KeyError, TypeError):
        return None


def run_once(config: Path, expected: str | None, cutoff: float) -> Outcome:
    """One plan process, judged against the fault-free plan's checksum."""
    stdout, wall, stderr, code = _plan(config, cutoff)
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error")]
    last = errors[-1] if errors else lines[-1] if lines else ""
    if code is None:
        return Outcome("hung", wall, last)
    got = _checksum(stdout)
    if got is None:
        return Outcome("failed", wall, last)
    return Outcome("exact" if got == expected else "WRONG", wall, last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=120)
    parser.add_argument("--rates", type=float, nargs="+", default=[0.0, 0.3, 0.5])
    parser.add_argument("--runs", type=int, default=5, help="plan processes per fault rate")
    parser.add_argument("--cutoff", type=float, default=600.0, help="seconds before a run is hung")
    parser.add_argument("--seed", type=int, default=0, help="first fault seed")
    parser.add_argument(
        "--rate-limit", type=int, help="also limit CharlieHR to this many requests a second"
    )
    parser.add_argument(
        "--requests-per-second", type=float, help="hris.requests_per_second of the config"
    )
    parser.add_argument(
        "--retry-after",
        type=lambda text: None if text == "none" else int(text),
        default=1,
        help="seconds in the 429's Retry-After header, or none to leave it out",
    )
    args = parser.parse_args()
    company = generate_company(args.size, today=date.today())
    people = generate_ledgy(company, load_config(EXAMPLE).config, today=date.today())
    behaviour = charliehr.Behaviour(meta_totals=False)
    hr: MisbehaviourMiddleware = charliehr.create_app(company, behaviour=behaviour)
    app = Starlette(
        routes=[Mount("/charliehr", app=hr), Mount("/ledgy", app=ledgy.create_app(people))]
    )
    with tempfile.TemporaryDirectory(prefix="bench-pacing-") as tmp, serve_in_thread(app) as url:
        config = _config(Path(tmp), url, args.requests_per_second)
        stdout, wall, stderr, _ = _plan(config, args.cutoff)
        expected = _checksum(stdout)
        if expected is None:
            raise SystemExit(f"the fault-free plan failed: {stderr.strip()[-500:]}")
        print(
            f"reconciler plan of {args.size} people, CharlieHR without totals, "
            f"429 Retry-After: {args.retry_after if args.retry_after is not None else '(none)'}"
        )
        print(f"without faults: {wall:.1f} s")
        print(
            f"{'429 share':>10} {'runs':>5} {'exact':>6} {'failed':>7} {'WRONG':>6} {'hung':>5}",
            end="",
        )
        print(f" {'median_s':>9} {'max_s':>7}", flush=True)
        for rate in args.rates:
            outcomes = []
            for run in range(args.runs):
                knobs = Knobs(
                    rate_limit=args.rate_limit,
                    fault_rate=rate,
                    faults=("429",),
                    seed=args.seed + run,
                    retry_after=args.retry_after,
                )
                hr.reconfigure(knobs)
                outcomes.append(run_once(config, expected, args.cutoff))
            _report(rate, outcomes)


def _report(rate: float, outcomes: list[Outcome]) -> None:
    kinds = [o.kind for o in outcomes]
    walls = [o.wall for o in outcomes]
    counts = [kinds.count(k) for k in ("exact", "failed", "WRONG", "hung")]
    cells = " ".join(f"{c:>{w}}" for c, w in zip(counts, (6, 7, 6, 5), strict=True))
    print(
        f"{rate:>10.0%} {len(outcomes):>5} {cells} {statistics.median(walls):>9.1f} "
        f"{max(walls):>7.1f}",
        flush=True,
    )
    for outcome in outcomes:
        if outcome.kind != "exact":
            print(f"{'':>10} {outcome.kind} after {outcome.wall:.1f} s: {outcome.last_line[:200]}")


if __name__ == "__main__":
    main()

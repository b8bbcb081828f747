"""Benchmark: the engine alone (no HTTP) on 10,000 and 100,000 employees.

Ledgy holds 80 % of the employees, 5 % of those with a changed field. Prints CPU
time and peak memory of ``build_plan``, and the time of one whole-list DeepDiff of
the same data for comparison. Not a test: shared machines are noisy.

    .venv/bin/python bench/plan.py [--sizes 10000 100000] [--deepdiff-limit 20000]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import date
from pathlib import Path

from deepdiff import DeepDiff

from reconciler.config.load import load_config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import derive_key
from reconciler.engine.desired import desired_state
from reconciler.engine.phones import to_e164
from reconciler.sandbox.demo import generate_company
from reconciler.sources.charliehr.normalise import RawCompany, key_table, normalise
from reconciler.sources.charliehr.source import raw_keys_read

TODAY = date(2026, 11, 25)
CONFIG = Path(__file__).parent.parent / "examples" / "company.yaml"


def _inputs(size: int) -> tuple[tuple[Employee, ...], TargetState]:
    config = load_config(CONFIG).config
    company = generate_company(size, seed=1, today=TODAY)
    raw = RawCompany(company.team_members, company.salaries, company.teams, company.offices)
    employees = normalise(raw, key_table(), today=TODAY, wanted_raw=raw_keys_read(config))
    rng = random.Random(5)
    people = []
    for n, outcome in enumerate(desired_state(employees, config.stakeholders)):
        if outcome.values is None or rng.random() >= 0.8:
            continue
        values = dict(outcome.values)
        if rng.random() < 0.05:
            values["address.city"] = "Edited in Ledgy"
        people.append(Stakeholder.from_flat(values, f"sh_{n:06d}"))
    custom = frozenset(c.to for c in config.stakeholders.custom_fields)
    return employees, TargetState(config.ledgy.company, tuple(people), custom)


def _engine(employees: tuple[Employee, ...], state: TargetState) -> tuple[float, float, int]:
    """CPU time of a cold plan (no warm caches), then its peak memory in a second run."""
    config = load_config(CONFIG).config
    key = derive_key("a Ledgy API key", origin="LEDGY_API_KEY")  # as a live run's
    to_e164.cache_clear()
    started = time.process_time()
    plan = build_plan(employees, state, config, key=key)
    cpu = time.process_time() - started
    to_e164.cache_clear()
    tracemalloc.start()
    build_plan(employees, state, config, key=key)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cpu, peak / 2**20, len(plan.changes)


def _whole_list_deepdiff(employees: tuple[Employee, ...], state: TargetState) -> float:
    config = load_config(CONFIG).config
    desired = {
        o.identifier: dict(o.values)
        for o in desired_state(employees, config.stakeholders)
        if o.values is not None and o.identifier
    }
    current = {s.identifier: s.flat() for s in state.stakeholders if s.identifier}
    started = time.process_time()
    DeepDiff(current, desired)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--deepdiff-limit",
        type=int,
        default=20_000,
        help="skip the whole-list DeepDiff above this many employees",
    )
    args = parser.parse_args()
    print("engine only (no HTTP): Ledgy holds 80 % of employees, 5 % of them changed")
    header = ("employees", "changes", "engine CPU s", "peak MiB", "us/employee", "whole DeepDiff s")
    print(" ".join(f"{h:>16}" for h in header))
    for size in args.sizes:
        employees, state = _inputs(size)
        cpu, peak, changes = _engine(employees, state)
        deep = (
            f"{_whole_list_deepdiff(employees, state):.2f}"
            if size <= args.deepdiff_limit
            else "skipped"
        )
        cells = (size, changes, f"{cpu:.3f}", f"{peak:.1f}", f"{cpu / size * 1e6:.1f}", deep)
        print(" ".join(f"{c!s:>16}" for c in cells))


if __name__ == "__main__":
    main()

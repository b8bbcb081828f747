"""Benchmark: what the record of applied values costs a sync of N stakeholders.

The usual sync: every employee already in Ledgy, a few HR changes and a few values
edited in Ledgy. Prints the time of ``build_plan`` without a record and with one,
of making the next record, its size in the saved plan file, and of reading it back.
Not a test: shared machines are noisy.

    .venv/bin/python bench/record.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from datetime import date

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import derive_key
from reconciler.engine.record import Record, Recorded
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget

CONFIG = Config.model_validate(
    {
        "version": 1,
        "hris": {"provider": "charliehr", "client_id": "env/A", "client_secret": "env/B"},
        "ledgy": {"company": "Acme Ltd", "api_key": "env/C"},
        "stakeholders": {"optional_fields": ["manager", "mobile_phone", "pay_rate"]},
    }
)


def _employee(n: int, name: str | None = None) -> Employee:
    return Employee(
        id=f"tm_{n}",
        work_email=f"person{n}@acme.test",
        name=name or f"Person {n}",
        first_name="Person",
        last_name=str(n),
        country="GB",
        city="London",
        birthdate=date(1990, 1, 1 + n % 28),
        start_date=date(2020, 1, 1),
        employment_status="active",
        mobile_phone=f"+4477009{n:05d}",
        pay_rate=50_000 + n,
    )


def run(size: int) -> None:
    """Time each step for one size."""
    import asyncio

    key = derive_key("a Ledgy API key", origin="LEDGY_API_KEY")
    people = [_employee(n) for n in range(size)]
    target = InMemoryTarget(TargetState("Acme Ltd", (), frozenset()))
    first = build_plan(people, target.state, CONFIG, key=key)
    asyncio.run(target.apply(writes_of(first.changes)))
    recorded = Recorded(first.record)
    # A hundredth of the names changed in HR, a hundredth edited in Ledgy.
    moved = [_employee(n, "Renamed" if n % 100 == 1 else None) for n in range(size)]
    edits = {f"person{n}@acme.test" for n in range(0, size, 100)}
    stakeholders: tuple[Stakeholder, ...] = tuple(
        s.with_values({"name": "Edited"}) if s.identifier in edits else s
        for s in target.state.stakeholders
    )
    state = replace(target.state, stakeholders=stakeholders)
    started = time.perf_counter()
    build_plan(moved, state, CONFIG, key=key)
    without = time.perf_counter()
    plan = build_plan(moved, state, CONFIG, key=key, recorded=recorded)
    with_record = time.perf_counter()
    data = plan.record.to_data() if plan.record is not None else {}
    made = time.perf_counter()
    text = json.dumps(data, indent=2, sort_keys=True)
    Record.from_data(json.loads(text))
    read = time.perf_counter()
    print(
        f"{size:>7} stakeholders: plan {without - started:5.2f} s, with the record "
        f"{with_record - without:5.2f} s ({len(plan.conflicts)} conflicts, "
        f"{len(plan.changes)} changes), next record {made - with_record:5.2f} s "
        f"({len(text) / 1e6:.2f} MB), read back {read - made:5.2f} s"
    )


def main() -> None:
    """Run the benchmark for each size asked."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    for size in parser.parse_args().sizes:
        run(size)


if __name__ == "__main__":
    main()

"""Benchmark: what keyed checksums and saved plans add to a plan of N creates.

Prints the time of ``build_plan``, of the per-change keyed digests, of the record of
applied values, of writing and reading the saved plan, and of judging a re-plan
against it. Not a test: shared
machines are noisy.

    .venv/bin/python bench/saved_plan.py [--sizes 1000 20000]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.approval import judge, read_saved, saved_plan
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import derive_key

CONFIG = Config.model_validate(
    {
        "version": 1,
        "hris": {"provider": "charliehr", "client_id": "env/A", "client_secret": "env/B"},
        "ledgy": {"company": "Acme Ltd", "api_key": "env/C"},
        "stakeholders": {},
    }
)


def _employee(n: int) -> Employee:
    return Employee(
        id=f"tm_{n}",
        work_email=f"person{n}@acme.test",
        name=f"Person {n}",
        first_name="Person",
        last_name=str(n),
        country="GB",
        start_date=date(2020, 1, 1),
        employment_status="active",
    )


def run(size: int) -> None:
    """Time each step for one size."""
    key = derive_key("a Ledgy API key", origin="LEDGY_API_KEY")
    people = [_employee(n) for n in range(size)]
    empty = TargetState("Acme Ltd", (), frozenset())
    started = time.perf_counter()
    plan = build_plan(people, empty, CONFIG, key=key)
    built = time.perf_counter()
    plan.digests  # noqa: B018 - computed once, cached
    digested = time.perf_counter()
    plan.record  # noqa: B018 - the record of applied values, made once
    recorded = time.perf_counter()
    text = json.dumps(saved_plan(plan, config="company.yaml"), indent=2, sort_keys=True)
    approved = read_saved(json.loads(text), where="company.plan.json")
    saved = time.perf_counter()
    verdict = judge(approved, build_plan(people, empty, CONFIG, key=key))
    judged = time.perf_counter()
    print(
        f"{size:>7} creates: build {built - started:6.2f} s, digests {digested - built:5.2f} s, "
        f"record {recorded - digested:5.2f} s, "
        f"save+read {saved - recorded:5.2f} s ({len(text) / 1e6:.1f} MB), "
        f"re-plan+judge {judged - saved:6.2f} s ({verdict.kind})"
    )


def main() -> None:
    """Run the benchmark for each size asked."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    for size in parser.parse_args().sizes:
        run(size)


if __name__ == "__main__":
    main()

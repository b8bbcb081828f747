"""A fixed, realistic plan for snapshots: the demo company on a pinned date."""

from __future__ import annotations

from datetime import date
from functools import cache

from reconciler.config.load import load_config
from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.ledgy import shown
from reconciler.sources.charliehr.normalise import RawCompany, key_table, normalise
from reconciler.sources.charliehr.source import raw_keys_read
from reconciler.targets.ledgy.codec import stakeholder_from_json
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)


@cache
def demo_plan(size: int = 80) -> Plan:
    return build_plan(*demo_inputs(size), key=SANDBOX_KEY)


@cache
def demo_inputs(size: int = 80) -> tuple[tuple[Employee, ...], TargetState, Config]:
    """The demo company's employees, its Ledgy and the example config."""
    loaded = load_config(ROOT / "examples" / "company.yaml")
    config = loaded.config
    company = generate_company(size, seed=3, today=TODAY)
    ledgy = generate_ledgy(company, config, today=TODAY, seed=3)
    raw = RawCompany(company.team_members, company.salaries, company.teams, company.offices)
    employees = normalise(
        raw, key_table(config.hris.field_keys), today=TODAY, wanted_raw=raw_keys_read(config)
    )
    people = tuple(stakeholder_from_json(shown(s)) for s in ledgy.stakeholders)
    state = TargetState(config.ledgy.company, people, frozenset(ledgy.custom_fields))
    return tuple(employees), state, config

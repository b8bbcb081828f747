"""Property: applying a plan, then planning again, yields no changes."""

from __future__ import annotations

import asyncio
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.pipeline import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee

CONF = config(
    optional_fields=["manager", "mobile_phone", "pay_rate"],
    custom_fields=[{"from": "job_title", "to": "Role"}, {"from": "raw.cc", "to": "Cost centre"}],
    sync_if=[{"field": "country", "in": ["GB", "DE"]}],
    terminated={"action": "group", "group": "Alumni"},
)
TEXT = st.one_of(st.none(), st.sampled_from(["Design", "Sales", " Design ", "", "Ops"]))

people = st.builds(
    lambda n, team, title, phone, pay, status, country, city, cc: employee(
        n,
        team=team,
        job_title=title,
        mobile_phone=phone,
        pay_rate=pay,
        employment_status=status,
        country=country,
        city=city,
        raw={"cc": cc},
        birthdate=date(1990, 1, 1 + n % 27),
    ),
    n=st.integers(0, 40),
    team=TEXT,
    title=TEXT,
    city=TEXT,
    cc=TEXT,
    phone=st.sampled_from([None, "+44 7700 900123", "07700 900123", "+49 151 2345678"]),
    pay=st.one_of(st.none(), st.floats(1000, 200000, allow_nan=False).map(lambda x: round(x, 2))),
    status=st.sampled_from(["active", "pending", "inactive"]),
    country=st.sampled_from(["GB", "DE", "US", None]),
)
existing = st.builds(
    lambda n, ident, group, team: Stakeholder(
        id=f"sh_{n:04d}",
        name=f"Person {n}",
        identifier=f"person{n}@acme.test" if ident else None,
        group=group,
        hris={"team": team} if team else {},
    ),
    n=st.integers(0, 40),
    ident=st.booleans(),
    group=st.sampled_from(["Employees", "Founders", None]),
    team=TEXT,
)


@settings(max_examples=80, deadline=None)
@given(
    employees=st.lists(people, max_size=25, unique_by=lambda e: e.id),
    current=st.lists(existing, max_size=25, unique_by=lambda s: s.id),
)
def test_apply_then_plan_yields_no_changes(employees, current) -> None:  # type: ignore[no-untyped-def]
    target = InMemoryTarget(
        TargetState("Acme Ltd", tuple(current), frozenset({"Role", "Cost centre"}))
    )
    first = build_plan(employees, target.state, CONF, key=SANDBOX_KEY)
    results = asyncio.run(target.apply(writes_of(first.changes)))
    assert all(r.ok for r in results)
    second = build_plan(employees, target.state, CONF, key=SANDBOX_KEY)
    assert second.changes == ()
    assert second.unchanged == len(first.changes) + first.unchanged
    identifiers = [s.identifier.casefold() for s in target.state.stakeholders if s.identifier]
    assert len(identifiers) == len(set(identifiers))  # never a duplicate

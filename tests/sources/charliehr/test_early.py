"""Employees handed out early, while the salary ledger arrives: never changed afterwards,
and the read's result is what it would be without them."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import date

import httpx
import pytest

from reconciler.domain.employee import Employee
from reconciler.domain.json import Json
from reconciler.sandbox.charliehr import PREFIX, Behaviour, create_app
from reconciler.sandbox.demo import generate_company
from reconciler.sources.charliehr.client import CharlieHRClient
from reconciler.sources.charliehr.early import EarlyJoins
from reconciler.sources.charliehr.normalise import key_table, salaries_in_force, with_salaries
from reconciler.sources.charliehr.source import CharlieHRSource
from tests.engine.helpers import employee
from tests.sandbox.helpers import CREDENTIALS, TODAY

pytestmark = pytest.mark.anyio
KEYS = key_table()


def _salary(member: int, effective: str, rate: float, kind: str = "full_time") -> Json:
    return {
        "team_member": f"tm_{member:04d}",
        "effective_date": effective,
        "employment_type": kind,
        "pay_rate": rate,
        "pay_period": "year",
        "pay_currency": "GBP",
        "job_title": "Engineer",
    }


def _state(people: Sequence[Employee]) -> list[tuple[object, ...]]:
    return [tuple(getattr(p, f.name) for f in dataclasses.fields(p)) for p in people]


class _Handed(list[Employee]):
    def __call__(self, employees: Sequence[Employee]) -> None:
        self.extend(employees)


PROFILES = [employee(n) for n in range(1, 5)]
FIRST = [_salary(1, "2024-01-01", 40_000.0), _salary(2, "2024-01-01", 50_000.0)]
SECOND = [_salary(1, "2025-01-01", 45_000.0), _salary(3, "2024-06-01", 60_000.0)]


async def test_members_are_handed_out_with_the_salary_in_force_so_far_and_again_when_it_changes() -> (
    None
):
    handed = _Handed()
    joins = EarlyJoins(KEYS, TODAY, handed)
    joins.page(FIRST)
    assert handed == []  # nothing before the profiles are in
    await joins.start(PROFILES, ledger_read=False)
    assert [(e.id, e.pay_rate) for e in handed] == [("tm_0001", 40_000.0), ("tm_0002", 50_000.0)]
    joins.page(SECOND)
    assert sorted((e.id, e.pay_rate) for e in handed[2:]) == [
        ("tm_0001", 45_000.0),
        ("tm_0003", 60_000.0),
    ]


async def test_the_result_is_the_join_without_early_hand_outs_reusing_what_is_unchanged() -> None:
    handed = _Handed()
    joins = EarlyJoins(KEYS, TODAY, handed)
    joins.page(FIRST)
    await joins.start(PROFILES, ledger_read=False)
    joins.page(SECOND)
    before = _state(handed)
    ledger = [*FIRST, *SECOND]
    result = joins.final(PROFILES, salaries_in_force(ledger, KEYS, TODAY))
    fresh = [dataclasses.replace(p) for p in PROFILES]
    assert result == with_salaries(fresh, salaries_in_force(ledger, KEYS, TODAY), KEYS)
    assert _state(handed) == before  # nothing handed out was changed
    assert _state(PROFILES) == _state([employee(n) for n in range(1, 5)])  # nor a profile
    by_id = {e.id: e for e in handed}  # the latest hand-out of each member
    assert [r is by_id.get(r.id) for r in result] == [True, True, True, False]
    assert result[3] is PROFILES[3]  # no salary at all: the profile itself


async def test_a_record_in_force_other_than_the_one_handed_out_gives_a_new_employee() -> None:
    handed = _Handed()
    joins = EarlyJoins(KEYS, TODAY, handed)
    await joins.start(PROFILES, ledger_read=False)
    joins.page([_salary(1, "2024-01-01", 40_000.0)])
    # The ledger as finally read holds a later record that never reached a hand-out.
    ledger = [_salary(1, "2024-01-01", 40_000.0), _salary(1, "2025-03-01", 47_000.0)]
    [first, *_] = joins.final(PROFILES, salaries_in_force(ledger, KEYS, TODAY))
    assert first.pay_rate == 47_000.0 and first is not handed[0]
    assert handed[0].pay_rate == 40_000.0


async def test_with_the_ledger_read_every_member_is_handed_out_at_once() -> None:
    handed = _Handed()
    await EarlyJoins(KEYS, TODAY, handed).start(PROFILES, ledger_read=True)
    assert [e.id for e in handed] == [p.id for p in PROFILES]


SERVED_WAYS = {
    "totals": Behaviour(),
    "next_url only": Behaviour(meta_totals=False),
    "next_url as a path": Behaviour(next_url_style="path"),
    "list without some keys": Behaviour(list_omits=("phone_number", "job_title")),
}
"""Ways the real CharlieHR may page and shape its lists (reference: real-world facts)."""


@pytest.mark.parametrize("page_size", [25, 3])
@pytest.mark.parametrize("way", SERVED_WAYS)
async def test_a_read_with_early_hand_outs_returns_what_a_read_without_returns(
    page_size: int, way: str
) -> None:
    company = generate_company(60, today=date(2026, 12, 7))

    async def read(early: _Handed | None) -> tuple[Employee, ...]:
        app = create_app(company, behaviour=SERVED_WAYS[way])
        client = CharlieHRClient(
            "http://charliehr.test" + PREFIX,
            CREDENTIALS,
            transport=httpx.ASGITransport(app=app),
            page_size=page_size,
        )
        try:
            return await CharlieHRSource(client, today=TODAY).read(early)
        finally:
            await client.aclose()

    handed = _Handed()
    assert await read(handed) == await read(None)
    assert handed  # and people were handed out early


@pytest.mark.parametrize("seed", range(40))
async def test_whatever_pages_arrive_in_whatever_order_the_result_is_the_plain_join(
    seed: int,
) -> None:
    """Pages of the final ledger in any order, some twice (a read again gives new objects
    of the same records), pages of an abandoned read that never reach the result, ties
    on a date and raises dated after today: the result is the join without hand-outs."""
    rng = random.Random(seed)
    profiles = [employee(n) for n in range(1, 13)]
    dates = ["2023-01-01", "2024-01-01", "2024-01-01", "2099-01-01"]
    ledger = [
        _salary(rng.randint(1, 12), rng.choice(dates), float(rng.randint(1, 9) * 10_000))
        for _ in range(30)
    ]
    stale = [_salary(rng.randint(1, 12), "2025-06-01", 1.0) for _ in range(5)]
    pages = [ledger[i : i + 4] for i in range(0, len(ledger), 4)]
    shown = [*pages, *(([dict(r) for r in p]) for p in rng.sample(pages, 3)), stale]
    rng.shuffle(shown)
    handed = _Handed()
    joins = EarlyJoins(KEYS, TODAY, handed)
    split = rng.randint(0, len(shown))
    for page in shown[:split]:
        joins.page(page)
    await joins.start(profiles, ledger_read=False)
    for page in shown[split:]:
        joins.page(page)
    before = _state(handed)
    pay = salaries_in_force(ledger, KEYS, TODAY)
    result = joins.final(profiles, pay)
    assert result == with_salaries([dataclasses.replace(p) for p in profiles], pay, KEYS)
    assert _state(handed) == before

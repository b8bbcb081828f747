from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.engine.build import build_plan
from reconciler.engine.plan import MASK
from reconciler.stakeholder import TargetState
from tests.engine.helpers import config, employee, stakeholder, state

CONF = config(optional_fields=["pay_rate"], terminated={"action": "group", "group": "Alumni"})


def _employees() -> list:  # type: ignore[type-arg]
    return [
        employee(
            n,
            pay_rate=40000.0 + n,
            pay_currency="GBP",
            birthdate=date(1990, 1, n % 28 + 1),
            employment_status="inactive" if n % 5 == 0 else "active",
        )
        for n in range(1, 21)
    ]


def _state() -> TargetState:
    return state(
        *[
            stakeholder(n, group="Employees", hris={"start_date": date(2020, 1, 1)})
            for n in range(1, 15)
        ],
        stakeholder(99, identifier="gone@acme.test"),
    )


def test_changes_are_sorted_creates_first_then_by_identifier() -> None:
    plan = build_plan(_employees(), _state(), CONF)
    actions = [c.action for c in plan.changes]
    assert actions == sorted(actions, key=["create", "update"].index)
    creates = [c.identifier for c in plan.creates]
    assert creates == sorted(creates, key=str.casefold)
    assert plan.summary() == {
        "create": 6,
        "update": 14,
        "unchanged": 0,
        "skipped": 0,
        "orphaned": 1,
        "warnings": 1,  # Alumni: a group no stakeholder is in yet
    }


def test_the_json_masks_personal_values_unless_asked() -> None:
    plan = build_plan(_employees(), _state(), CONF)
    masked = plan.to_dict()
    first = masked["changes"][0]["fields"]
    assert first["hris.pay_rate"] == {"old": None, "new": MASK, "masked": True}
    assert first["birthdate"]["new"] == MASK and first["group"]["new"] in ("Employees", "Alumni")
    shown = plan.to_dict(show_values=True)["changes"][0]["fields"]
    assert isinstance(shown["hris.pay_rate"]["new"], float)
    assert masked["checksum"] == plan.checksum and plan.checksum.startswith("hmac-sha256:")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_checksum_does_not_depend_on_input_order(seed: int) -> None:
    employees, current = _employees(), _state()
    shuffled_employees = list(employees)
    shuffled_people = list(current.stakeholders)
    rng = random.Random(seed)
    rng.shuffle(shuffled_employees)
    rng.shuffle(shuffled_people)
    again = TargetState(current.company, tuple(shuffled_people), current.custom_fields)
    assert (
        build_plan(shuffled_employees, again, CONF).checksum
        == build_plan(employees, current, CONF).checksum
    )


def test_the_checksum_changes_with_the_data() -> None:
    employees = _employees()
    before = build_plan(employees, _state(), CONF).checksum
    employees[0] = employee(1, pay_rate=99999.0)
    assert build_plan(employees, _state(), CONF).checksum != before

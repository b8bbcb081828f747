"""A saved plan read back shows as the plan it was: same JSON, text and Markdown."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from reconciler.domain.gaps import Gap
from reconciler.engine.approval import saved_plan
from reconciler.engine.plan import Plan
from reconciler.engine.plan_data import plan_of_saved
from reconciler.engine.values import Change, Conflict, FieldChange
from reconciler.errors import PlanFileError
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from tests.render.plans import EVERYTHING

PINNED = Change(
    "update",
    "fa@acme.test",
    "Fa\u00a0Lu",
    (
        FieldChange("birthdate", date(1990, 1, 2), date(1990, 2, 1), personal=True),
        FieldChange("phone", "+44 1", None, removed=True),
        FieldChange("team", "A", "B", conflict=True),
    ),
    "sh_9",
    pinned=True,
    from_group="Advisors",
)
CONFLICT = Conflict("fa@acme.test", "sh_9", "Fa Lu", "team", "A", "B", "hr_wins")
HELD = Conflict("fa@acme.test", "sh_9", "Fa Lu", "salary", 1, 2, "review", personal=True)
GAP = Gap(
    ("nationality",),
    "key_absent",
    "GET /team_members",
    "no record carries it",
    "add hris.field_keys",
    key="nationality",
    looks_like=("citizenship (text, 90%)",),
    field_keys=(("nationality", "citizenship"),),
)


def _rich() -> Plan:
    return replace(
        EVERYTHING,
        changes=(*EVERYTHING.changes, PINNED),
        conflicts=(CONFLICT, HELD),
        unread=(GAP,),
    )


def _saved(plan: Plan) -> dict[str, Any]:
    # Through JSON, as the file holds it: dates become text.
    data: dict[str, Any] = json.loads(json.dumps(saved_plan(plan, config="c.yaml")))
    return data


def test_a_saved_plan_read_back_is_the_plan_json_of_the_plan_it_was() -> None:
    plan = _rich()
    back = plan_of_saved(_saved(plan), where="p.json")
    assert back.checksum == plan.checksum
    assert json.loads(json.dumps(back.to_dict())) == json.loads(json.dumps(plan.to_dict()))


def test_a_saved_plan_read_back_renders_as_the_plan_did() -> None:
    plan = _rich()
    back = plan_of_saved(_saved(plan), where="p.json")
    assert render_text(back) == render_text(plan)
    assert render_markdown(back) == render_markdown(plan)


@pytest.mark.parametrize("damage", ["inputs", "changes", "summary"])
def test_a_damaged_saved_plan_is_named_as_such(damage: str) -> None:
    data = _saved(_rich())
    data[damage] = "?"
    with pytest.raises(PlanFileError, match=r"p\.json: the saved plan is damaged"):
        plan_of_saved(data, where="p.json")

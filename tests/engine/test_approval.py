"""The approval against the plan now: exact, resume, done, refused; and saved plan files."""

from __future__ import annotations

import asyncio
import json

import pytest

from reconciler.engine.approval import Approved, check_checksum, judge, read_saved, saved_plan
from reconciler.engine.build import build_plan
from reconciler.errors import PlanFileError
from reconciler.reconcile import writes_of
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, state

CONF = config()


def _approved_of(employees: list, target: InMemoryTarget) -> Approved:  # type: ignore[type-arg]
    data = saved_plan(build_plan(employees, target.state, CONF), config="company.yaml")
    return read_saved(json.loads(json.dumps(data)), where="company.plan.json")


def test_the_reviewed_plan_itself_is_exact() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(5)]
    verdict = judge(_approved_of(people, target), build_plan(people, target.state, CONF))
    assert verdict.kind == "exact" and verdict.remaining == 5


def test_part_landed_resumes_with_the_rest_and_says_how_many() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(5)]
    approved = _approved_of(people, target)
    first = build_plan(people, target.state, CONF)
    asyncio.run(target.apply(writes_of(first.changes[:2])))  # killed after two writes
    verdict = judge(approved, build_plan(people, target.state, CONF))
    assert verdict.kind == "resume"
    assert verdict.message == "resuming: 2 of 5 approved writes had landed; applying the other 3"


def test_all_landed_is_already_applied() -> None:
    target = InMemoryTarget(state())
    people = [employee(n) for n in range(3)]
    approved = _approved_of(people, target)
    asyncio.run(target.apply(writes_of(build_plan(people, target.state, CONF).changes)))
    verdict = judge(approved, build_plan(people, target.state, CONF))
    assert verdict.kind == "done" and verdict.message.startswith("already applied: all 3")


def test_a_change_nobody_approved_is_refused_and_named() -> None:
    target = InMemoryTarget(state())
    approved = _approved_of([employee(1)], target)
    now = build_plan([employee(1), employee(2)], target.state, CONF)  # a new hire since
    verdict = judge(approved, now)
    assert verdict.kind == "refused"
    assert [c.identifier for c in verdict.unapproved] == ["person2@acme.test"]


def test_a_changed_value_of_an_approved_change_is_not_approved() -> None:
    target = InMemoryTarget(state())
    approved = _approved_of([employee(1, country="GB")], target)
    verdict = judge(approved, build_plan([employee(1, country="FR")], target.state, CONF))
    assert verdict.kind == "refused"


def test_only_a_checksum_cannot_resume() -> None:
    target = InMemoryTarget(state())
    plan = build_plan([employee(1), employee(2)], target.state, CONF)
    asyncio.run(target.apply(writes_of(plan.changes[:1])))
    verdict = judge(
        Approved(plan.checksum, "--checksum"),
        build_plan([employee(1), employee(2)], target.state, CONF),
    )
    assert verdict.kind == "refused"


def test_the_saved_plan_is_the_same_bytes_for_the_same_plan() -> None:
    people = [employee(n) for n in range(4)]
    one = json.dumps(saved_plan(build_plan(people, state(), CONF), config="c.yaml"), sort_keys=True)
    two = json.dumps(
        saved_plan(build_plan(list(reversed(people)), state(), CONF), config="c.yaml"),
        sort_keys=True,
    )
    assert one == two and '"digest"' in one


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hmac-sha256:" + "a" * 40, "is truncated (40 of 64 hex digits)"),
        ("hmac-sha256:" + "z" * 64, "is malformed"),
        ("", "is malformed"),
    ],
)
def test_a_bad_checksum_says_what_is_wrong_not_data_changed(text: str, says: str) -> None:
    with pytest.raises(
        PlanFileError, match=r"checksum " + says.replace("(", r"\(").replace(")", r"\)")
    ):
        check_checksum(text, "--checksum")


def test_a_saved_plan_for_another_config_or_edited_is_refused() -> None:
    data = saved_plan(build_plan([employee(1)], state(), CONF), config="a.yaml")
    with pytest.raises(PlanFileError, match=r"not of 'b\.yaml'"):
        read_saved(data, where="p.json", config="b.yaml")
    data["changes"][0]["digest"] = "short"
    with pytest.raises(PlanFileError, match="change 1 has no valid digest"):
        read_saved(data, where="p.json")
    with pytest.raises(PlanFileError, match="is not a saved plan"):
        read_saved({"checksum": "x"}, where="p.json")

"""InMemoryTarget keeps the contract every target keeps: one result per write, in
order, told as it comes, and no duplicate identifier ever created."""

from __future__ import annotations

import asyncio

from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.domain.writes import Write, WriteResult
from reconciler.targets.memory import InMemoryTarget

ADA = Stakeholder(name="Ada Lovelace", id="mem_000001", identifier="ada@acme.test", group="A")


def _target() -> InMemoryTarget:
    return InMemoryTarget(TargetState("Acme", (ADA,), custom_fields=frozenset({"Office"})))


def test_it_reads_what_it_was_given_and_preflight_names_its_custom_fields() -> None:
    target = _target()
    assert asyncio.run(target.preflight()) == frozenset({"Office"})
    assert asyncio.run(target.read()).stakeholders == (ADA,)


def test_writes_land_in_order_each_result_told_as_it_comes() -> None:
    target = _target()
    told: list[WriteResult] = []
    writes = [
        Write(
            "create", "grace@acme.test", {"name": "Grace Hopper", "identifier": "grace@acme.test"}
        ),
        Write("update", "ada@acme.test", {"group": "B"}, stakeholder_id="mem_000001"),
    ]
    results = asyncio.run(target.apply(writes, told.append))
    assert results == told
    assert [(r.ok, r.stakeholder_id) for r in results] == [
        (True, "mem_000002"),
        (True, "mem_000001"),
    ]
    ada, grace = target.state.stakeholders
    assert (ada.group, grace.name, grace.identifier) == ("B", "Grace Hopper", "grace@acme.test")


def test_a_create_whose_identifier_exists_in_any_case_is_refused_and_changes_nothing() -> None:
    target = _target()
    write = Write("create", "ADA@acme.test", {"name": "Ada", "identifier": "ADA@acme.test"})
    (result,) = asyncio.run(target.apply([write]))
    assert (result.ok, result.error) == (False, "identifier ADA@acme.test already exists")
    assert target.state.stakeholders == (ADA,)


def test_an_update_of_an_unknown_stakeholder_is_refused() -> None:
    target = _target()
    write = Write("update", "nobody@acme.test", {"group": "B"}, stakeholder_id="mem_000099")
    (result,) = asyncio.run(target.apply([write]))
    assert (result.ok, result.stakeholder_id, result.error) == (
        False,
        "mem_000099",
        "no such stakeholder",
    )

"""Nobody twice, nobody taken over: look-alike identifiers, adoption across groups and pinned
matches, end to end over both emulators on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ConfigError, CrossGroupAdoptionError
from tests.e2e.harness import live, member, person

pytestmark = pytest.mark.anyio

LOOK_ALIKES = {
    "zero-width space": "person1\u200b@acme.test",
    "Cyrillic a": "person2@\u0430cme.test",
    "Greek omicron": "pers\u03bfn3@acme.test",
}


async def test_look_alike_identifiers_in_ledgy_create_nobody_and_are_one_suspect_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(n) for n in (1, 2, 3)]
    people = [person(n, identifier=v) for n, v in zip((1, 2, 3), LOOK_ALIKES.values(), strict=True)]
    with live(tmp_path, monkeypatch, members, people) as run:
        plan = await run.plan()
    assert (plan.creates, plan.updates, plan.orphaned) == ((), (), ())
    suspects = {s.identifier or "": s.detail for s in plan.skipped if s.reason == "suspect_match"}
    assert sorted(suspects) == [f"person{n}@acme.test" for n in (1, 2, 3)]
    assert "has person1\\u200b@acme.test (U+200B ZERO WIDTH SPACE)" in suspects["person1@acme.test"]
    assert (
        "has person2@\\u0430cme.test (U+0430 CYRILLIC SMALL LETTER A)"
        in suspects["person2@acme.test"]
    )
    assert (
        "has pers\\u03bfn3@acme.test (U+03BF GREEK SMALL LETTER OMICRON)"
        in suspects["person3@acme.test"]
    )
    assert len(plan.skipped) == 3


async def test_a_pin_settles_a_suspect_and_apply_corrects_the_identifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins = "  matches:\n    - {employee: person1@acme.test, stakeholder: sh_0001}"
    people = [person(1, identifier=LOOK_ALIKES["zero-width space"])]
    with live(tmp_path, monkeypatch, [member(1)], people, stakeholders=pins) as run:
        plan = await run.plan()
        (change,) = plan.changes
        assert (change.action, change.stakeholder_id, change.pinned) == ("update", "sh_0001", True)
        await run.apply()
        assert (await run.plan()).changes == ()
    (stakeholder,) = run.ledgy.stakeholders
    assert stakeholder["identifier"] == "person1@acme.test"


async def test_a_new_hire_named_like_an_advisor_does_not_take_over_the_advisor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1, display_name="Grace Hopper")]
    people = [person(7, name="Grace Hopper", identifier=None, email=None, group="Advisors")]
    with live(tmp_path, monkeypatch, members, people) as run:
        plan = await run.plan()
        assert plan.changes == ()
        (skip,) = plan.skipped
        assert (skip.reason, "in group Advisors" in skip.detail) == (
            "name_match_outside_groups",
            True,
        )
        await run.apply()
    (stakeholder,) = run.ledgy.stakeholders
    assert (stakeholder["identifier"], stakeholder["group"]) == (None, "Advisors")


async def test_allowed_adoption_across_groups_is_refused_until_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1, display_name="Grace Hopper")]
    people = [
        person(7, name="Grace Hopper", identifier=None, email=None, group="Advisors"),
        person(8),  # Employees is a group Ledgy has
    ]
    widened = "  adoption: {groups: any}"
    with live(tmp_path, monkeypatch, members, people, stakeholders=widened) as run:
        plan = await run.plan()
        (change,) = plan.changes
        assert (change.stakeholder_id, change.from_group) == ("sh_0007", "Advisors")
        with pytest.raises(CrossGroupAdoptionError):
            await run.apply()
        before = dict(run.ledgy.stakeholders[0])
        await run.apply(force=True)
    after = run.ledgy.stakeholders[0]
    assert (before["identifier"], before["group"]) == (None, "Advisors")
    assert (after["identifier"], after["group"]) == ("person1@acme.test", "Employees")


async def test_a_pin_adopts_a_stakeholder_of_another_name_and_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins = "  matches:\n    - {employee: tm_0001, stakeholder: sh_0007}"
    people = [
        person(7, name="G. Hopper", identifier=None, email=None, group="Advisors"),
        person(8),
    ]
    members = [member(1, display_name="Grace Hopper")]
    with live(tmp_path, monkeypatch, members, people, stakeholders=pins) as run:
        await run.apply()
    stakeholder = run.ledgy.stakeholders[0]
    assert (stakeholder["identifier"], stakeholder["name"]) == ("person1@acme.test", "Grace Hopper")


async def test_a_pin_to_a_stakeholder_id_ledgy_does_not_have_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins = "  matches:\n    - {employee: person1@acme.test, stakeholder: sh_9999}"
    with (
        live(tmp_path, monkeypatch, [member(1)], [person(1)], stakeholders=pins) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{run.loaded.path}:15:50: no Ledgy stakeholder has the Stakeholder ID 'sh_9999'\n"
        "    hint: copy the Stakeholder ID from Ledgy"
    )

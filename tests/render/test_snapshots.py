"""The plan as users see it, pinned as files: Markdown (.md), terminal text, JSON."""

from __future__ import annotations

import asyncio
import json

import pytest
from syrupy.assertion import SnapshotAssertion

from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.pipeline import writes_of
from reconciler.render.json_plan import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from reconciler.targets.memory import InMemoryTarget
from tests.engine.helpers import config, employee, stakeholder, state
from tests.render.scenario import demo_inputs, demo_plan
from tests.snapshots import JSONSnapshotExtension, MarkdownSnapshot, TextSnapshot


@pytest.fixture
def md(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(MarkdownSnapshot)


@pytest.fixture
def txt(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture
def js(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def _unchanged() -> Plan:
    """A plan after its own apply: nothing left to do."""
    conf = config()
    employees = [employee(n) for n in range(1, 4)]
    target = InMemoryTarget(state(stakeholder(1, group="Old")))
    asyncio.run(
        target.apply(writes_of(build_plan(employees, target.state, conf, key=SANDBOX_KEY).changes))
    )
    return build_plan(employees, target.state, conf, key=SANDBOX_KEY)


def _conflicted() -> Plan:
    """Finance edited three values in Ledgy after an apply, under each policy, and the
    config stopped syncing mobile phones (``on_removed_field: clear``)."""
    from dataclasses import replace
    from datetime import date

    from reconciler.domain.stakeholder import Value
    from reconciler.engine.record import Recorded

    synced = config(optional_fields=["mobile_phone"])
    employees = [
        employee(n, birthdate=date(1990, 1, n), mobile_phone=f"+4477009000{n:02d}")
        for n in (1, 2, 3)
    ]
    target = InMemoryTarget(state())
    first = build_plan(employees, target.state, synced, key=SANDBOX_KEY)
    asyncio.run(target.apply(writes_of(first.changes)))
    edits: dict[str, dict[str, Value]] = {
        "person1@acme.test": {"birthdate": date(1991, 1, 1)},
        "person2@acme.test": {"name": "Person Two-Smith"},
        "person3@acme.test": {"hris.start_date": date(2019, 1, 1)},
    }
    people = tuple(s.with_values(edits[s.identifier or ""]) for s in target.state.stakeholders)
    now = config(
        conflicts={"fields": {"birthdate": "review", "hris.start_date": "ledgy_wins"}},
        on_removed_field="clear",
    )
    return build_plan(
        employees,
        replace(target.state, stakeholders=people),
        now,
        recorded=Recorded(first.record),
        key=SANDBOX_KEY,
    )


def test_conflicts_come_first_in_markdown(md: SnapshotAssertion) -> None:
    body = render_markdown(_conflicted())
    assert body.index("### Conflicts") < body.index("### Update")
    assert body == md


def test_conflicts_come_first_in_text(txt: SnapshotAssertion) -> None:
    text = render_text(_conflicted())
    assert text.index("conflicts (3)") < text.index("~ update")
    assert text == txt


def test_demo_plan_markdown(md: SnapshotAssertion) -> None:
    assert render_markdown(demo_plan()) == md


def test_no_changes_markdown(md: SnapshotAssertion) -> None:
    plan = _unchanged()
    assert plan.changes == ()
    assert render_markdown(plan) == md


def test_demo_plan_text(txt: SnapshotAssertion) -> None:
    assert render_text(demo_plan()) == txt


def test_demo_plan_json(js: SnapshotAssertion) -> None:
    assert json.loads(render_json(demo_plan())) == js


def test_colour_only_when_asked() -> None:
    plan = demo_plan()
    assert "\x1b[" not in render_text(plan)
    assert "\x1b[32m+ create" in render_text(plan, color=True)


def test_sticky_comment_as_a_reviewer_sees_it(md: SnapshotAssertion) -> None:
    from reconciler.github.publish import sticky_body
    from reconciler.github.sticky import CommentState
    from reconciler.render.comment import Revision

    plan = demo_plan()
    earlier = CommentState(
        (Revision("2026-11-24 09:12", "hmac-sha256:" + "ab" * 32, 19, 4, 16, "4f2c9e1d0"),)
    )
    body = sticky_body(
        plan,
        earlier,
        key="examples/company.yaml",
        at="2026-11-25 10:30",
        sha="9a8b7c6d5",
        run_url="https://github.com/acme/people-config/actions/runs/4242",
    )
    assert len(body) < 60_000
    assert body == md


def test_a_sticky_comment_with_conflicts(md: SnapshotAssertion) -> None:
    from reconciler.render.comment import plan_comment

    body = plan_comment(_conflicted(), key="company.yaml", run_url="https://example.test/run/1")
    assert body.index("### Conflicts") < body.index("### Update")
    assert body == md


def test_sync_pull_request_as_a_reviewer_sees_it(md: SnapshotAssertion) -> None:
    from reconciler.render.comment import sync_pull_body

    body = sync_pull_body(
        demo_plan(),
        key="examples/company.yaml",
        path="examples/company.plan.json",
        approvals=1,
        run_url="https://github.com/acme/people-config/actions/runs/4242",
    )
    assert len(body) < 60_000
    assert body == md


def test_sticky_comment_of_a_pr_that_adds_a_custom_field(md: SnapshotAssertion) -> None:
    """The reported case: the PR only maps the Office custom field. The creates HR brings
    are pending anyway (the base config plans them too); the PR adds a field to them."""
    from reconciler.engine.effect import pr_effect
    from reconciler.github.publish import sticky_body
    from reconciler.github.sticky import CommentState

    employees, ledgy, config = demo_inputs()
    mappings = config.stakeholders.custom_fields
    without = tuple(m for m in mappings if m.to != "Office")
    base = config.model_copy(
        update={"stakeholders": config.stakeholders.model_copy(update={"custom_fields": without})}
    )
    plan = build_plan(employees, ledgy, config, key=SANDBOX_KEY)
    effect = pr_effect(employees, ledgy, config, base, plan)
    office = [r for r in effect.reshaped if r.field == "custom_fields.Office"]
    assert [(r.verb, r.action, len(r.identifiers)) for r in office] == [
        ("adds", "create", len(plan.creates))
    ]
    body = sticky_body(
        plan,
        CommentState(()),
        key="examples/company.yaml",
        at="2026-11-25 10:30",
        sha="9a8b7c6d5",
        effect=effect,
        run_url="https://github.com/acme/people-config/actions/runs/4242",
    )
    assert f"Adds `custom_fields.Office` to {len(plan.creates)} pending creates" in body
    assert body == md

"""Both Ledgy drivers yield the same stakeholders, so the same plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from reconciler.domain.stakeholder import TargetState
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.pipeline import read
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS
from reconciler.targets.ledgy.workbook import WorkbookTarget, export_workbook
from tests.e2e.harness import live, member, person

pytestmark = pytest.mark.anyio

MAPPING = """  optional_fields: [manager, pay_rate]
  custom_fields: [{from: job_title, to: Job title}]
  terminated: {action: group, group: Alumni}"""


def _scenario() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    members = [
        member(
            n,
            job_title="Engineer" if n % 2 else "Designer",
            end_date="2025-03-31" if n == 3 else None,
        )
        for n in range(1, 9)
    ]
    people = [
        person(1, custom_fields={"Job title": "Engineer"}, hris={"start_date": "2020-01-01"}),
        person(2, custom_fields={"Job title": "Chief Vibes Officer"}, birthdate="1990-01-01"),
        person(3, group="Employees"),
        person(4, identifier=None, name="Person 6"),
        person(5, identifier="gone@acme.test"),
    ]
    return members, people


async def test_one_scenario_through_each_driver_gives_the_same_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members, people = _scenario()
    with live(
        tmp_path, monkeypatch, members, people, stakeholders=MAPPING, custom_fields=("Job title",)
    ) as run:
        sides = run.sides()
        reading = await read(sides)
        await sides.aclose()
    config = run.loaded.config
    through_api = build_plan(reading.employees, reading.state, config, key=SANDBOX_KEY)

    export = tmp_path / "ledgy-export.xlsx"
    export_workbook(reading.state, export, DEFAULT_HEADERS)
    workbook = WorkbookTarget(export, tmp_path / "out", "Acme Ltd")
    from_workbook = await workbook.read()
    assert from_workbook.stakeholders == reading.state.stakeholders
    through_workbook = build_plan(reading.employees, from_workbook, config, key=SANDBOX_KEY)

    assert through_api.has_changes
    assert through_workbook.changes == through_api.changes
    assert through_workbook.checksum == through_api.checksum


async def test_a_hand_edit_in_the_export_shows_up_as_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = [member(1), member(2)]
    with live(
        tmp_path, monkeypatch, members, [], stakeholders=MAPPING, custom_fields=("Job title",)
    ) as run:
        await run.apply()  # Ledgy in step
        sides = run.sides()
        reading = await read(sides)
        await sides.aclose()
    export = tmp_path / "ledgy-export.xlsx"
    export_workbook(reading.state, export, DEFAULT_HEADERS)
    assert (
        build_plan(reading.employees, reading.state, run.loaded.config, key=SANDBOX_KEY).changes
        == ()
    )

    book = load_workbook(export)  # someone edits a cell in Excel
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[2]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=3)
        if r[headers.index("Identifier")].value == "person2@acme.test"
    )
    row[headers.index("Group")].value = "Founders"
    row[headers.index("Job title")].value = "CEO"
    book.save(export)

    edited: TargetState = await WorkbookTarget(export, tmp_path / "out", "Acme Ltd").read()
    (drift,) = build_plan(reading.employees, edited, run.loaded.config, key=SANDBOX_KEY).changes
    assert drift.identifier == "person2@acme.test" and drift.action == "update"
    assert {(f.field, f.old, f.new) for f in drift.fields} == {
        ("group", "Founders", "Employees"),
        ("custom_fields.Job title", "CEO", "Engineer"),
    }

"""The JSON document `apply --format json --out FILE` writes for a pipeline."""

from __future__ import annotations

import json

from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import Change, FieldChange
from reconciler.render.apply_result import render_apply_result

PLAN = Plan(
    changes=(Change("create", "zoë@acme.test", "Zoë", (FieldChange("name", None, "Zoë"),)),),
    unchanged=2,
    skipped=(),
    warnings=(),
    orphaned=(),
    fingerprints=Fingerprints("s", "t", "c"),
    counts=Counts(3, 3, 3),
    key=SANDBOX_KEY,
)
RESULTS = [
    WriteResult(
        Write("create", "zoë@acme.test", {"name": "Zoë", "address.city": "Köln"}),
        ok=True,
        stakeholder_id="sh_1",
    ),
    WriteResult(
        Write("update", "bo@acme.test", {"email": "bo@home.test"}, stakeholder_id="sh_2"),
        ok=False,
        error="Ledgy answered 500",
    ),
]


def test_a_partial_apply_lists_each_write_by_field_name_readable_and_indented() -> None:
    text = render_apply_result(
        "partial",
        "1 of 2 writes failed — run apply again",
        plan=PLAN,
        results=RESULTS,
        held_back=[Write("update", "cy@acme.test")],
    )
    assert text == (
        "{\n"
        '  "version": 1,\n'
        '  "outcome": "partial",\n'
        '  "message": "1 of 2 writes failed — run apply again",\n'
        f'  "checksum": "{PLAN.checksum}",\n'
        '  "summary": {\n'
        '    "create": 1,\n'
        '    "update": 0,\n'
        '    "unchanged": 2,\n'
        '    "skipped": 0,\n'
        '    "orphaned": 0,\n'
        '    "warnings": 0,\n'
        '    "awaiting_upload": 0\n'
        "  },\n"
        '  "written": 1,\n'
        '  "failed": 1,\n'
        '  "writes": [\n'
        "    {\n"
        '      "action": "create",\n'
        '      "identifier": "zoë@acme.test",\n'
        '      "stakeholder_id": "sh_1",\n'
        '      "fields": [\n'
        '        "address.city",\n'
        '        "name"\n'
        "      ],\n"
        '      "ok": true,\n'
        '      "error": null\n'
        "    },\n"
        "    {\n"
        '      "action": "update",\n'
        '      "identifier": "bo@acme.test",\n'
        '      "stakeholder_id": null,\n'
        '      "fields": [\n'
        '        "email"\n'
        "      ],\n"
        '      "ok": false,\n'
        '      "error": "Ledgy answered 500"\n'
        "    }\n"
        "  ],\n"
        '  "held_back": [\n'
        '    "cy@acme.test"\n'
        "  ]\n"
        "}\n"
    )
    assert "Köln" not in text and "bo@home.test" not in text  # field names, never values


def test_a_run_stopped_before_planning_has_no_checksum_or_summary() -> None:
    document = json.loads(render_apply_result("refused", "HR returned too few people"))
    assert document == {
        "version": 1,
        "outcome": "refused",
        "message": "HR returned too few people",
        "checksum": None,
        "summary": None,
        "written": 0,
        "failed": 0,
        "writes": [],
        "held_back": [],
    }

"""The plan as JSON: one indented document of the plan's data, personal values masked
unless asked, readable letters, hidden characters escaped (the demo plan's whole
document is a snapshot in tests/render/test_snapshots.py)."""

from __future__ import annotations

import json

from reconciler.engine.values import Change, FieldChange
from reconciler.render.json_plan import render_json
from tests.render.plans import EVERYTHING, plan


def test_one_indented_document_of_the_plans_data_ending_in_a_newline() -> None:
    text = render_json(EVERYTHING)
    assert text.startswith('{\n  "version": ') and text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert json.loads(text) == EVERYTHING.to_dict()


def test_personal_values_are_masked_unless_asked() -> None:
    masked = json.loads(render_json(EVERYTHING))
    ada = next(c for c in masked["changes"] if c["identifier"] == "ada@acme.test")
    assert ada["fields"]["address.city"]["masked"] is True
    assert "London" not in render_json(EVERYTHING)
    shown = json.loads(render_json(EVERYTHING, show_values=True))
    ada = next(c for c in shown["changes"] if c["identifier"] == "ada@acme.test")
    assert ada["fields"]["address.city"] == {"old": None, "new": "London"}


def test_letters_stay_readable_and_hidden_characters_are_escaped() -> None:
    change = Change(
        "create",
        "zoë@acme.test",
        "Zoë \u202eevil\u200b",
        (FieldChange("job_title", None, "##[error]Chef"),),
    )
    text = render_json(plan((change,)))
    assert '"name": "Zoë \\u202eevil\\u200b"' in text  # a bidi override cannot reorder it
    assert "##[" not in text and "##\\u005berror]Chef" in text  # no workflow command
    assert json.loads(text)["changes"][0]["name"] == "Zoë \u202eevil\u200b"

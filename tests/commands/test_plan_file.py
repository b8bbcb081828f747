"""A saved plan file is read as one; a plan as ``plan`` prints it is named for what it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.engine.approval import saved_plan
from reconciler.errors import PlanFileError
from reconciler.render.json_plan import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from tests.render.plans import EVERYTHING

RENDERED = {
    "text": render_text(EVERYTHING, color=True),
    "markdown": "<!-- reconciler:plan c.yaml -->\n### Plan\n\n" + render_markdown(EVERYTHING),
    "json": render_json(EVERYTHING),
}


@pytest.mark.parametrize("kind", RENDERED)
def test_a_rendered_plan_is_refused_with_how_to_save_one(kind: str, tmp_path: Path) -> None:
    from reconciler.commands.plan_file import load_saved_data

    path = tmp_path / f"plan.{kind}"
    path.write_text(RENDERED[kind], encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        load_saved_data(path)
    error = caught.value
    assert error.message.startswith(f"{path} is a plan as `reconciler plan --format {kind}`")
    assert "not a saved plan" in error.message
    assert "reconciler plan CONFIG --save FILE" in (error.remedy or "")
    assert f"--checksum {EVERYTHING.checksum}" in (error.remedy or "")


def test_a_saved_plan_file_gives_its_data(tmp_path: Path) -> None:
    from reconciler.commands.plan_file import load_saved_data

    path = tmp_path / "plan.json"
    data = saved_plan(EVERYTHING, config="c.yaml")
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_saved_data(path) == json.loads(json.dumps(data))


@pytest.mark.parametrize(
    ("text", "said"),
    [('{"changes": [', "not JSON"), ("hello\n", "not JSON"), ("[1, 2]", None)],
)
def test_other_files_are_not_taken_for_rendered_plans(
    text: str, said: str | None, tmp_path: Path
) -> None:
    from reconciler.commands.plan_file import load_saved_data

    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    if said is None:
        assert load_saved_data(path) == [1, 2]  # read_saved refuses it as not a saved plan
        return
    with pytest.raises(PlanFileError, match=said):
        load_saved_data(path)


def test_a_missing_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    from reconciler.commands.plan_file import load_saved_data

    with pytest.raises(PlanFileError, match=r"cannot be read \(No such file"):
        load_saved_data(tmp_path / "nope.json")

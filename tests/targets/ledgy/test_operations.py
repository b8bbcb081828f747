"""The operations file and the composed batches are valid against schemas/ledgy.graphql."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from reconciler.errors import TargetError
from reconciler.targets.ledgy.operations import REQUIRED, ledgy_schema, load_operations
from tests.conftest import ROOT


def test_the_schema_file_is_the_one_the_package_uses() -> None:
    packaged = ROOT / "reconciler" / "targets" / "ledgy" / "schema.graphql"
    assert packaged.read_text() == (ROOT / "schemas" / "ledgy.graphql").read_text()


def test_the_published_part_is_marked_apart_from_ours() -> None:
    sdl = (ROOT / "schemas" / "ledgy.graphql").read_text()
    assert "auth: Auth!" in sdl
    assert "companyCaptable(groupBy: [CaptableGroupBy], date: Date): CompanyCaptableResult!" in sdl
    published, ours = sdl.split("# --- Part 2: NOT part of Ledgy's published reference ---", 1)
    assert "stakeholders(" in ours and "createStakeholder" in ours
    assert "createStakeholder" not in published.split("type Query")[0]


def test_the_built_in_operations_validate() -> None:
    operations = load_operations()
    assert set(REQUIRED) <= set(operations.by_name)
    for name in REQUIRED:
        assert validate(ledgy_schema(), parse(operations.text(name))) == []


def test_a_composed_batch_validates_and_aliases_each_write() -> None:
    operations = load_operations()
    text, variables = operations.batch(
        [
            ("CreateStakeholder", {"input": {"name": "A"}}),
            ("UpdateStakeholder", {"id": "sh_1", "input": {"group": "Alumni"}}),
            ("UpdateStakeholder", {"id": "sh_2", "input": {"group": "Alumni"}}),
        ]
    )
    assert validate(ledgy_schema(), parse(text)) == []
    assert "w0: createStakeholder(input: $input_0)" in text
    assert "w2: updateStakeholder(id: $id_2, input: $input_2)" in text
    assert variables == {
        "input_0": {"name": "A"},
        "id_1": "sh_1",
        "input_1": {"group": "Alumni"},
        "id_2": "sh_2",
        "input_2": {"group": "Alumni"},
    }


def test_an_edited_operations_file_is_checked_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ops.graphql"
    path.write_text(
        (ROOT / "reconciler/targets/ledgy/operations.graphql")
        .read_text()
        .replace("    nationality\n", "    nationality\n    shoeSize\n", 1)
    )
    with pytest.raises(TargetError) as caught:
        load_operations(path)
    assert f"{path}:" in caught.value.message
    assert "Cannot query field 'shoeSize' on type 'Stakeholder'." in caught.value.message


def test_a_missing_operation_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ops.graphql"
    path.write_text("query Auth { auth { companyId companyName } }\n")
    with pytest.raises(
        TargetError, match="missing the operation\\(s\\) Stakeholders, CustomFields"
    ):
        load_operations(path)


def test_syntax_errors_point_at_the_place(tmp_path: Path) -> None:
    path = tmp_path / "ops.graphql"
    path.write_text("query Auth {\n  auth {\n")
    with pytest.raises(TargetError, match=f"{path}:3:1: Syntax Error"):
        load_operations(path)

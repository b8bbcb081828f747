"""The record of applied values is read from the saved plan file next to the config."""

from __future__ import annotations

import json
from pathlib import Path

from reconciler.artifacts.applied_record import read_record, saved_plan_file
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.record import Digests, Record


def _record() -> Record:
    digests = Digests(SANDBOX_KEY)
    person = digests.person("ada@acme.test")
    return Record(
        digests.check(), {"name": "name"}, {person: {"name": (digests.value(person, "name", "A"),)}}
    )


def test_the_saved_plan_file_sits_next_to_the_config() -> None:
    assert saved_plan_file(Path("people/company.yaml")) == Path("people/company.plan.json")


def test_no_file_and_a_saved_plan_without_a_record_are_no_record(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    assert read_record(config).record is None and read_record(config).problem is None
    saved_plan_file(config).write_text('{"format": "reconciler-saved-plan"}')
    assert (read_record(config).record, read_record(config).problem) == (None, None)


def test_the_record_is_read_back(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    saved_plan_file(config).write_text(json.dumps({"applied": _record().to_data()}))
    found = read_record(config)
    assert found.record == _record() and found.where == str(saved_plan_file(config))


def test_a_broken_file_is_a_problem_not_a_stop(tmp_path: Path) -> None:
    config = tmp_path / "company.yaml"
    saved_plan_file(config).write_text('{"applied": ')
    assert read_record(config).problem == "not JSON; the file may be truncated"
    data = _record().to_data()
    data["people"] = {p: line + " extra" for p, line in data["people"].items()}
    saved_plan_file(config).write_text(json.dumps({"applied": data}))
    problem = read_record(config).problem
    assert problem is not None and "not 1 fields of digests" in problem

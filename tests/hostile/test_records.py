"""Hostile CharlieHR and Ledgy records: a warning or skip on that person, never a crash.

Each file in ``tests/data/hostile/records`` changes one record of a three-person
company (or adds one) and names the exit code, a part of the output, and values
that must never be printed. The plan runs through the CLI on a sandbox directory,
with the real CharlieHR and Ledgy clients on the in-process emulators.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.main import main
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.ledgy_data import LedgyData
from tests.e2e.harness import member, person
from tests.hostile.corpus import HOSTILE

CONFIG = """version: 1
hris: {provider: charliehr, client_id: env/HR_ID, client_secret: env/HR_SECRET}
ledgy: {company: Acme Ltd, api_key: env/LEDGY_KEY}
stakeholders:
  group: Employees
  optional_fields: [manager]
"""
RECORDS = sorted((HOSTILE / "records").glob("*.json"))


def _case(path: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert body["case"] == path.stem
    return body


def _sandbox(folder: Path, case: dict[str, Any]) -> Path:
    members = [member(1), member(2), member(3, **case.get("charliehr", {}))]
    people = [person(1), person(2), person(3, **case.get("ledgy", {}))]
    if "charliehr_extra" in case:
        members.append(member(103, **case["charliehr_extra"]))
        members[2]["end_date"] = "2021-06-30"  # the earlier record of a rehire
    if "ledgy_extra" in case:
        people.append(person(103, **case["ledgy_extra"]))
    CharlieHRData({"id": "co_1", "name": "Acme Ltd"}, members).dump(folder / "charliehr.json")
    LedgyData({"id": "co_1", "name": "Acme Ltd"}, [], people).dump(folder / "ledgy.json")
    (folder / "company.yaml").write_text(CONFIG)
    return folder


def test_the_record_corpus_is_large_enough() -> None:
    assert len(RECORDS) >= 20


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_a_hostile_record_is_handled_on_that_person(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(path)
    folder = _sandbox(tmp_path, case)
    code = main(
        [
            "plan",
            str(folder / "company.yaml"),
            "--sandbox-dir",
            str(folder),
            "--as-of",
            "2025-06-01",
        ]
    )
    out, err = capsys.readouterr()
    assert code != 3, err
    assert code == case["exit"], out + err
    assert case["expect"] in out + err
    for value in case["never"]:
        assert value not in out + err


def test_verbose_output_of_a_hostile_record_holds_no_personal_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(HOSTILE / "records" / "ledgy-birthdate-not-iso.json")
    folder = _sandbox(tmp_path, case)
    argv = ["plan", str(folder / "company.yaml"), "--sandbox-dir", str(folder), "-v"]
    assert main([*argv, "--as-of", "2025-06-01"]) == 0
    out, err = capsys.readouterr()
    assert "31.12.1990" not in out + err and "1990-01-01" not in out + err


def test_an_undecodable_ledgy_value_is_a_warning_on_that_stakeholder() -> None:
    from reconciler.domain.stakeholder import TargetState
    from reconciler.engine.build import build_plan
    from reconciler.targets.ledgy.codec import stakeholder_from_json
    from tests.engine.helpers import config, employee

    record = {"id": "sh_3", "name": "Person 3", "identifier": "person3@acme.test"}
    bad = stakeholder_from_json(record | {"birthdate": "31.12.1990", "group": {"x": 1}})
    assert bad.birthdate is None and bad.problems == ("unreadable:birthdate", "unreadable:group")
    state = TargetState("Acme Ltd", (bad,))
    plan = build_plan([employee(3)], state, config(), key=SANDBOX_KEY)
    messages = [w.message for w in plan.warnings if w.code == "unreadable_ledgy_value"]
    assert messages == [
        "Ledgy stakeholder sh_3: birthdate could not be read (value not shown); it is treated as empty",
        "Ledgy stakeholder sh_3: group could not be read (value not shown); it is treated as empty",
    ]
    assert plan.creates == ()


def test_a_raw_key_typo_stops_the_plan_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _sandbox(tmp_path, {"case": "raw-key-typo", "charliehr": {"cost_centre": "CC-1"}})
    config = folder / "company.yaml"
    config.write_text(CONFIG + "  custom_fields: [{from: raw.cost_centr, to: Cost centre}]\n")
    ledgy = LedgyData.load(folder / "ledgy.json")
    ledgy.custom_fields.append("Cost centre")
    ledgy.dump(folder / "ledgy.json")
    code = main(["plan", str(config), "--sandbox-dir", str(folder), "--as-of", "2025-06-01"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f"{config}:7:26: no CharlieHR employee has the raw key 'cost_centr'; "
        "did you mean 'cost_centre'?"
    ) in err

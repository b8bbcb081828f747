"""``reconciler doctor --apis`` against the emulators answering each way a real API might."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.main import main
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox.charliehr import (
    GROUP_ENTITIES,
    INDEPENDENT,
    META_STYLES,
    NO_SALARY_ID,
    Behaviour,
    CharlieHRData,
    MemberShape,
)
from reconciler.sandbox.demo import generate_company
from tests.e2e.harness import Served, served
from tests.render.structure import hidden_characters, workflow_commands
from tests.sandbox.helpers import TODAY

MANAGER_AND_PAY = "  optional_fields: [manager, pay_rate]\n"
PERSONAL_KEYS = (
    "first_name",
    "last_name",
    "display_name",
    "email",
    "personal_email",
    "phone_number",
    "date_of_birth",
    "address_line_1",
    "address_line_2",
    "city",
    "postcode",
    "line_manager",
)


def _doctor(
    run: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, Any]:
    out = tmp_path / "report.json"
    code = main(["doctor", str(run.loaded.path), "--apis", "--out", str(out)])
    printed = capsys.readouterr()
    return code, printed.out + printed.err, json.loads(out.read_text(encoding="utf-8"))


def _personal_values(company: CharlieHRData) -> set[str]:
    values = {
        str(member[key])
        for member in company.team_members
        for key in PERSONAL_KEYS
        if isinstance(member.get(key), str) and len(str(member[key])) > 3
    }
    values |= {str(s["pay_rate"]) for s in company.salaries if s.get("pay_rate") is not None}
    return values


def test_a_company_as_we_guessed_it_gets_an_ok_and_a_report_with_no_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    company = generate_company(60, today=TODAY)
    with served(tmp_path, monkeypatch, company=company, stakeholders=MANAGER_AND_PAY) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 0, printed
    assert "ok       CharlieHR and Ledgy answer as this config expects" in printed
    endpoints = {e["endpoint"]: e for e in report["charliehr"]["endpoints"]}
    assert set(endpoints) == {"GET /team_members", "GET /salaries", "GET /teams"}
    members = endpoints["GET /team_members"]
    assert (members["records"], members["asked"], members["more"]) == (25, 100, True)
    assert {"key": "date_of_birth", "present": 25, "filled": 25, "types": ["text"]} in members[
        "keys"
    ]
    assert report["charliehr"]["paging"]["page_size"] == 25
    assert report["ledgy"]["company"] == "Acme Ltd"
    text = printed + json.dumps(report)
    leaked = sorted(v for v in _personal_values(company) if v in text)
    assert leaked == []


def test_other_key_names_are_an_error_with_the_lines_to_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    behaviour = Behaviour(member_shape=INDEPENDENT)
    with served(tmp_path, monkeypatch, behaviour=behaviour, stakeholders=MANAGER_AND_PAY) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 1
    roles = {r["role"]: r for r in report["charliehr"]["roles"]}
    assert roles["manager"]["status"] == "absent"
    assert roles["manager"]["field_keys"] == "{manager: manager}"
    assert roles["address_line_1"]["field_keys"] == "{address_line_1: address}"
    assert roles["personal_email"]["field_keys"] is None
    assert "ERROR    manager: CharlieHR GET /team_members has no key 'line_manager'" in printed
    assert "what to do: add under hris in company.yaml: `field_keys: {manager: manager}`" in printed
    assert "WARNING  address_line_1: CharlieHR GET /team_members has no key" in printed


@pytest.mark.parametrize("refusal", ["403", "401", "404", "success_false", "empty"])
def test_a_key_without_salary_access_is_told_in_each_form(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    refusal: str,
) -> None:
    behaviour = Behaviour(salary_refusal=refusal)
    with served(tmp_path, monkeypatch, behaviour=behaviour, client_id=NO_SALARY_ID) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 0, printed  # employment_type alone: a warning
    assert "WARNING  CharlieHR GET /salaries " in printed
    assert "so employment_type would be left unchanged" in printed
    [salaries] = [e for e in report["charliehr"]["endpoints"] if e["endpoint"] == "GET /salaries"]
    assert salaries["answer"] != "ok" or salaries["records"] == 0


def test_pay_without_salary_access_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(tmp_path, monkeypatch, client_id=NO_SALARY_ID, stakeholders=MANAGER_AND_PAY) as run:
        code, printed, _ = _doctor(run, tmp_path, capsys)
    assert code == 1
    assert "ERROR    CharlieHR GET /salaries answered 403" in printed


@pytest.mark.parametrize("refusal", ["disabled", "apollo"])
def test_a_ledgy_account_that_refuses_introspection_is_told_to_use_the_workbook(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    refusal: Any,
) -> None:
    ledgy = ledgy_emulator.Behaviour(introspection=refusal)
    with served(tmp_path, monkeypatch, ledgy_behaviour=ledgy) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 1
    assert report["ledgy"]["introspection"] == "refused"
    assert "does not describe its API" in printed and "ledgy.driver: workbook" in printed


def _workbook(run: Served, tmp_path: Path) -> Path:
    export = tmp_path / "ledgy-export.xlsx"
    key = {"Authorization": f"Bearer {ledgy_emulator.SANDBOX_KEY}"}
    answer = httpx.get(run.ledgy_url + "/export.xlsx", headers=key)
    answer.raise_for_status()
    export.write_bytes(answer.content)
    text = run.loaded.path.read_text().replace(
        "ledgy:\n", "ledgy:\n  driver: workbook\n  workbook: {export: ledgy-export.xlsx}\n", 1
    )
    run.loaded.path.write_text(text)
    return export


@pytest.mark.parametrize(
    ("spelling", "code", "expected"),
    [
        ("aliased", 0, "stakeholder_id = 'Stakeholder id'"),
        ("no-key", 1, "ERROR    the Ledgy export has no column for stakeholder_id"),
    ],
)
def test_the_exports_columns_are_matched_and_a_missing_key_column_is_an_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spelling: Any,
    code: int,
    expected: str,
) -> None:
    ledgy = ledgy_emulator.Behaviour(export_headers=spelling)
    with served(tmp_path, monkeypatch, ledgy_behaviour=ledgy) as run:
        _workbook(run, tmp_path)
        found, printed, report = _doctor(run, tmp_path, capsys)
    assert found == code, printed
    assert expected in printed
    assert report["ledgy"]["driver"] == "workbook"


def test_bad_credentials_are_one_error_and_nothing_else_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(tmp_path, monkeypatch, client_id="wrong") as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 1
    assert "ERROR    CharlieHR refused the credentials" in printed
    assert report["charliehr"]["endpoints"] == []
    assert run.traffic.requests == 1
    assert [f["level"] for f in report["findings"]] == ["error"]
    assert "answer as this config expects" not in printed


def test_a_ledgy_that_refuses_the_key_is_an_error_and_never_an_ok(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(tmp_path, monkeypatch) as run:
        monkeypatch.setenv("LEDGY_KEY", "sentinel-wrong-ledgy-key")
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 1
    assert "ERROR    Ledgy: " in printed and report["ledgy"] is None
    assert "answer as this config expects" not in printed
    assert "sentinel-wrong-ledgy-key" not in printed + json.dumps(report)


@pytest.mark.parametrize(
    ("resource", "status"), [("company", 422), ("company", 200), ("team_members", 422)]
)
def test_an_error_that_quotes_a_record_back_shows_no_value_of_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    resource: str,
    status: int,
) -> None:
    company = generate_company(10, today=TODAY)
    behaviour = Behaviour(echo_errors=(resource,), echo_status=status)
    with served(tmp_path, monkeypatch, company=company, behaviour=behaviour) as run:
        out = tmp_path / "report.json"
        code = main(["doctor", str(run.loaded.path), "--apis", "--out", str(out)])
    printed = capsys.readouterr()
    text = printed.out + printed.err + (out.read_text() if out.exists() else "")
    assert code == 1
    assert f"GET /{resource}" in text and "(masked)" in text  # the record quoted, masked
    assert sorted(v for v in _personal_values(company) if v in text) == []


def test_key_names_a_server_makes_hostile_are_printed_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = (
        ("line_manager", "::error::pwned\u202e"),
        ("city", "##[group]folded"),
        ("job_title", "\x1b[2Jtitle\nnext"),
    )
    behaviour = Behaviour(member_shape=MemberShape(renamed=hostile))
    with served(tmp_path, monkeypatch, behaviour=behaviour) as run:
        _, printed, report = _doctor(run, tmp_path, capsys)
    assert hidden_characters(printed) == [] and workflow_commands(printed) == []
    assert ":error::pwned\\u202e (text" in printed and "##\\x5bgroup]folded" in printed
    assert "\\x1b[2Jtitle\\nnext (text" in printed
    keys = {k["key"] for e in report["charliehr"]["endpoints"] for k in e["keys"]}
    assert {name for _, name in hostile} <= keys  # the JSON keeps the names as they are
    written = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert hidden_characters(written) == [] and workflow_commands(written) == []


def test_a_server_that_honours_pages_of_a_hundred_is_told_to_set_the_page_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    behaviour = Behaviour(max_page_size=100)
    with served(tmp_path, monkeypatch, behaviour=behaviour, size=250) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    assert code == 0, printed
    assert report["charliehr"]["paging"]["page_size"] == 100
    assert "info     CharlieHR honours pages of 100 items (this config asks 25)" in printed
    assert "what to do: set hris.page_size: 100" in printed


@pytest.mark.parametrize(
    ("past_end", "said"),
    [("empty", "empty"), ("not_found", "404"), ("repeat_last", "the last page again")],
)
@pytest.mark.parametrize("style", sorted(META_STYLES))
def test_every_meta_style_and_end_of_list_is_reported_as_served(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    style: Any,
    past_end: Any,
    said: str,
) -> None:
    behaviour = Behaviour(meta_style=style, past_end=past_end)
    with served(tmp_path, monkeypatch, behaviour=behaviour) as run:
        code, printed, report = _doctor(run, tmp_path, capsys)
    paging = report["charliehr"]["paging"]
    assert code == 0, printed
    assert paging["past_end"] == said and paging["pages"] >= 1
    assert set(paging["totals"]) == {
        k for k in META_STYLES[style] if k not in ("next_url", "previous_url")
    }


@pytest.mark.parametrize(
    ("shape", "said"),
    [
        (
            MemberShape(legal_entities=GROUP_ENTITIES),
            "entity: read from the legal entity, key 'legal_entity' (text, filled on 25 of 25",
        ),
        (
            MemberShape(),
            "entity: no record has the key 'legal_entity', so the entity is the office's name",
        ),
    ],
)
def test_the_report_says_where_the_entity_comes_from(
    shape: MemberShape,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    behaviour = Behaviour(member_shape=shape)
    entity_rule = "  sync_if:\n    - {field: entity, in: [Acme GmbH]}\n"
    with served(tmp_path, monkeypatch, behaviour=behaviour, stakeholders=entity_rule) as run:
        code, printed, _ = _doctor(run, tmp_path, capsys)
    assert code == 0, printed
    assert said in printed

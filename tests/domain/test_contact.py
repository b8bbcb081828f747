"""The first-contact report's values: its JSON shape and when it fails a run."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reconciler.domain.contact import (
    ContactReport,
    EndpointSample,
    Finding,
    KeySeen,
    LedgyContact,
    Level,
    Paging,
    RoleFound,
)
from reconciler.render.escape import json_text

MEMBERS = EndpointSample(
    "GET /team_members",
    "ok",
    records=25,
    asked=100,
    more=True,
    meta_keys=("next_url", "total_results"),
    keys=(KeySeen("email", 25, 24, ("text",)),),
)
REFUSED = EndpointSample("GET /salaries", "answered 403")
MANAGER = RoleFound(
    "manager",
    "line_manager",
    "GET /team_members",
    "absent",
    looks_like=("manager (text, filled on 20 of 25 records)",),
    field_keys="{manager: manager}",
)
PAGING = Paging("GET /teams", ("total_results",), True, 1, "empty", 25)
LEDGY = LedgyContact("api", "Acme Ltd", ("createStakeholder",), "allowed")


def _report(
    *levels: Level, paging: Paging | None = PAGING, ledgy: LedgyContact | None = LEDGY
) -> ContactReport:
    findings = tuple(Finding(level, f"a {level}") for level in levels)
    return ContactReport((MEMBERS, REFUSED), (MANAGER,), paging, ledgy, findings)


def _json(report: ContactReport) -> Any:
    """The report as ``--out`` writes it, read back."""
    return json.loads(json_text(report.to_dict()))


def test_to_dict_holds_every_part_as_plain_json_data() -> None:
    data = _json(_report("error"))
    assert data == {
        "version": 1,
        "charliehr": {
            "endpoints": [
                {
                    "endpoint": "GET /team_members",
                    "answer": "ok",
                    "records": 25,
                    "asked": 100,
                    "more": True,
                    "meta_keys": ["next_url", "total_results"],
                    "keys": [{"key": "email", "present": 25, "filled": 24, "types": ["text"]}],
                    "keys_left_out": 0,
                },
                {
                    "endpoint": "GET /salaries",
                    "answer": "answered 403",
                    "records": 0,
                    "asked": 0,
                    "more": False,
                    "meta_keys": [],
                    "keys": [],
                    "keys_left_out": 0,
                },
            ],
            "roles": [
                {
                    "role": "manager",
                    "key": "line_manager",
                    "endpoint": "GET /team_members",
                    "status": "absent",
                    "seen": None,
                    "looks_like": ["manager (text, filled on 20 of 25 records)"],
                    "field_keys": "{manager: manager}",
                }
            ],
            "paging": {
                "endpoint": "GET /teams",
                "totals": ["total_results"],
                "next_url": True,
                "pages": 1,
                "past_end": "empty",
                "page_size": 25,
            },
        },
        "ledgy": {
            "driver": "api",
            "company": "Acme Ltd",
            "operations_missing": ["createStakeholder"],
            "introspection": "allowed",
            "columns_matched": {},
            "columns_unknown": [],
            "columns_missing": [],
        },
        "findings": [{"level": "error", "what": "a error", "remedy": None}],
    }


def test_no_paging_and_no_ledgy_are_null_not_left_out() -> None:
    data = _report(paging=None, ledgy=None).to_dict()
    assert data["charliehr"]["paging"] is None
    assert data["ledgy"] is None
    assert data["findings"] == []


def test_the_workbook_columns_keep_their_roles() -> None:
    columns = LedgyContact(
        "workbook",
        columns_matched={"stakeholder_id": "Stakeholder id"},
        columns_unknown=("Notes",),
        columns_missing=("email",),
    )
    ledgy = _json(_report(ledgy=columns))["ledgy"]
    assert ledgy["columns_matched"] == {"stakeholder_id": "Stakeholder id"}
    assert (ledgy["columns_unknown"], ledgy["columns_missing"]) == (["Notes"], ["email"])
    assert (ledgy["company"], ledgy["introspection"]) == (None, "not_asked")


@pytest.mark.parametrize(
    ("levels", "failed"),
    [
        ((), False),
        (("ok",), False),
        (("info", "warning"), False),
        (("warning", "error"), True),
        (("error",), True),
    ],
)
def test_only_an_error_fails_the_report(levels: tuple[Level, ...], failed: bool) -> None:
    assert _report(*levels).failed is failed

"""What `reconciler validate` says a valid config will do, line by line."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.config.model import Config
from reconciler.render.config_summary import render_config_summary
from tests.engine.helpers import BASE, config

DEFAULTS = (
    "CharlieHR employees -> Ledgy company 'Acme Ltd', written through the GraphQL API\n"
    "  identifier: work_email; primary email: work_email; group: Employees\n"
    "  optional fields: none\n"
    "  custom fields: none\n"
    "  sync if: every employee\n"
    "  leavers: synced\n"
    "  adoption by name: from 'Employees' or no group\n"
    "  safety: at most 30% updates from 10 stakeholders up\n"
    "  rule tests: 0"
)


def test_the_defaults_read_as_none_and_every_employee() -> None:
    assert render_config_summary(config()) == DEFAULTS


def test_every_section_of_a_full_config_is_listed() -> None:
    full = config(
        safety={"max_update_percent": 12.5, "min_existing": 4},
        optional_fields=["manager", "mobile_phone"],
        custom_fields=[
            {"from": "job_title", "to": "Job title"},
            {"from": "raw.cost_centre", "to": "Cost centre"},
        ],
        sync_if=[
            {"field": "country", "in": ["GB", "DE"]},
            {"field": "employment_status", "in": ["active"]},
        ],
        terminated={"action": "group", "group": "Alumni"},
    )
    assert render_config_summary(full).split("\n")[2:8] == [
        "  optional fields: manager, mobile_phone",
        "  custom fields: job_title -> 'Job title', raw.cost_centre -> 'Cost centre'",
        "  sync if: country in [GB, DE] AND employment_status in [active]",
        "  leavers: synced into group 'Alumni'",
        "  adoption by name: from 'Alumni' or 'Employees' or no group",
        "  safety: at most 12.5% updates from 4 stakeholders up",
    ]


@pytest.mark.parametrize(
    ("adoption", "said"),
    [
        ({"groups": "any"}, "from any group or no group"),
        ({"groups": ["Advisors"], "ungrouped": False}, "from 'Advisors'"),
        ({"groups": [], "ungrouped": False}, "off"),
        ({"by_name": False}, "off"),
    ],
)
def test_adoption_by_name_says_where_from(adoption: dict[str, Any], said: str) -> None:
    assert f"\n  adoption by name: {said}\n" in render_config_summary(config(adoption=adoption))


def test_pinned_matches_are_counted() -> None:
    pins = [{"employee": "ada@acme.test", "stakeholder": "new"}]
    assert "\n  adoption by name: from 'Employees' or no group; pinned matches: 1\n" in (
        render_config_summary(config(matches=pins))
    )


def test_each_leaver_policy_has_its_words() -> None:
    skip = render_config_summary(config(terminated={"action": "skip"}))
    assert "\n  leavers: skipped\n" in skip
    assert "\n  leavers: synced\n" in render_config_summary(config(terminated={"action": "sync"}))


def test_the_workbook_driver_names_where_its_files_go() -> None:
    data: dict[str, Any] = {
        **BASE,
        "ledgy": {
            "company": "Acme Ltd",
            "driver": "workbook",
            "workbook": {"export": "ledgy-export.xlsx", "out_dir": "out/upload"},
        },
        "stakeholders": {},
    }
    first = render_config_summary(Config.model_validate(data)).split("\n")[0]
    assert (
        first
        == "CharlieHR employees -> Ledgy company 'Acme Ltd', written as upload files in out/upload"
    )


def test_rule_tests_are_counted() -> None:
    employee = {"work_email": "ada@acme.test", "name": "Ada Lovelace"}
    tests = [
        {"name": f"case {n}", "employee": employee, "expect": {"synced": True}} for n in (1, 2)
    ]
    with_tests = Config.model_validate({**BASE, "stakeholders": {}, "tests": tests})
    assert render_config_summary(with_tests).endswith("\n  rule tests: 2")

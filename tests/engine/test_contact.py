"""The verdict of a first contact: each finding, its level, its words, and their order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from reconciler.config.model import Config
from reconciler.domain.contact import (
    EndpointSample,
    Finding,
    LedgyContact,
    Paging,
    RoleFound,
)
from reconciler.engine.contact import verdict
from tests.engine.helpers import config

OK = Finding("ok", "CharlieHR and Ledgy answer as this config expects")
MEMBERS = EndpointSample("GET /team_members", "ok", 30, 100, False)
SALARIES = EndpointSample("GET /salaries", "ok", 30, 100, False)
PAGING = Paging("GET /team_members", ("total_results",), True, 1, "empty", None)
LEDGY = LedgyContact("api", "Acme Ltd", (), "allowed")
WITH_PAY: dict[str, Any] = {"optional_fields": ["manager", "pay_rate"]}


def _verdict(
    conf: Config | None = None,
    endpoints: Sequence[EndpointSample] = (MEMBERS, SALARIES),
    roles: Sequence[RoleFound] = (),
    paging: Paging | None = PAGING,
    ledgy: LedgyContact | None = LEDGY,
) -> tuple[Finding, ...]:
    return verdict(conf or config(), endpoints, roles, paging, ledgy)


def _absent(role: str, key: str, **found: object) -> RoleFound:
    return RoleFound(role, key, "GET /team_members", "absent", **found)  # type: ignore[arg-type]


def _levels(findings: Sequence[Finding]) -> list[str]:
    return [f.level for f in findings]


def test_a_company_as_we_guessed_it_is_one_ok_line() -> None:
    assert _verdict() == (OK,)


def test_nothing_asked_is_still_ok_when_nothing_is_wrong() -> None:
    assert _verdict(endpoints=(), paging=None, ledgy=None) == (OK,)


# CharlieHR endpoints


@pytest.mark.parametrize("answer", ["answered 403", "answered 401", "said success: false"])
def test_a_refused_salary_endpoint_is_a_warning_naming_the_default_field_left_unchanged(
    answer: str,
) -> None:
    refused = EndpointSample("GET /salaries", answer)
    assert _verdict(endpoints=(MEMBERS, refused)) == (
        Finding(
            "warning",
            f"CharlieHR GET /salaries {answer}: this key has no access to it, so "
            "employment_type would be left unchanged",
            "ask a CharlieHR Super Admin for a key with access to salary data",
        ),
    )


def test_a_refused_salary_endpoint_is_an_error_when_the_config_asks_for_pay() -> None:
    refused = EndpointSample("GET /salaries", "answered 403")
    [finding] = _verdict(config(**WITH_PAY), endpoints=(MEMBERS, refused))
    assert finding.level == "error"
    assert finding.what == (
        "CharlieHR GET /salaries answered 403: this key has no access to it, so "
        "employment_type, pay_rate, pay_period, pay_currency would be left unchanged"
    )


def test_an_empty_salary_list_while_team_members_exist_is_no_access() -> None:
    empty = EndpointSample("GET /salaries", "ok", 0, 100, False)
    [finding] = _verdict(endpoints=(MEMBERS, empty))
    assert finding.level == "warning"
    assert finding.what.startswith(
        "CharlieHR GET /salaries answered an empty list: this key has no access to it"
    )


def test_an_empty_salary_list_of_a_company_without_team_members_is_fine() -> None:
    nobody = EndpointSample("GET /team_members", "ok", 0, 100, False)
    empty = EndpointSample("GET /salaries", "ok", 0, 100, False)
    assert _verdict(endpoints=(nobody, empty)) == (OK,)


def test_another_refused_endpoint_is_a_warning_with_the_generic_remedy() -> None:
    teams = EndpointSample("GET /teams", "answered 403")
    assert _verdict(config(**WITH_PAY), endpoints=(MEMBERS, SALARIES, teams)) == (
        Finding(
            "warning",
            "CharlieHR GET /teams answered 403: this key has no access to it",
            "ask a CharlieHR Super Admin for a key that may read it",
        ),
    )


# roles


def test_a_default_field_whose_key_is_absent_is_a_warning_with_the_line_to_add() -> None:
    address = _absent(
        "address_line_1",
        "address_line_1",
        looks_like=("address (text, filled on 30 of 30 records)",),
        field_keys="{address_line_1: address}",
    )
    assert _verdict(roles=[address]) == (
        Finding(
            "warning",
            "address_line_1: CharlieHR GET /team_members has no key 'address_line_1' on its "
            "first page; keys that look like it: address (text, filled on 30 of 30 records)",
            "add under hris in company.yaml: `field_keys: {address_line_1: address}`",
        ),
    )


def test_a_field_the_config_names_whose_key_is_absent_is_an_error() -> None:
    manager = _absent("manager", "line_manager", field_keys="{manager: manager}")
    [finding] = _verdict(config(**WITH_PAY), roles=[manager])
    assert finding == Finding(
        "error",
        "manager: CharlieHR GET /team_members has no key 'line_manager' on its first page",
        "add under hris in company.yaml: `field_keys: {manager: manager}`",
    )


def test_the_work_email_absent_is_always_an_error() -> None:
    [finding] = _verdict(roles=[_absent("work_email", "email")])
    assert finding.level == "error"


def test_no_look_alike_points_to_the_keys_listed() -> None:
    [finding] = _verdict(roles=[_absent("personal_email", "personal_email")])
    assert finding.remedy == (
        "find the key among those listed above and set it under hris: "
        "`field_keys: {personal_email: <key>}`"
    )


def test_a_key_of_the_wrong_type_says_so() -> None:
    wrong = RoleFound(
        "birthdate", "date_of_birth", "GET /team_members", "wrong_type", "an object, filled …"
    )
    [finding] = _verdict(roles=[wrong])
    assert (finding.level, finding.what) == (
        "warning",
        "birthdate: 'date_of_birth' holds values of a type that cannot be read",
    )


def test_an_absent_salary_join_key_names_every_salary_field_it_feeds() -> None:
    join = RoleFound(
        "salary_member",
        "team_member",
        "GET /salaries",
        "absent",
        field_keys="{salary_member: employee_id}",
    )
    [finding] = _verdict(config(**WITH_PAY), roles=[join])
    assert finding.level == "error"
    assert finding.what.startswith(
        "employment_type, pay_rate, pay_period, pay_currency: CharlieHR GET /salaries has no "
        "key 'team_member'"
    )
    [default] = _verdict(roles=[join])
    assert default.level == "warning" and default.what.startswith("employment_type: ")


@pytest.mark.parametrize(
    "role",
    [
        _absent("gender", "gender"),  # not managed by this config
        RoleFound("manager", "line_manager", "GET /team_members", "found", "text, …"),
        RoleFound("pay_rate", "pay_rate", "GET /salaries", "not_sampled"),
        RoleFound("effective_date", "effective_date", "GET /salaries", "absent"),  # feeds none
    ],
)
def test_roles_found_unsampled_or_of_unmanaged_fields_say_nothing(role: RoleFound) -> None:
    assert _verdict(config(**WITH_PAY), roles=[role]) == (OK,)


# paging


@pytest.mark.parametrize("end", ["empty", "404", "the last page again"])
def test_the_known_ends_of_a_list_say_nothing(end: str) -> None:
    paging = Paging("GET /teams", (), True, 2, end, None)
    assert _verdict(paging=paging) == (OK,)


@pytest.mark.parametrize("end", ["more items", "an error", "500"])
def test_a_page_past_the_end_that_answers_otherwise_is_a_warning(end: str) -> None:
    paging = Paging("GET /teams", (), False, 1, end, None)
    assert _verdict(paging=paging) == (
        Finding(
            "warning",
            f"CharlieHR GET /teams: a page past the end answered {end}; a read may have to "
            "be refused",
            "run `reconciler doctor --apis --out report.json` and send us the file",
        ),
    )


def test_an_end_not_reached_asks_nothing_past_it_and_says_nothing() -> None:
    paging = Paging("GET /teams", (), True, 0, None, None)
    assert _verdict(paging=paging) == (OK,)


def test_a_server_that_honours_larger_pages_is_useful_information_not_a_warning() -> None:
    paging = Paging("GET /team_members", ("total",), True, 3, "empty", 100)
    assert _verdict(paging=paging) == (
        Finding(
            "info",
            "CharlieHR honours pages of 100 items (this config asks 25): a read needs up to "
            "4 times fewer requests",
            "set hris.page_size: 100",
        ),
        OK,
    )


def test_a_server_that_gives_smaller_pages_than_asked_is_a_warning() -> None:
    paging = Paging("GET /team_members", (), True, 3, "empty", 20)
    assert _verdict(paging=paging) == (
        Finding(
            "warning",
            "CharlieHR gives at most 20 items a page; this config asks 25",
            "set hris.page_size: 20",
        ),
    )


@pytest.mark.parametrize("size", [25, None])
def test_the_expected_or_an_unknown_page_size_says_nothing(size: int | None) -> None:
    paging = Paging("GET /team_members", (), True, 2, "empty", size)
    assert _verdict(paging=paging) == (OK,)


# Ledgy


def test_a_ledgy_key_of_another_company_is_an_error() -> None:
    other = LedgyContact("api", "Other Ltd", (), "allowed")
    assert _verdict(ledgy=other) == (
        Finding(
            "error",
            "the Ledgy key belongs to 'Other Ltd', not 'Acme Ltd'",
            "use the key of the configured company, or correct ledgy.company",
        ),
    )


def test_introspection_refused_points_to_the_workbook_driver() -> None:
    refused = LedgyContact("api", "Acme Ltd", introspection="refused")
    assert _verdict(ledgy=refused) == (
        Finding(
            "error",
            "this Ledgy account does not describe its API (introspection is refused)",
            "set ledgy.driver: workbook (docs/ledgy-drivers.md)",
        ),
    )


def test_missing_operations_are_named_and_point_to_the_workbook_driver() -> None:
    missing = LedgyContact("api", "Acme Ltd", ("createStakeholder", "stakeholders"), "allowed")
    assert _verdict(ledgy=missing) == (
        Finding(
            "error",
            "this Ledgy account's API offers no createStakeholder, stakeholders: the api "
            "driver cannot run",
            "set ledgy.driver: workbook (docs/ledgy-drivers.md)",
        ),
    )


def test_a_missing_key_column_is_an_error_other_columns_a_warning_unknown_ones_info() -> None:
    columns = LedgyContact(
        "workbook",
        columns_matched={"name": "Full name"},
        columns_unknown=("Notes", "Shoe size"),
        columns_missing=("email", "hris.start_date", "stakeholder_id"),
    )
    assert _verdict(ledgy=columns) == (
        Finding(
            "error",
            "the Ledgy export has no column for stakeholder_id, email",
            "name it under ledgy.workbook: `columns: {stakeholder_id: <header>}`",
        ),
        Finding(
            "warning",
            "the Ledgy export has no column for hris.start_date: those fields are not synced "
            "under the workbook driver",
            "add the columns to the export, or name them under ledgy.workbook.columns",
        ),
        Finding("info", "columns of the export no config field uses: Notes, Shoe size"),
    )


def test_an_export_with_every_column_is_ok() -> None:
    columns = LedgyContact("workbook", columns_matched={"stakeholder_id": "Stakeholder ID"})
    assert _verdict(ledgy=columns) == (OK,)


def test_columns_are_not_judged_under_the_api_driver() -> None:
    odd = LedgyContact("api", "Acme Ltd", (), "allowed", columns_missing=("stakeholder_id",))
    assert _verdict(ledgy=odd) == (OK,)


# order


def test_errors_come_first_then_warnings_then_information_and_no_ok_line() -> None:
    found = _verdict(
        config(**WITH_PAY),
        endpoints=(MEMBERS, SALARIES, EndpointSample("GET /teams", "answered 403")),
        roles=[_absent("city", "city"), _absent("manager", "line_manager")],
        paging=Paging("GET /team_members", (), True, 3, "more items", 100),
        ledgy=LedgyContact("api", "Other Ltd", (), "refused"),
    )
    assert _levels(found) == ["error", "error", "error", "warning", "warning", "warning", "info"]
    assert OK not in found
    assert [f.what.split(":")[0] for f in found[:3]] == [
        "manager",
        "the Ledgy key belongs to 'Other Ltd', not 'Acme Ltd'",
        "this Ledgy account does not describe its API (introspection is refused)",
    ]


def test_information_alone_keeps_the_ok_line_last() -> None:
    columns = LedgyContact(
        "workbook", columns_matched={"stakeholder_id": "Stakeholder ID"}, columns_unknown=("X",)
    )
    assert _levels(_verdict(ledgy=columns)) == ["info", "ok"]


def test_no_display_name_is_nothing_while_the_first_or_last_name_stands_in() -> None:
    # A plan reads the name from the first and last names then (as member_gaps says).
    display = _absent("display_name", "display_name", field_keys="{display_name: full_name}")
    first = RoleFound("first_name", "first_name", "GET /team_members", "found", "text, …")
    last = RoleFound("last_name", "last_name", "GET /team_members", "found", "text, …")
    assert _verdict(roles=[display, first, last]) == (OK,)
    assert _verdict(roles=[display, _absent("first_name", "first_name"), last]) == (OK,)
    nameless = [display, _absent("first_name", "first_name"), _absent("last_name", "last_name")]
    assert [f.what.split(":")[0] for f in _verdict(roles=nameless)] == ["name"]

"""Raw CharlieHR records to employees: a pure function, tested without HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reconciler.sources.charliehr.normalise import (
    RawCompany,
    key_table,
    normalise,
    salaries_in_force,
)

TODAY = date(2026, 11, 25)
KEYS = key_table()


def _member(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "tm_1",
        "first_name": "Amara",
        "last_name": "Okafor",
        "display_name": "Amara Okafor",
        "email": "amara@acme.test",
        "start_date": "2022-09-05",
        "end_date": None,
        "employment_status": "active",
        "country": "United Kingdom",
        "teams": ["tk_d"],
        "office": "of_1",
        "line_manager": None,
        "phone_number": "07700 900123",
    }
    return base | overrides


TEAMS = [{"id": "tk_d", "name": "Design"}]
OFFICES = [{"id": "of_1", "name": "London HQ"}]


def _one(member: dict[str, Any], **raw: Any) -> Any:
    company = RawCompany(
        [member], raw.get("salaries", []), raw.get("teams", TEAMS), raw.get("offices", OFFICES)
    )
    (employee,) = normalise(
        company, raw.get("keys", KEYS), today=TODAY, wanted_raw=raw.get("wanted", frozenset())
    )
    return employee


@pytest.mark.parametrize(
    ("written", "code", "problems"),
    [
        ("United Kingdom", "GB", ()),
        ("GB", "GB", ()),
        ("Deutschland", "DE", ()),
        ("france", "FR", ()),
        (None, None, ()),
        ("Atlantis", None, ("unknown_country",)),
    ],
)
def test_country_becomes_iso_alpha2(
    written: str | None, code: str | None, problems: tuple[str, ...]
) -> None:
    employee = _one(_member(country=written))
    assert (employee.country, employee.problems) == (code, problems)


@pytest.mark.parametrize(
    ("status", "start", "end", "expected"),
    [
        ("active", "2020-01-01", None, "active"),
        ("active", "2020-01-01", "2026-11-24", "inactive"),  # a past end date wins
        ("active", "2020-01-01", "2026-11-25", "active"),  # leaving today: still here
        ("active", "2026-12-01", None, "pending"),  # a future start wins
        ("Terminated", "2020-01-01", None, "inactive"),
        ("hired", "2020-01-01", None, "pending"),
        (None, "2020-01-01", None, "active"),
    ],
)
def test_employment_status_from_text_and_dates(
    status: str | None, start: str, end: str | None, expected: str
) -> None:
    employee = _one(_member(employment_status=status, start_date=start, end_date=end))
    assert employee.employment_status == expected


def test_an_unknown_status_text_is_flagged_and_read_as_active() -> None:
    employee = _one(_member(employment_status="sabbatical"))
    assert (employee.employment_status, employee.problems) == ("active", ("unknown_status",))


def test_dates_are_parsed_and_bad_ones_flagged() -> None:
    employee = _one(_member(date_of_birth="1991-04-17", start_date="05/09/2022"))
    assert employee.birthdate == date(1991, 4, 17)
    assert employee.start_date is None
    assert employee.problems == ("invalid_date:start_date",)


def test_teams_offices_and_manager_are_joined_by_id() -> None:
    boss = _member(id="tm_0", display_name="Tom Hughes", email="tom@acme.test", teams=[])
    me = _member(line_manager="tm_0", teams=["tk_d", "tk_a"])
    company = RawCompany(
        [boss, me],
        teams=[{"id": "tk_d", "name": "Design"}, {"id": "tk_a", "name": "Admin"}],
        offices=[{"id": "of_1", "name": "London HQ"}],
    )
    _, employee = normalise(company, KEYS, today=TODAY)
    assert (employee.team, employee.office) == ("Admin, Design", "London HQ")
    assert (employee.manager, employee.manager_email) == ("Tom Hughes", "tom@acme.test")


@pytest.mark.parametrize(
    ("teams", "problems"),
    [
        (["tk_d"], ()),
        (["Design"], ()),  # a name where an id was expected is still a known team
        (["tk_gone"], ("unknown_team",)),
        (["tk_d", "tk_gone"], ("unknown_team",)),  # never a partial list of teams
    ],
)
def test_an_unknown_team_id_gives_no_team_and_is_flagged(
    teams: list[str], problems: tuple[str, ...]
) -> None:
    employee = _one(_member(teams=teams))
    assert (employee.team, employee.problems) == (
        "Design" if not problems else None,
        problems,
    )


def test_an_unknown_office_id_gives_no_office_and_is_flagged() -> None:
    assert (_one(_member(office="of_1")).office, _one(_member(office="of_1")).problems) == (
        "London HQ",
        (),
    )
    gone = _one(_member(office="of_gone"))
    assert (gone.office, gone.problems) == (None, ("unknown_office",))


def test_an_unknown_manager_id_is_flagged() -> None:
    assert _one(_member(line_manager="tm_gone")).problems == ("unknown_manager",)


def test_the_salary_in_force_ignores_a_future_raise() -> None:
    salaries = [
        {
            "team_member": "tm_1",
            "effective_date": "2023-04-01",
            "pay_rate": 50000,
            "pay_period": "annual",
            "pay_currency": "GBP",
            "employment_type": "permanent",
        },
        {
            "team_member": "tm_1",
            "effective_date": "2025-04-01",
            "pay_rate": 55000,
            "pay_period": "annual",
            "pay_currency": "GBP",
            "employment_type": "permanent",
        },
        {
            "team_member": "tm_1",
            "effective_date": "2027-01-01",
            "pay_rate": 70000,
            "pay_period": "annual",
            "pay_currency": "GBP",
            "employment_type": "permanent",
        },
    ]
    employee = _one(_member(), salaries=salaries)
    assert (employee.pay_rate, employee.pay_currency, employee.employment_type) == (
        55000.0,
        "GBP",
        "permanent",
    )


def test_salary_ties_go_to_the_later_record() -> None:
    salaries = [
        {"team_member": "m", "effective_date": "2024-01-01", "pay_rate": 1},
        {"team_member": "m", "effective_date": "2024-01-01", "pay_rate": 2},
    ]
    assert salaries_in_force(salaries, KEYS, TODAY)["m"]["pay_rate"] == 2


def test_a_field_key_override_reads_another_raw_key() -> None:
    keys = key_table({"mobile_phone": "mobile", "work_email": "work_email_address"})
    employee = _one(_member(mobile="+44 7700 900999", work_email_address="a@b.test"), keys=keys)
    assert (employee.mobile_phone, employee.work_email) == ("+44 7700 900999", "a@b.test")


def test_only_the_raw_keys_the_config_reads_are_kept() -> None:
    employee = _one(_member(cost_centre="CC-7", shoe_size=44), wanted=frozenset({"cost_centre"}))
    assert dict(employee.raw) == {"cost_centre": "CC-7"}
    assert employee.value("raw.cost_centre") == "CC-7"
    assert employee.value("raw.shoe_size") is None


def test_names_fall_back_to_first_and_last() -> None:
    assert _one(_member(display_name=None)).name == "Amara Okafor"


def test_the_repr_holds_no_personal_value() -> None:
    text = repr(_one(_member(personal_email="amara@mail.example", date_of_birth="1991-04-17")))
    assert "amara" not in text.lower() and "1991" not in text


def test_a_key_the_record_lacks_is_unread_never_empty() -> None:
    member = {k: v for k, v in _member().items() if k not in ("country", "line_manager")}
    employee = _one(member)
    assert dict(employee.unread) == {
        "country": "has no key 'country'",
        "manager": "has no key 'line_manager'",
        "address_line_1": "has no key 'address_line_1'",
        "address_line_2": "has no key 'address_line_2'",
        "city": "has no key 'city'",
        "zip_code": "has no key 'postcode'",
        "birthdate": "has no key 'date_of_birth'",
        "personal_email": "has no key 'personal_email'",
        "job_title": "has no key 'job_title'",
        "gender": "has no key 'gender'",
    }
    assert employee.value("country") is None
    assert "employment_status" not in employee.unread


def test_a_null_value_is_read_as_empty_not_unread() -> None:
    employee = _one(_member(country=None, line_manager=None))
    assert "country" not in employee.unread and "manager" not in employee.unread


@pytest.mark.parametrize(
    ("key", "value", "field", "why"),
    [
        (
            "country",
            {"code": "GB"},
            "country",
            "holds an object in 'country' where text is expected",
        ),
        ("email", ["a@b.test"], "work_email", "holds a list in 'email' where text is expected"),
        (
            "start_date",
            20220905,
            "start_date",
            "holds a number in 'start_date' where a date is expected",
        ),
        (
            "line_manager",
            {"id": "tm_2"},
            "manager",
            "holds an object in 'line_manager' where an employee id is expected",
        ),
        ("teams", [{"id": "tk_d"}], "team", "holds a list in 'teams' where team ids is expected"),
        ("display_name", True, None, None),
    ],
)
def test_a_value_of_the_wrong_type_is_unread_and_never_stringified(
    key: str, value: Any, field: str | None, why: str | None
) -> None:
    employee = _one(_member(**{key: value}))
    if field is None:  # the display name: first and last name stand in
        assert employee.name == "Amara Okafor" and "name" not in employee.unread
        return
    assert employee.unread[field] == why
    assert getattr(employee, field) is None
    assert "tm_2" not in repr(employee.unread) and "GB" not in repr(employee.unread)


def test_the_status_is_unread_only_when_the_dates_do_not_tell() -> None:
    undated = {k: v for k, v in _member().items() if k != "employment_status"}
    assert _one(undated).unread["employment_status"] == "has no key 'employment_status'"
    left = undated | {"end_date": "2024-01-31"}
    assert _one(left).employment_status == "inactive"
    assert "employment_status" not in _one(left).unread


def test_raw_keys_the_config_reads_are_unread_when_absent_or_structured() -> None:
    wanted = frozenset({"cost_centre", "tags", "level"})
    employee = _one(_member(tags=["a"], level=3), wanted=wanted)
    assert {k: v for k, v in employee.unread.items() if k.startswith("raw.")} == {
        "raw.cost_centre": "has no key 'cost_centre'",
        "raw.tags": "holds a list in 'tags' where a value is expected",
    }


SALARY = {
    "team_member": "tm_1",
    "effective_date": "2024-01-01",
    "pay_rate": 50000,
    "pay_period": "annual",
    "pay_currency": "GBP",
    "employment_type": "permanent",
}


def test_salary_keys_the_record_in_force_lacks_are_unread() -> None:
    salary = {k: v for k, v in SALARY.items() if k != "pay_currency"} | {"pay_rate": {"a": 1}}
    employee = _one(_member(job_title="Engineer"), salaries=[salary])
    assert employee.unread["pay_currency"] == "has no key 'pay_currency'"
    assert employee.unread["pay_rate"] == "holds an object in 'pay_rate' where a number is expected"
    assert employee.pay_rate is None and employee.employment_type == "permanent"


def test_a_job_title_the_member_lacks_comes_from_the_salary_and_is_read() -> None:
    member = {k: v for k, v in _member().items() if k != "job_title"}
    titled = _one(member, salaries=[SALARY | {"job_title": "Designer"}])
    assert titled.job_title == "Designer" and "job_title" not in titled.unread
    untitled = _one(member, salaries=[SALARY])
    assert untitled.unread["job_title"] == "has no key 'job_title'"
    assert _one(member).unread["job_title"] == "has no key 'job_title'"


def _entities(*members: dict[str, Any], keys: dict[str, str] = KEYS) -> list[Any]:
    company = RawCompany(list(members), [], TEAMS, [*OFFICES, {"id": "of_2", "name": "Berlin"}])
    return [e.entity for e in normalise(company, keys, today=TODAY)]


def test_the_entity_is_the_legal_entity_when_a_record_carries_one() -> None:
    ltd = _member(id="tm_1", legal_entity="Acme Ltd")
    gmbh = _member(id="tm_2", office="of_2", legal_entity={"id": "le_2", "name": "Acme GmbH"})
    assert _entities(ltd, gmbh) == ["Acme Ltd", "Acme GmbH"]


def test_one_source_for_all_a_record_without_the_key_has_no_entity_not_its_office() -> None:
    company = RawCompany(
        [_member(id="tm_1", legal_entity="Acme Ltd"), _member(id="tm_2")], [], TEAMS, OFFICES
    )
    _, without = normalise(company, KEYS, today=TODAY)
    assert without.entity is None
    assert without.unread["entity"] == "has no key 'legal_entity'"
    assert without.value("entity") is None


def test_without_legal_entities_the_entity_is_the_office() -> None:
    assert _entities(_member(id="tm_1"), _member(id="tm_2", office="of_2")) == [
        "London HQ",
        "Berlin",
    ]
    (no_office,) = normalise(
        RawCompany([{k: v for k, v in _member().items() if k != "office"}], [], TEAMS, OFFICES),
        KEYS,
        today=TODAY,
    )
    assert no_office.entity is None and no_office.unread["entity"] == "has no key 'office'"


def test_field_keys_name_the_key_that_holds_the_entity() -> None:
    keys = key_table({"legal_entity": "employer"})
    assert _entities(_member(employer="Acme SAS"), keys=keys) == ["Acme SAS"]

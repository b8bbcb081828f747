"""Which fields no CharlieHR record gave, and which keys are suggested instead."""

from __future__ import annotations

from typing import Any

from reconciler.domain.contact import KeySeen, RoleFound
from reconciler.sources.charliehr.coverage import (
    SUGGESTIONS,
    KeyStats,
    describe,
    keys_seen,
    member_gaps,
    roles_found,
    salary_gaps,
    survey,
)
from reconciler.sources.charliehr.normalise import RawCompany, key_table, lookups, profile
from tests.sandbox.helpers import TODAY

KEYS = key_table()


def _member(n: int, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"tm_{n}",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "display_name": "Ada Lovelace",
        "email": f"ada{n}@acme.test",
        "personal_email": None,
        "phone_number": None,
        "job_title": "Engineer",
        "date_of_birth": "1990-01-01",
        "start_date": "2020-01-01",
        "end_date": None,
        "employment_status": "active",
        "office": None,
        "line_manager": None,
        "teams": [],
        "address_line_1": "1 Example Street",
        "address_line_2": None,
        "city": "London",
        "postcode": "E1 6AN",
        "country": "GB",
        "gender": None,
    }
    return base | values


def _gaps(members: list[dict[str, Any]], *, detail_view: bool = False) -> list[Any]:
    found = lookups(RawCompany(members), KEYS)
    employees = [profile(m, found, KEYS, TODAY, frozenset()) for m in members]
    return member_gaps(employees, members, KEYS, detail_view=detail_view)


def _renamed(record: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    record = dict(record)
    record[new] = record.pop(old)
    return record


def test_records_with_every_key_leave_no_gap() -> None:
    assert _gaps([_member(1), _member(2)]) == []


def test_a_renamed_key_is_a_gap_that_suggests_the_new_name_and_the_line() -> None:
    members = [_renamed(_member(n, line_manager="tm_1"), "line_manager", "manager") for n in (1, 2)]
    [gap] = _gaps(members)
    assert (gap.fields, gap.reason, gap.endpoint, gap.key) == (
        ("manager",),
        "key_absent",
        "GET /team_members",
        "line_manager",
    )
    assert gap.looks_like == ("manager (text, filled on 2 of 2 records)",)
    assert gap.field_keys == (("manager", "manager"),)
    assert "`field_keys: {manager: manager}`" in gap.remedy
    assert "hris.fetch_details: true" in gap.remedy  # the list view may leave keys out
    assert "detail view" not in _gaps(members, detail_view=True)[0].remedy


def test_one_record_with_the_key_is_enough_for_no_gap() -> None:
    members = [_renamed(_member(1), "postcode", "zip"), _member(2)]
    assert _gaps(members) == []


def test_a_close_spelling_is_suggested_when_no_known_alias_is_there() -> None:
    members = [_renamed(_member(1), "postcode", "postcodes")]
    [gap] = _gaps(members)
    assert gap.field_keys == (("zip_code", "postcodes"),)


def test_keys_another_role_reads_are_never_suggested() -> None:
    members = [_renamed(_member(1), "email", "work_mail")]
    [gap] = _gaps(members)
    assert "personal_email" not in " ".join(gap.looks_like)
    assert gap.field_keys == (("work_email", "work_mail"),)


def test_no_look_alike_gives_a_remedy_that_points_at_doctor() -> None:
    members = [{k: v for k, v in _member(1).items() if k != "gender"}]
    [gap] = _gaps(members)
    assert gap.looks_like == () and gap.field_keys == ()
    assert "`reconciler doctor --apis` lists every key" in gap.remedy
    assert "field_keys: {gender: <key>}" in gap.remedy


def test_the_display_name_is_not_missed_while_first_and_last_name_stand_in() -> None:
    members = [{k: v for k, v in _member(1).items() if k != "display_name"}]
    assert _gaps(members) == []
    nameless = [
        {
            k: v
            for k, v in _member(1).items()
            if k not in ("display_name", "first_name", "last_name")
        }
    ]
    assert {g.fields for g in _gaps(nameless)} == {("first_name",), ("last_name",), ("name",)}


def test_a_value_of_the_wrong_type_on_every_record_is_a_gap_of_its_own() -> None:
    members = [_member(n, line_manager={"id": "tm_9"}) for n in (1, 2)]
    [gap] = _gaps(members)
    assert (gap.fields, gap.reason) == (("manager",), "wrong_type")
    assert "'line_manager' in the wrong JSON type (an object) on every record" in gap.message
    assert "tm_9" not in gap.message + gap.remedy + repr(gap.looks_like)


def test_the_wrong_type_on_some_records_is_left_to_each_employee() -> None:
    members = [_member(1, line_manager={"id": "tm_9"}), _member(2)]
    assert _gaps(members) == []


def test_no_members_no_gaps() -> None:
    assert member_gaps([], [], KEYS, detail_view=False) == []


SALARY = {
    "id": "sal_1",
    "team_member": "tm_1",
    "pay_rate": 1.0,
    "pay_period": "annual",
    "pay_currency": "GBP",
    "effective_date": "2020-01-01",
    "employment_type": "permanent",
}


def test_salary_keys_absent_from_every_record_are_gaps() -> None:
    records = [_renamed(SALARY, "pay_currency", "currency")]
    [gap] = salary_gaps(records, KEYS)
    assert (gap.fields, gap.endpoint, gap.field_keys) == (
        ("pay_currency",),
        "GET /salaries",
        (("pay_currency", "currency"),),
    )
    assert salary_gaps([], KEYS) == []


def test_without_the_member_key_no_salary_joins_anyone_so_every_salary_field_is_unread() -> None:
    records = [_renamed(SALARY, "team_member", "employee_id")]
    [gap] = salary_gaps(records, KEYS)
    assert gap.fields == ("pay_rate", "pay_period", "pay_currency", "employment_type")
    assert (gap.key, gap.field_keys) == ("team_member", (("salary_member", "employee_id"),))


def test_survey_counts_keys_fill_and_types_never_values() -> None:
    records: list[dict[str, Any]] = [{"a": "x", "b": None, "c": {"k": "secret"}}, {"a": 1, "c": []}]
    found = survey(records)
    assert found == {
        "a": KeyStats(2, 2, (("text", 1), ("a number", 1))),
        "b": KeyStats(1, 0, ()),
        "c": KeyStats(2, 1, (("an object", 1),)),
    }
    assert describe("b", found["b"], 2) == "b (null, filled on 0 of 2 records)"
    assert "secret" not in repr(found)


def test_keys_seen_lists_every_key_by_name_with_counts_and_types_most_common_first() -> None:
    records: list[dict[str, Any]] = [
        {"id": 1, "manager": "tm_1", "tags": ["secret"]},
        {"id": "2", "manager": {"id": "tm_2"}, "tags": []},
        {"id": "3", "manager": "tm_3"},
    ]
    assert keys_seen(records) == (
        KeySeen("id", 3, 3, ("text", "a number")),
        KeySeen("manager", 3, 3, ("text", "an object")),
        KeySeen("tags", 2, 1, ("a list",)),
    )
    assert "secret" not in repr(keys_seen(records)) and "tm_" not in repr(keys_seen(records))
    assert keys_seen([]) == ()


def _roles(samples: dict[str, list[dict[str, Any]]]) -> dict[str, RoleFound]:
    return {r.role: r for r in roles_found(samples, KEYS)}


def test_roles_found_on_records_as_we_guessed_them() -> None:
    members = [_member(1, line_manager="tm_2"), _member(2)]
    roles = _roles({"team_member": members, "salary": [SALARY]})
    assert roles["manager"] == RoleFound(
        "manager",
        "line_manager",
        "GET /team_members",
        "found",
        "text, filled on 1 of 2 records",
    )
    assert roles["pay_rate"].endpoint == "GET /salaries"
    # No record names a legal entity (the office stands in): the one role absent.
    assert {r.status for r in roles.values() if r.role != "legal_entity"} == {"found"}
    assert roles["legal_entity"].status == "absent"
    assert list(roles)[-2:] == ["salary_member", "effective_date"]  # the join, then its date


def test_an_absent_role_comes_with_its_look_alikes_and_the_line_to_add() -> None:
    members = [_renamed(_member(n, line_manager="tm_1"), "line_manager", "manager") for n in (1, 2)]
    manager = _roles({"team_member": members})["manager"]
    assert manager == RoleFound(
        "manager",
        "line_manager",
        "GET /team_members",
        "absent",
        None,
        ("manager (text, filled on 2 of 2 records)",),
        "{manager: manager}",
    )


def test_an_absent_role_without_look_alikes_suggests_no_line() -> None:
    members = [{k: v for k, v in _member(1).items() if k != "gender"}]
    gender = _roles({"team_member": members})["gender"]
    assert (gender.status, gender.looks_like, gender.field_keys) == ("absent", (), None)


def test_no_more_look_alikes_than_suggested_are_listed() -> None:
    record = _renamed(_member(1), "line_manager", "manager")
    record |= {"manager_id": "x", "line_manager_id": "y", "reports_to": "z", "line_managers": "w"}
    manager = _roles({"team_member": [record]})["manager"]
    assert len(manager.looks_like) == SUGGESTIONS
    assert manager.field_keys == "{manager: manager}"  # the known alias first


def test_a_key_holding_only_structured_values_is_of_the_wrong_type() -> None:
    members = [_member(n, line_manager={"id": "tm_9"}) for n in (1, 2)]
    manager = _roles({"team_member": members})["manager"]
    assert (manager.status, manager.seen) == ("wrong_type", "an object, filled on 2 of 2 records")
    assert "tm_9" not in repr(manager)


def test_teams_may_be_a_list_but_a_manager_may_not() -> None:
    members = [_member(1, teams=["t_1"], line_manager=["tm_2"])]
    roles = _roles({"team_member": members})
    assert (roles["teams"].status, roles["manager"].status) == ("found", "wrong_type")


def test_a_key_that_is_always_null_is_found_not_of_the_wrong_type() -> None:
    gender = _roles({"team_member": [_member(1), _member(2)]})["gender"]
    assert (gender.status, gender.seen) == ("found", "null, filled on 0 of 2 records")


def test_a_resource_not_sampled_or_empty_is_not_sampled() -> None:
    refused = _roles({"team_member": [_member(1)]})
    assert {refused[r].status for r in ("pay_rate", "salary_member", "effective_date")} == {
        "not_sampled"
    }
    empty = _roles({"team_member": [], "salary": []})
    assert {r.status for r in empty.values()} == {"not_sampled"}


def test_the_salary_join_key_absent_suggests_the_key_that_names_the_member() -> None:
    records = [_renamed(SALARY, "team_member", "employee_id")]
    join = _roles({"team_member": [_member(1)], "salary": records})["salary_member"]
    assert (join.status, join.key, join.endpoint) == ("absent", "team_member", "GET /salaries")
    assert join.field_keys == "{salary_member: employee_id}"
    assert join.looks_like == ("employee_id (text, filled on 1 of 1 records)",)


def test_roles_follow_the_configured_field_keys() -> None:
    members = [_renamed(_member(1, line_manager="tm_2"), "line_manager", "manager")]
    manager = {
        r.role: r for r in roles_found({"team_member": members}, key_table({"manager": "manager"}))
    }["manager"]
    assert (manager.key, manager.status) == ("manager", "found")

from __future__ import annotations

from datetime import date

import pytest

from reconciler.engine.desired import desired_state, field_sources, outcome, personal_fields
from reconciler.engine.phones import to_e164
from reconciler.engine.values import Skip
from tests.engine.helpers import config, employee


def _one(conf, person):  # type: ignore[no-untyped-def]
    (item,) = desired_state([person], conf.stakeholders)
    return item


def test_the_default_set_without_options() -> None:
    fields = set(field_sources(config().stakeholders))
    assert fields == {
        "name",
        "email",
        "identifier",
        "birthdate",
        "group",
        "address.line1",
        "address.line2",
        "address.postcode",
        "address.city",
        "address.country",
        "hris.personal_email",
        "hris.start_date",
        "hris.termination_date",
        "hris.employment_status",
        "hris.employment_type",
        "hris.team",
    }


def test_optional_fields_add_manager_mobile_and_pay() -> None:
    fields = set(
        field_sources(config(optional_fields=["manager", "mobile_phone", "pay_rate"]).stakeholders)
    )
    assert {
        "hris.manager",
        "hris.mobile_phone",
        "hris.pay_rate",
        "hris.pay_period",
        "hris.pay_currency",
    } <= fields


def test_values_of_a_synced_employee() -> None:
    conf = config(
        group="Staff",
        custom_fields=[{"from": "job_title", "to": "Role"}, {"from": "start_date", "to": "Joined"}],
    )
    item = _one(conf, employee(1, job_title="Engineer", city="London", birthdate=date(1990, 1, 2)))
    assert item.synced and item.identifier == "person1@acme.test"
    values = dict(item.values or {})
    assert values["group"] == "Staff" and values["email"] == "person1@acme.test"
    assert values["address.city"] == "London" and values["birthdate"] == date(1990, 1, 2)
    assert values["custom_fields.Role"] == "Engineer"
    assert values["custom_fields.Joined"] == "2020-01-01"  # custom fields are text
    assert values["hris.start_date"] == date(2020, 1, 1)


def test_the_primary_email_can_be_the_personal_one() -> None:
    item = _one(config(email="personal_email"), employee(1, personal_email="p@mail.example"))
    assert item.values is not None and item.values["email"] == "p@mail.example"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("07700 900123", None),
        ("+49 151 23456789", "+4915123456789"),
        ("call me", None),
        (None, None),
    ],
)
def test_mobiles_become_e164_only_with_a_country_code(raw: str | None, e164: str | None) -> None:
    assert to_e164(raw) == e164


def test_a_mobile_without_country_code_is_left_unsynced_with_a_warning() -> None:
    item = _one(
        config(optional_fields=["mobile_phone"]),
        employee(1, mobile_phone="07700 900123", city="Leeds"),
    )
    assert item.values is not None
    assert "hris.mobile_phone" not in item.values and item.values["address.city"] == "Leeds"
    assert [w.code for w in item.warnings] == ["invalid_mobile"]
    assert "07700" not in item.warnings[0].message


def test_a_valid_mobile_is_synced_in_e164() -> None:
    item = _one(
        config(optional_fields=["mobile_phone"]), employee(1, mobile_phone="+44 7700 900123")
    )
    assert item.values is not None and item.values["hris.mobile_phone"] == "+447700900123"


@pytest.mark.parametrize(
    ("terminated", "synced", "group", "reason"),
    [
        ({"action": "skip"}, False, None, "terminated"),
        ({"action": "sync"}, True, "Employees", None),
        ({"action": "group", "group": "Alumni"}, True, "Alumni", None),
    ],
)
def test_leavers_follow_the_terminated_action(
    terminated: dict[str, str], synced: bool, group: str | None, reason: str | None
) -> None:
    item = _one(config(terminated=terminated), employee(1, employment_status="inactive"))
    assert item.synced is synced
    assert (item.values or {}).get("group") == group
    assert (item.skip.reason if item.skip else None) == reason


def test_a_skipped_employee_carries_the_first_failed_rule() -> None:
    conf = config(
        sync_if=[
            {"field": "employment_status", "in": ["active"]},
            {"field": "country", "in": ["DE"]},
        ]
    )
    item = _one(conf, employee(1, country="GB"))
    assert item.skip is not None and (item.skip.reason, item.skip.rule) == ("sync_if", 1)
    assert item.skip.detail == "sync_if[1]: country is not one of DE"


def test_no_work_email_is_missing_identifier() -> None:
    item = _one(config(), employee(1, work_email=None))
    assert item.skip is not None and item.skip.reason == "missing_identifier"


def test_a_shared_work_email_skips_both() -> None:
    items = desired_state(
        [employee(1), employee(2, work_email="PERSON1@acme.test")], config().stakeholders
    )
    assert [i.skip.reason if i.skip else None for i in items] == ["duplicate_identifier"] * 2


def test_unreadable_values_are_left_unsynced() -> None:
    person = employee(1, country=None, problems=("unknown_country", "invalid_date:birthdate"))
    item = _one(config(), person)
    assert item.values is not None
    assert "address.country" not in item.values and "birthdate" not in item.values
    assert {w.code for w in item.warnings} == {"unknown_country", "invalid_date"}


# --- Each skip and warning exactly, as the plan shows them ------------------------------


def test_a_rehired_employee_s_earlier_record_is_superseded_by_the_current_one() -> None:
    earlier = employee(1, employment_status="inactive")
    current = employee(2, work_email="Person1@acme.test ")
    old, new = desired_state([earlier, current], config().stakeholders)
    assert old.skip == Skip(
        "tm_0001",
        "person1@acme.test",
        "duplicate_identifier",
        "an earlier record of a rehired employee: a current employee has this work email "
        "and is synced instead",
    )
    assert old.identifier == "person1@acme.test" and old.values is None
    assert new.synced and new.identifier == "person1@acme.test"


def test_two_current_employees_sharing_an_email_are_both_skipped_with_the_count() -> None:
    people = [
        employee(1),
        employee(2, work_email="person1@acme.test"),
        employee(3, work_email="person1@acme.test", employment_status="inactive"),
        employee(4),
    ]
    items = desired_state(people, config().stakeholders)
    detail = "3 employees share this work email"
    assert [i.skip for i in items[:3]] == [
        Skip(f"tm_000{n}", "person1@acme.test", "duplicate_identifier", detail) for n in (1, 2, 3)
    ]
    assert items[3].synced


def test_every_shared_email_is_judged_whatever_comes_before_it() -> None:
    people = [
        employee(1),
        employee(2, employment_status="inactive"),
        employee(3, work_email="person2@acme.test"),  # the rehire of 2
        employee(4),
        employee(5, work_email="person4@acme.test"),
    ]
    items = desired_state(people, config().stakeholders)
    assert [(i.identifier, i.skip.detail if i.skip else None) for i in items] == [
        ("person1@acme.test", None),
        (
            "person2@acme.test",
            "an earlier record of a rehired employee: a current employee has this work email "
            "and is synced instead",
        ),
        ("person2@acme.test", None),
        ("person4@acme.test", "2 employees share this work email"),
        ("person4@acme.test", "2 employees share this work email"),
    ]


def test_a_record_the_rules_leave_out_does_not_make_its_work_email_shared() -> None:
    conf = config(sync_if=[{"field": "team", "in": ["Design"]}])
    people = [employee(1, team="Sales"), employee(2, work_email="person1@acme.test", team="Design")]
    left_out, synced = desired_state(people, conf.stakeholders)
    assert left_out.skip is not None and left_out.skip.reason == "sync_if"
    assert synced.synced and synced.identifier == "person1@acme.test"


def test_every_skip_reason_is_exact() -> None:
    conf = config(sync_if=[{"field": "country", "in": ["GB", "FR"]}], terminated={"action": "skip"})
    people = [
        employee(1, country="DE"),
        employee(2, employment_status="inactive"),
        employee(3, work_email=None),
        employee(4, work_email="person 4@acme.test"),
    ]
    rule, leaver, nomail, bad = desired_state(people, conf.stakeholders)
    assert rule.skip == Skip(
        "tm_0001", "person1@acme.test", "sync_if", "sync_if[0]: country is not one of GB, FR", 0
    )
    assert leaver.skip == Skip(
        "tm_0002", "person2@acme.test", "terminated", "a leaver, and terminated.action is skip"
    )
    assert nomail.skip == Skip(
        "tm_0003", None, "missing_identifier", "the employee has no work email"
    )
    assert bad.skip == Skip(
        "tm_0004", "person 4@acme.test", "invalid_identifier", "the work email holds a space"
    )
    assert [o.values for o in (rule, leaver, nomail, bad)] == [None] * 4
    # A skipped outcome still holds its employee (the demo names out-of-scope people by it).
    assert [o.employee for o in (rule, leaver, nomail, bad)] == people


def test_the_rule_is_checked_before_the_leaver_policy_and_the_email() -> None:
    conf = config(sync_if=[{"field": "country", "in": ["GB"]}], terminated={"action": "skip"})
    (item,) = desired_state(
        [employee(1, country="DE", employment_status="inactive", work_email=None)],
        conf.stakeholders,
    )
    assert item.skip is not None and item.skip.reason == "sync_if" and item.identifier is None


def test_problems_become_warnings_with_exact_messages() -> None:
    person = employee(
        1,
        name=None,
        manager="Nobody",
        problems=(
            "invalid_date:start_date",
            "unknown_status",
            "unknown_manager",
            "not_a_known_code",
        ),
    )
    item = _one(config(optional_fields=["manager"]), person)
    assert [(w.identifier, w.code, w.message, w.employee_id) for w in item.warnings] == [
        (
            "person1@acme.test",
            "invalid_date",
            "start_date is not a date (YYYY-MM-DD); it is left unsynced",
            "tm_0001",
        ),
        (
            "person1@acme.test",
            "unknown_status",
            "the employment status text is unknown; read as active",
            "tm_0001",
        ),
        (
            "person1@acme.test",
            "unknown_manager",
            "the line manager is not a known employee; manager is left unsynced",
            "tm_0001",
        ),
        (
            "person1@acme.test",
            "missing_name",
            "the employee has no name; the work email stands in for it",
            "tm_0001",
        ),
    ]
    assert item.values is not None
    assert item.values["name"] == "person1@acme.test"
    assert "hris.start_date" not in item.values and "hris.manager" not in item.values
    assert item.values["hris.employment_status"] == "active"


def test_an_unknown_country_warns_and_leaves_only_the_country_unsynced() -> None:
    item = _one(config(), employee(1, country="Narnia", problems=("unknown_country",)))
    assert [(w.code, w.message) for w in item.warnings] == [
        (
            "unknown_country",
            "the country is not a known country name or code; it is left unsynced",
        )
    ]
    assert item.values is not None and "address.country" not in item.values
    assert item.values["address.city"] is None and item.values["name"] == "Person 1"


def test_an_unknown_team_warns_and_leaves_the_team_unchanged() -> None:
    item = _one(config(), employee(1, team=None, problems=("unknown_team",)))
    assert [(w.code, w.message) for w in item.warnings] == [
        ("unknown_team", "a team id is not a known CharlieHR team; team is left unsynced")
    ]
    assert item.values is not None and "hris.team" not in item.values


def test_an_unknown_office_warns_only_where_the_config_reads_the_office() -> None:
    person = employee(1, office=None, problems=("unknown_office",))
    read = _one(config(custom_fields=[{"from": "office", "to": "Office"}]), person)
    assert [(w.code, w.message) for w in read.warnings] == [
        ("unknown_office", "the office id is not a known CharlieHR office; office is left unsynced")
    ]
    assert read.values is not None and "custom_fields.Office" not in read.values
    unread = _one(config(), person)
    assert unread.warnings == ()
    no_manager = _one(config(), employee(1, problems=("unknown_manager",)))
    assert no_manager.warnings == ()  # manager is not synced: nothing to warn about


def test_a_bad_mobile_warns_once_and_no_mobile_warns_not() -> None:
    conf = config(optional_fields=["mobile_phone"])
    bad = _one(conf, employee(1, mobile_phone="07700 900123"))
    assert [(w.code, w.message) for w in bad.warnings] == [
        ("invalid_mobile", "the mobile number has no country code; mobile_phone is left unsynced")
    ]
    assert bad.values is not None and "hris.mobile_phone" not in bad.values
    none = _one(conf, employee(1, mobile_phone=None))
    assert none.warnings == () and none.values is not None
    assert none.values["hris.mobile_phone"] is None


def test_emails_are_trimmed_case_kept_identifiers_folded_and_custom_fields_text() -> None:
    conf = config(
        email="personal_email",
        custom_fields=[{"from": "pay_rate", "to": "Pay"}, {"from": "raw.level", "to": "Level"}],
    )
    person = employee(
        1,
        work_email=" Ada.L@Acme.Test. ",
        personal_email=" Ada@Home.Test ",
        pay_rate=50000.0,
        raw={"level": 3},
    )
    item = _one(conf, person)
    assert item.values is not None
    assert item.identifier == "ada.l@acme.test"
    assert item.values["identifier"] == "ada.l@acme.test"
    assert item.values["email"] == "Ada@Home.Test"
    assert item.values["hris.personal_email"] == "Ada@Home.Test"
    assert item.values["custom_fields.Pay"] == "50000"
    assert item.values["custom_fields.Level"] == "3"
    assert item.values["group"] == "Employees"


def test_unread_hr_fields_leave_the_plan_fields_they_feed_out() -> None:
    people = config(optional_fields=["pay_rate"]).stakeholders
    sources = field_sources(people, frozenset({"pay_rate", "birthdate"}))
    assert "hris.pay_rate" not in sources and "birthdate" not in sources
    assert sources["hris.pay_currency"] == "pay_currency" and sources["group"] is None
    item = desired_state([employee(1, pay_rate=1.0)], people, frozenset({"pay_rate", "birthdate"}))[
        0
    ]
    assert item.values is not None
    assert "hris.pay_rate" not in item.values and "birthdate" not in item.values


def test_personal_fields_are_the_plan_fields_with_a_personal_source() -> None:
    sources = field_sources(config(optional_fields=["pay_rate", "mobile_phone"]).stakeholders)
    assert personal_fields(sources) == frozenset(
        {
            "birthdate",
            "address.line1",
            "address.line2",
            "address.postcode",
            "address.city",
            "address.country",
            "hris.personal_email",
            "hris.pay_rate",
            "hris.pay_period",
            "hris.pay_currency",
            "hris.mobile_phone",
        }
    )


def test_a_bad_mobile_leaves_every_other_field_synced() -> None:
    conf = config(optional_fields=["mobile_phone"], custom_fields=[{"from": "team", "to": "Team"}])
    item = _one(conf, employee(1, mobile_phone="07700 900123", team="Ops"))
    assert item.values is not None and "hris.mobile_phone" not in item.values
    assert item.values["custom_fields.Team"] == "Ops"


def test_one_outcome_is_the_plan_s_own_and_reads_only_the_sources_given() -> None:
    # Rule tests judge one fixture employee through `outcome`: it must say what a plan says.
    conf = config(
        group="Staff",
        sync_if=[{"field": "country", "in": ["GB"]}],
        custom_fields=[{"from": "job_title", "to": "Role"}],
    )
    people = conf.stakeholders
    sources = field_sources(people)
    for person in (employee(1, job_title="Engineer"), employee(2, country="DE")):
        assert outcome(person, people, sources) == desired_state([person], people)[0]
    narrow = outcome(employee(1, job_title="Engineer"), people, {"name": "name", "group": None})
    assert narrow.values == {
        "name": "Person 1",
        "identifier": "person1@acme.test",
        "group": "Staff",
    }


def _unread(**why: str) -> dict[str, object]:
    return {"unread": why}


def test_a_field_the_record_did_not_give_is_left_out_with_a_warning() -> None:
    person = employee(1, city=None, **_unread(city="has no key 'city'"))
    item = _one(config(), person)
    assert item.values is not None and "address.city" not in item.values
    assert [(w.code, w.message) for w in item.warnings] == [
        (
            "unread_field",
            "address.city: CharlieHR's record has no key 'city', so it is left unchanged in Ledgy",
        )
    ]
    assert item.values["address.country"] == "GB"  # the rest of the stakeholder still syncs


def test_an_unread_raw_key_leaves_its_custom_field_unchanged() -> None:
    conf = config(custom_fields=[{"from": "raw.level", "to": "Level"}])
    person = employee(1, **_unread(**{"raw.level": "has no key 'level'"}))
    item = _one(conf, person)
    assert item.values is not None and "custom_fields.Level" not in item.values


def test_an_unread_name_is_not_replaced_by_the_work_email() -> None:
    person = employee(1, name=None, **_unread(name="has no key 'display_name'"))
    item = _one(config(), person)
    assert item.values is not None and "name" not in item.values
    assert "missing_name" not in {w.code for w in item.warnings}


def test_an_unknown_status_leaves_the_group_alone_when_leavers_have_a_group_of_their_own() -> None:
    why = _unread(employment_status="has no key 'employment_status'")
    grouped = config(terminated={"action": "group", "group": "Alumni"})
    item = _one(grouped, employee(1, **why))
    assert item.values is not None and "group" not in item.values
    assert "hris.employment_status" not in item.values
    assert any(w.message.startswith("group: the employment status") for w in item.warnings)
    assert _one(config(), employee(1, **why)).values["group"] == "Employees"  # type: ignore[index]


def test_a_rule_on_an_unread_field_never_matches_and_says_why() -> None:
    conf = config(sync_if=[{"field": "country", "in": ["GB"]}])
    item = _one(conf, employee(1, **_unread(country="has no key 'country'")))
    assert item.skip is not None and item.skip.reason == "sync_if"
    assert (
        item.skip.detail
        == "sync_if[0]: country could not be read (the record has no key 'country')"
    )


def test_the_entity_splits_by_sync_if_and_is_written_as_a_custom_field() -> None:
    conf = config(
        sync_if=[{"field": "entity", "in": ["acme gmbh"]}],
        custom_fields=[{"from": "entity", "to": "Subsidiary"}],
    )
    gmbh = _one(conf, employee(1, entity="Acme GmbH"))
    assert gmbh.synced and (gmbh.values or {})["custom_fields.Subsidiary"] == "Acme GmbH"
    ltd = _one(conf, employee(2, entity="Acme Ltd"))
    assert not ltd.synced and ltd.skip is not None and ltd.skip.reason == "sync_if"

from __future__ import annotations

import pytest

from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.desired import desired_state
from reconciler.engine.match import Matching, Pair, match, normal_name
from reconciler.engine.values import Orphan, PlanWarning, Skip
from tests.engine.helpers import config, employee, stakeholder


def _match(employees, stakeholders, **conf):  # type: ignore[no-untyped-def]
    people = config(**conf).stakeholders
    return match(desired_state(employees, people), stakeholders, people)


def test_identifiers_match_case_insensitively() -> None:
    result = _match([employee(1, work_email="Person1@ACME.test")], [stakeholder(1)])
    (pair,) = result.pairs
    assert pair.current is not None and pair.current.id == "sh_0001" and not pair.adopted


def test_a_stakeholder_without_identifier_and_the_same_name_is_adopted() -> None:
    result = _match(
        [employee(1, name="Ada  Lovelace")], [stakeholder(9, identifier=None, name="ada lovelace")]
    )
    (pair,) = result.pairs
    assert pair.adopted and pair.current is not None and pair.current.id == "sh_0009"
    assert [w.code for w in result.warnings] == ["adopted_by_name"]


def test_two_namesakes_in_ledgy_are_ambiguous_and_nothing_is_created() -> None:
    people = [
        stakeholder(8, identifier=None, name="Ada Lovelace"),
        stakeholder(9, identifier=None, name="Ada Lovelace"),
    ]
    result = _match([employee(1, name="Ada Lovelace")], people)
    assert result.pairs == ()
    assert [s.reason for s in result.skips] == ["ambiguous_name_match"]


def test_two_employees_with_one_namesake_are_ambiguous_too() -> None:
    employees = [employee(1, name="Max Born"), employee(2, name="Max Born")]
    result = _match(employees, [stakeholder(9, identifier=None, name="Max Born")])
    assert result.pairs == () and [s.reason for s in result.skips] == ["ambiguous_name_match"] * 2


def test_no_match_means_create() -> None:
    (pair,) = _match([employee(1)], []).pairs
    assert pair.current is None


def test_stakeholders_without_a_synced_employee_are_orphans_never_touched() -> None:
    employees = [employee(1), employee(2, country="US")]
    stakeholders = [stakeholder(1), stakeholder(2), stakeholder(3, identifier="gone@acme.test")]
    result = _match(employees, stakeholders, sync_if=[{"field": "country", "in": ["GB"]}])
    assert [(o.identifier, o.reason) for o in result.orphans] == [
        ("gone@acme.test", "no CharlieHR employee has this work email"),
        ("person2@acme.test", "the employee is skipped (sync_if)"),
    ]


def test_two_stakeholders_with_one_identifier_are_not_guessed_between() -> None:
    result = _match([employee(1)], [stakeholder(1), stakeholder(2, identifier="PERSON1@acme.test")])
    assert result.pairs == () and [s.reason for s in result.skips] == ["duplicate_in_ledgy"]


def test_names_are_normalised_for_comparison() -> None:
    assert normal_name("  Zoë   Müller ") == normal_name("zoë müller") == "zoë müller"


# --- Exact skips, warnings and orphans --------------------------------------------------


def test_adoption_says_which_stakeholder_and_why() -> None:
    result = _match([employee(1)], [stakeholder(9, identifier=None, name="person  1")])
    (pair,) = result.pairs
    assert pair == Pair(pair.outcome, pair.current, adopted=True)
    assert result.warnings == (
        PlanWarning(
            "person1@acme.test",
            "adopted_by_name",
            "stakeholder sh_0009 had no identifier and the same name; it is adopted and gets "
            "this identifier",
            "tm_0001",
        ),
    )
    assert (result.skips, result.orphans) == ((), ())


def test_ambiguous_names_say_how_many_of_each_and_what_to_do() -> None:
    people = [stakeholder(n, identifier=None, name="Person 1") for n in (8, 9)]
    employees = [employee(1), employee(2, name="Person 1"), employee(3, name="Person 1")]
    result = _match(employees, people)
    detail = (
        "2 Ledgy stakeholders without identifier and 3 employee(s) have this name; set the "
        "identifier by hand (reconciler identifiers export), or pin the match in "
        "stakeholders.matches (the Stakeholder ID, or new)"
    )
    assert result.skips == tuple(
        Skip(f"tm_000{n}", f"person{n}@acme.test", "ambiguous_name_match", detail)
        for n in (1, 2, 3)
    )
    assert result.pairs == () and result.warnings == () and result.orphans == ()
    one = _match(
        [employee(1), employee(2, name="Person 1")],
        [stakeholder(9, identifier=None, name="Person 1")],
    )
    assert one.skips[0].detail.startswith("1 Ledgy stakeholders without identifier and 2 ")


def test_two_stakeholders_with_one_identifier_are_both_orphans_of_the_skip() -> None:
    result = _match([employee(1)], [stakeholder(2, identifier="PERSON1@acme.test"), stakeholder(1)])
    assert result.skips == (
        Skip(
            "tm_0001",
            "person1@acme.test",
            "duplicate_in_ledgy",
            "2 Ledgy stakeholders have this identifier",
        ),
    )
    assert result.orphans == (
        Orphan("person1@acme.test", "sh_0001", "the employee is skipped (duplicate_in_ledgy)"),
        Orphan("PERSON1@acme.test", "sh_0002", "the employee is skipped (duplicate_in_ledgy)"),
    )


def test_orphans_are_sorted_by_identifier_then_id_and_keep_ledgy_s_spelling() -> None:
    people = [
        stakeholder(3, identifier="b@acme.test"),
        stakeholder(2, identifier="A@acme.test"),
        stakeholder(1, identifier="a@acme.test"),
        Stakeholder(name="No id", identifier="c@acme.test"),
    ]
    result = _match([], people)
    gone = "no CharlieHR employee has this work email"
    assert result.orphans == (
        Orphan("a@acme.test", "sh_0001", gone),
        Orphan("A@acme.test", "sh_0002", gone),
        Orphan("b@acme.test", "sh_0003", gone),
        Orphan("c@acme.test", "", gone),
    )


def test_a_matched_or_adopted_stakeholder_is_no_orphan() -> None:
    people = [stakeholder(1), stakeholder(2, identifier=None)]
    result = _match([employee(1), employee(2)], people)
    assert result.orphans == ()
    assert [(p.current.id if p.current else None, p.adopted) for p in result.pairs] == [
        ("sh_0001", False),
        ("sh_0002", True),
    ]


def test_a_stakeholder_without_identifier_is_never_an_orphan() -> None:
    assert _match([], [stakeholder(1, identifier=None)]).orphans == ()


def test_a_nameless_employee_is_created_not_matched_to_a_nameless_stakeholder() -> None:
    nameless = Stakeholder(name="", id="sh_0009")
    result = _match([employee(1, name=" ")], [nameless])
    (pair,) = result.pairs
    assert pair.current is None and result.skips == ()


def test_skipped_employees_are_not_matched_at_all() -> None:
    result = _match(
        [employee(1, country="DE")],
        [stakeholder(1, identifier=None)],
        sync_if=[{"field": "country", "in": ["GB"]}],
    )
    assert result == Matching(())


# --- Look-alike identifiers in Ledgy: suspects, never an orphan plus a create ------------

LEDGY_LOOK_ALIKES = {
    "zero-width space": ("person1\u200b@acme.test", "person1\\u200b@acme.test", "U+200B"),
    "Cyrillic a": ("pers\u043en1@acme.test", "pers\\u043en1@acme.test", "U+043E CYRILLIC"),
    "Greek omicron": ("pers\u03bfn1@acme.test", "pers\\u03bfn1@acme.test", "U+03BF GREEK"),
}


@pytest.mark.parametrize(
    ("theirs", "shown", "named"), LEDGY_LOOK_ALIKES.values(), ids=LEDGY_LOOK_ALIKES.keys()
)
def test_a_look_alike_identifier_in_ledgy_is_a_suspect_not_an_orphan_and_a_create(
    theirs: str, shown: str, named: str
) -> None:
    result = _match([employee(1)], [stakeholder(9, identifier=theirs)])
    assert (result.pairs, result.orphans, result.warnings) == ((), (), ())
    (skip,) = result.skips
    assert (skip.employee_id, skip.identifier, skip.reason) == (
        "tm_0001",
        "person1@acme.test",
        "suspect_match",
    )
    assert skip.detail.startswith(f"stakeholder sh_0009 has {shown} ({named}")
    assert "differs from this work email (person1@acme.test) only by invisible or look-alike" in (
        skip.detail
    )
    assert skip.detail.endswith(
        "nobody is created: correct the identifier in Ledgy, or pin the match in "
        "stakeholders.matches (the Stakeholder ID, or new)"
    )


def test_a_look_alike_is_no_suspect_once_the_real_identifier_matched() -> None:
    people = [stakeholder(1), stakeholder(9, identifier="person1\u200b@acme.test")]
    result = _match([employee(1)], people)
    assert [p.current.id for p in result.pairs if p.current] == ["sh_0001"]
    assert result.skips == ()
    assert result.orphans == (
        Orphan(
            "person1\u200b@acme.test",
            "sh_0009",
            "the work email person1@acme.test, which matches sh_0001, differs from it only by "
            "invisible or look-alike characters: a likely duplicate",
        ),
    )


def test_a_look_alike_on_the_hr_side_names_the_skip_in_the_orphan() -> None:
    result = _match([employee(1, work_email="pers\u043en1@acme.test")], [stakeholder(1)])
    assert result.pairs == ()
    (orphan,) = result.orphans
    assert orphan.reason == (
        "the work email pers\\u043en1@acme.test differs from it only by invisible or "
        "look-alike characters, and its employee is skipped (invalid_identifier)"
    )


# --- Adoption by name: only from the groups the config allows -----------------------------


def test_a_namesake_in_a_group_the_config_does_not_manage_is_not_adopted_nor_created() -> None:
    people = [stakeholder(9, identifier=None, name="Person 1", group="Advisors")]
    result = _match([employee(1)], people)
    assert (result.pairs, result.warnings) == ((), ())
    assert result.skips == (
        Skip(
            "tm_0001",
            "person1@acme.test",
            "name_match_outside_groups",
            "stakeholder sh_0009 (in group Advisors) has no identifier and this name; "
            "stakeholders.adoption.groups does not include Advisors, so nobody is created: pin "
            "the match in stakeholders.matches (the Stakeholder ID, or new)",
        ),
    )


@pytest.mark.parametrize(
    ("group", "settings"),
    [
        (None, {}),  # made by hand before the integration
        ("Employees", {}),
        ("Alumni", {"terminated": {"action": "group", "group": "Alumni"}}),
        ("Advisors", {"adoption": {"groups": ["Advisors"]}}),
        ("Advisors", {"adoption": {"groups": "any"}}),
    ],
)
def test_a_namesake_in_an_allowed_group_is_adopted(
    group: str | None, settings: dict[str, object]
) -> None:
    people = [stakeholder(9, identifier=None, name="Person 1", group=group)]
    (pair,) = _match([employee(1)], people, **settings).pairs
    assert pair.adopted and pair.current is not None and pair.current.id == "sh_0009"


@pytest.mark.parametrize(
    ("group", "settings", "reason", "said"),
    [
        (
            None,
            {"adoption": {"ungrouped": False}},
            "name_match_outside_groups",
            "(in no group) has no identifier and this name; stakeholders.adoption.ungrouped is "
            "false",
        ),
        (
            "Employees",
            {"adoption": {"groups": ["Alumni"]}},
            "name_match_outside_groups",
            "groups does not include Employees",
        ),
        (
            "Employees",
            {"adoption": {"by_name": False}},
            "name_match_not_adopted",
            "stakeholders.adoption.by_name is false",
        ),
    ],
)
def test_adoption_can_be_narrowed_or_turned_off(
    group: str | None, settings: dict[str, object], reason: str, said: str
) -> None:
    people = [stakeholder(9, identifier=None, name="Person 1", group=group)]
    result = _match([employee(1)], people, **settings)
    (skip,) = result.skips
    assert result.pairs == () and skip.reason == reason and said in skip.detail


def test_adoption_from_an_unmanaged_group_is_flagged_high_risk() -> None:
    people = [stakeholder(9, identifier=None, name="Person 1", group="Advisors")]
    result = _match([employee(1)], people, adoption={"groups": "any"})
    (pair,) = result.pairs
    assert (pair.adopted, pair.from_group) == (True, "Advisors")
    (warning,) = result.warnings
    assert warning.code == "adopted_across_groups"
    assert warning.message == (
        "high risk: stakeholder sh_0009, in group Advisors which this config does not manage, "
        "had no identifier and the same name; it is adopted, gets this identifier and is "
        "managed from now on (group Employees), grants and all; apply refuses without "
        "--force: check it is the same person"
    )
    managed = _match([employee(1)], [stakeholder(9, identifier=None, name="Person 1")])
    assert managed.pairs[0].from_group is None


# --- Pinned matches ----------------------------------------------------------------------


def test_a_pin_settles_a_suspect_match() -> None:
    people = [stakeholder(9, identifier="person1\u200b@acme.test")]
    pin = {"employee": "Person1@acme.test", "stakeholder": "sh_0009"}
    result = _match([employee(1)], people, matches=[pin])
    (pair,) = result.pairs
    assert (pair.pinned, pair.current is not None and pair.current.id) == (True, "sh_0009")
    assert (result.skips, result.orphans) == ((), ())


def test_a_pin_by_charliehr_id_adopts_across_groups_without_the_group_rule() -> None:
    people = [stakeholder(9, identifier=None, name="Someone Else", group="Advisors")]
    pin = {"employee": "tm_0001", "stakeholder": "sh_0009"}
    (pair,) = _match([employee(1)], people, matches=[pin]).pairs
    assert (pair.pinned, pair.adopted, pair.from_group) == (True, False, None)


def test_a_pin_to_new_creates_whatever_namesake_or_look_alike_ledgy_holds() -> None:
    people = [
        stakeholder(8, identifier=None, name="Person 1", group="Advisors"),
        stakeholder(9, identifier="person1\u200b@acme.test"),
    ]
    pin = {"employee": "person1@acme.test", "stakeholder": "new"}
    result = _match([employee(1)], people, matches=[pin])
    (pair,) = result.pairs
    assert (pair.current, pair.pinned, result.skips) == (None, True, ())
    assert [o.stakeholder_id for o in result.orphans] == ["sh_0009"]


def test_a_pinned_stakeholder_is_nobody_else_s_match() -> None:
    people = [stakeholder(2), stakeholder(9, identifier=None, name="Person 3")]
    pins = [
        {"employee": "person1@acme.test", "stakeholder": "sh_0002"},
        {"employee": "person4@acme.test", "stakeholder": "sh_0009"},
    ]
    employees = [employee(1), employee(2), employee(3), employee(4, employment_status="inactive")]
    result = _match(employees, people, matches=pins, terminated={"action": "skip"})
    assert [(p.outcome.employee.id, p.current.id if p.current else None) for p in result.pairs] == [
        ("tm_0001", "sh_0002"),
        ("tm_0003", None),  # sh_0009 is pinned to a leaver: no adoption by name
    ]
    (skip,) = result.skips
    assert (skip.employee_id, skip.reason) == ("tm_0002", "pinned_elsewhere")
    assert skip.detail == (
        "stakeholder sh_0002 holds this work email but stakeholders.matches[0] pins it to "
        "employee tm_0001; once that update is applied, the next plan matches or creates this "
        "employee"
    )


def test_a_pin_to_new_never_creates_an_identifier_ledgy_holds() -> None:
    pin = {"employee": "person1@acme.test", "stakeholder": "new"}
    (pair,) = _match([employee(1)], [stakeholder(1)], matches=[pin]).pairs
    assert (pair.pinned, pair.current is not None and pair.current.id) == (False, "sh_0001")

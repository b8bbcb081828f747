from __future__ import annotations

from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.desired import desired_state
from reconciler.engine.match import Matching, Pair, match, normal_name
from reconciler.engine.values import Orphan, PlanWarning, Skip
from tests.engine.helpers import config, employee, stakeholder


def _match(employees, stakeholders, **conf):  # type: ignore[no-untyped-def]
    return match(desired_state(employees, config(**conf).stakeholders), stakeholders)


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

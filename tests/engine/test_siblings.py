from __future__ import annotations

from typing import Any

from reconciler.config.model import Config
from reconciler.engine.siblings import Named, hris_account, overlaps, same_company, shared_people
from tests.engine.helpers import BASE, config, employee


def _rules(*rules: tuple[str, list[str]]) -> Config:
    return config(sync_if=[{"field": f, "in": values} for f, values in rules])


def _other_company(**stakeholders: Any) -> Config:
    data = {**BASE, "ledgy": {"company": "Beta GmbH", "api_key": "env/KEY"}}
    return Config.model_validate({**data, "stakeholders": stakeholders})


def test_a_field_ruled_in_both_with_disjoint_values_keeps_two_configs_apart() -> None:
    holding = _rules(("office", ["London HQ"]), ("country", ["GB"]))
    gmbh = _rules(("office", ["Berlin"]))
    assert overlaps([Named("holding", holding), Named("gmbh", gmbh)]) == []


def test_values_compare_as_rules_do_case_and_spaces_folded() -> None:
    holding, gmbh = _rules(("office", ["Berlin "])), _rules(("office", ["berlin"]))
    (found,) = overlaps([Named("holding", holding), Named("gmbh", gmbh)])
    assert found.reason == "both accept office 'berlin'"
    assert (found.first_at, found.second_at) == (
        ("stakeholders", "sync_if", 0),
        ("stakeholders", "sync_if", 0),
    )


def test_two_rules_on_one_field_accept_only_what_both_accept() -> None:
    holding = _rules(("office", ["London HQ", "Berlin"]), ("office", ["London HQ"]))
    gmbh = _rules(("office", ["Berlin"]))
    assert overlaps([Named("holding", holding), Named("gmbh", gmbh)]) == []


def test_no_field_ruled_in_both_may_overlap() -> None:
    holding = _rules(("office", ["London HQ"]))
    (found,) = overlaps([Named("holding", holding), Named("gmbh", config())])
    assert found.reason == (
        "no field is ruled in both (holding rules by office; gmbh has no sync_if rule)"
    )
    assert found.second_at == ("ledgy", "company")


def test_configs_of_different_ledgy_companies_are_never_compared() -> None:
    assert overlaps([Named("a", config()), Named("b", _other_company())]) == []
    assert same_company([Named("b", _other_company())], config()) == []


def test_the_same_charliehr_account_is_the_same_api_and_client_id() -> None:
    assert hris_account(config()) == hris_account(_other_company())


def test_shared_people_pass_both_configs_rules_by_work_email() -> None:
    holding, gmbh = _rules(("office", ["London HQ"])), _rules(("country", ["DE"]))
    people = [
        employee(1, office="London HQ", country="DE"),
        employee(2, office="London HQ", country="GB"),
        employee(3, office="Berlin", country="DE"),
    ]
    theirs = [employee(1, work_email="PERSON1@acme.test ", office="London HQ", country="DE")]
    assert shared_people(holding, people, gmbh, people) == ["person1@acme.test"]
    assert shared_people(holding, people, gmbh, theirs) == ["person1@acme.test"]

from __future__ import annotations

from datetime import date

from reconciler.domain.stakeholder import Address, Stakeholder
from reconciler.targets.ledgy.codec import stakeholder_from_json, stakeholder_input, typed


def test_an_input_sets_exactly_the_given_fields() -> None:
    body = stakeholder_input(
        {
            "group": "Alumni",
            "address.city": "Berlin",
            "custom_fields.Office": None,
            "hris.pay_rate": 52000.0,
            "hris.termination_date": date(2026, 1, 31),
        }
    )
    assert body == {
        "group": "Alumni",
        "address": {"city": "Berlin"},
        "customFields": [{"name": "Office", "value": None}],
        "hris": [
            {"field": "pay_rate", "value": "52000"},
            {"field": "termination_date", "value": "2026-01-31"},
        ],
    }


def test_hr_values_are_typed_by_the_catalogue() -> None:
    assert typed("start_date", "2020-02-03") == date(2020, 2, 3)
    assert typed("pay_rate", "52000.5") == 52000.5
    assert typed("team", "Design") == "Design"
    assert typed("start_date", "soon") == "soon"


def test_a_stakeholder_round_trips_through_the_graphql_shape() -> None:
    item = {
        "id": "sh_1",
        "name": "Ada",
        "email": "ada@acme.test",
        "identifier": "ada@acme.test",
        "birthdate": "1990-12-10",
        "nationality": None,
        "address": {
            "line1": "1 Road",
            "line2": None,
            "postcode": "N1",
            "city": "London",
            "country": "GB",
        },
        "group": "Employees",
        "customFields": [{"name": "Office", "value": "HQ"}],
        "hris": [{"field": "start_date", "value": "2022-09-05"}],
    }
    stakeholder = stakeholder_from_json(item)
    assert stakeholder == Stakeholder(
        id="sh_1",
        name="Ada",
        email="ada@acme.test",
        identifier="ada@acme.test",
        birthdate=date(1990, 12, 10),
        address=Address("1 Road", None, "N1", "London", "GB"),
        group="Employees",
        custom_fields={"Office": "HQ"},
        hris={"start_date": date(2022, 9, 5)},
    )
    assert Stakeholder.from_flat(stakeholder.flat(), "sh_1") == stakeholder

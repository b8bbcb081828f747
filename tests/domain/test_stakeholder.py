"""Stakeholder: flattened once when made, and never changed through what flat() gives."""

from __future__ import annotations

from datetime import date

from reconciler.domain.stakeholder import Address, Stakeholder


def _ada() -> Stakeholder:
    return Stakeholder(
        name="Ada",
        id="sh_1",
        identifier="ada@acme.test",
        birthdate=date(1990, 1, 2),
        address=Address(city="London"),
        custom_fields={"Cost centre": "CC-1", "Empty": None},
        hris={"team": "Design"},
    )


def test_flat_names_every_value_and_leaves_out_empty_custom_fields() -> None:
    flat = _ada().flat()
    assert flat["address.city"] == "London" and flat["address.line1"] is None
    assert flat["custom_fields.Cost centre"] == "CC-1" and "custom_fields.Empty" not in flat
    assert flat["hris.team"] == "Design" and flat["birthdate"] == date(1990, 1, 2)


def test_changing_what_flat_gives_changes_nothing() -> None:
    ada = _ada()
    given = ada.flat()
    given["name"] = "Mallory"
    given.clear()
    assert ada.flat()["name"] == "Ada"
    assert ada == _ada()


def test_from_flat_undoes_flat_and_equality_is_by_id_and_values() -> None:
    ada = _ada()
    assert Stakeholder.from_flat(ada.flat(), ada.id) == ada
    assert ada.with_values({"address.city": "Paris"}) != ada
    assert ada.with_values({"address.city": "Paris"}).flat()["address.city"] == "Paris"

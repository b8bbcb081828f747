"""The record of applied values: keyed digests only, one line per stakeholder."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.engine.canonical import SANDBOX_KEY, PlanKey
from reconciler.engine.record import KNOWN_MOST, Digests, Record, RecordError, newest

DIGESTS = Digests(SANDBOX_KEY)


def test_a_digest_is_keyed_and_salted_by_person_and_field() -> None:
    ada, bob = DIGESTS.person("ada@acme.test"), DIGESTS.person("bob@acme.test")
    born = date(1990, 1, 2)
    assert DIGESTS.value(ada, "birthdate", born) != DIGESTS.value(bob, "birthdate", born)
    assert DIGESTS.value(ada, "birthdate", born) != DIGESTS.value(ada, "hris.start_date", born)
    other = Digests(PlanKey(b"another company's plan key", "RECONCILER_PLAN_KEY"))
    assert other.value(ada, "birthdate", born) != DIGESTS.value(ada, "birthdate", born)
    assert other.check() != DIGESTS.check()


def test_values_the_diff_calls_equal_have_one_digest() -> None:
    ada = DIGESTS.person("ada@acme.test")
    assert DIGESTS.value(ada, "name", " Ada   Lovelace ") == DIGESTS.value(
        ada, "name", "Ada Lovelace"
    )
    assert DIGESTS.value(ada, "hris.pay_rate", 5000) == DIGESTS.value(ada, "hris.pay_rate", 5000.0)
    assert DIGESTS.value(ada, "name", "") == DIGESTS.value(ada, "name", None)


def test_the_record_round_trips_as_one_line_per_stakeholder() -> None:
    ada = DIGESTS.person("ada@acme.test")
    record = Record(
        DIGESTS.check(),
        {"name": "name", "birthdate": "birthdate", "group": "Employees"},
        {ada: {"name": ("0" * 8, "1" * 8), "birthdate": ("2" * 8,)}},
    )
    data = record.to_data()
    assert data["people"] == {ada: f"{'2' * 8} - {'0' * 8},{'1' * 8}"}
    assert Record.from_data(data) == record


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"format": "x"}, "not a record"),
        ({"version": 2}, "record version 2 is not 1"),
        ({"fields": []}, '"check", "fields" or "people"'),
        ({"people": {"p": "zz"}}, "p: name holds no valid digests"),
        ({"people": {"p": ",".join(["0" * 8] * (KNOWN_MOST + 1))}}, "no valid digests"),
    ],
)
def test_a_record_that_is_not_one_says_what_is_wrong(change: dict[str, object], said: str) -> None:
    data = Record(DIGESTS.check(), {"name": "name"}).to_data() | change
    with pytest.raises(RecordError, match=said):
        Record.from_data(data)


def test_newest_keeps_each_digest_once_newest_first() -> None:
    assert newest(("a", "b"), ("b", "c", "d")) == ("a", "b", "c")

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from reconciler.domain.countries import to_alpha2
from reconciler.sandbox.demo import generate_company

TODAY = date(2026, 11, 25)


def test_the_same_seed_gives_the_same_company() -> None:
    assert generate_company(200, seed=3, today=TODAY) == generate_company(200, seed=3, today=TODAY)
    assert generate_company(200, seed=3, today=TODAY) != generate_company(200, seed=4, today=TODAY)


def test_the_company_looks_like_real_data() -> None:
    company = generate_company(2000, today=TODAY)
    members = company.team_members
    emails = [m["email"] for m in members]
    assert len(members) == 2000
    assert emails.count(None) >= 1  # a missing work email
    assert len(set(emails)) == 2000 - emails.count(None) - 1 + 1  # and one used twice
    written = Counter(m["country"] for m in members)
    assert {"United Kingdom", "Germany", "GB"} <= set(written)
    assert all(to_alpha2(c) for c in written if c not in (None, "Atlantis"))
    ended = [m for m in members if m["end_date"]]
    assert ended and all(date.fromisoformat(m["end_date"]) < TODAY for m in ended)
    assert any(m["employment_status"] == "active" for m in ended)  # status text lags
    assert any(date.fromisoformat(m["start_date"]) > TODAY for m in members)
    phones = [m["phone_number"] for m in members if m["phone_number"]]
    assert any(p.startswith("+") for p in phones) and any(not p.startswith("+") for p in phones)
    assert any(m["personal_email"] is None for m in members)
    assert any(date.fromisoformat(s["effective_date"]) > TODAY for s in company.salaries)
    assert sum(1 for m in members if m["line_manager"] is None) == 1
    assert all(m["national_insurance_number"].startswith("QQ") for m in members)


@pytest.mark.parametrize("size", [0, 10, 100_000])
def test_any_size_from_none_to_a_hundred_thousand(size: int) -> None:
    assert len(generate_company(size, today=TODAY).team_members) == size


def test_sizes_beyond_the_range_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_company(100_001, today=TODAY)

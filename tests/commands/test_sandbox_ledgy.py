"""``sandbox serve`` without a directory: a Ledgy side that matches the example config."""

from __future__ import annotations

from datetime import date

from reconciler.commands.sandbox import _ledgy
from reconciler.config.load import load_config
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.ledgy import captable
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "company.yaml"


def test_the_served_ledgy_side_matches_the_example_config() -> None:
    company = generate_company(60, today=date(2026, 11, 25))
    served = _ledgy(None, company, EXAMPLE, 7)
    config = load_config(EXAMPLE).config
    assert served.company["name"] == config.ledgy.company
    assert served.custom_fields == [c.to for c in config.stakeholders.custom_fields]
    identifiers = {s["identifier"] for s in served.stakeholders if s["identifier"]}
    emails = {m["email"] for m in company.team_members}
    assert len(identifiers & emails) > 20  # most employees are already stakeholders
    assert captable(served, ["stakeholderName"], date(2026, 11, 25))  # the cap table has rows


def test_without_a_config_the_served_ledgy_is_empty() -> None:
    company = generate_company(20, today=date(2026, 11, 25))
    assert _ledgy(None, company, None, 7).stakeholders == []

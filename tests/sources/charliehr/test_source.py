"""CharlieHRSource, built from a config, reading the emulator over loopback."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from reconciler.config.load import load_config
from reconciler.config.secrets import hr_secrets
from reconciler.errors import MissingSecretError
from reconciler.sandbox.charliehr import PREFIX, SANDBOX_ID, SANDBOX_SECRET, Behaviour
from reconciler.sources.charliehr.source import charliehr_source
from tests.conftest import DATA
from tests.sandbox.helpers import FAST, TODAY, charliehr

pytestmark = pytest.mark.anyio

ENV = {"CHARLIEHR_CLIENT_ID": SANDBOX_ID, "CHARLIEHR_CLIENT_SECRET": SANDBOX_SECRET}


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "company.yaml"
    path.write_text((DATA / "configs" / "valid-minimal.yaml").read_text() + extra)
    return path


async def test_reads_every_employee_joined_and_normalised(tmp_path: Path) -> None:
    loaded = load_config(
        _config(
            tmp_path,
            "  custom_fields: [{from: raw.cost_centre, to: Cost centre}, {from: office, to: Office}]\n",
        )
    )
    with charliehr(size=300) as api:
        source = charliehr_source(
            loaded, hr_secrets(loaded, ENV), today=TODAY, base_url=api.url + PREFIX, policy=FAST
        )
        async with source.client:
            employees = await source.read()
    assert len(employees) == 300
    assert {e.id for e in employees} == {m["id"] for m in api.data.team_members}
    statuses = Counter(e.employment_status for e in employees)
    assert statuses["inactive"] > 0 and statuses["pending"] > 0 and statuses["active"] > 200
    assert all(e.country is None or len(e.country) == 2 for e in employees)
    assert all(e.team and e.office for e in employees)
    assert all(e.raw.get("cost_centre", "").startswith("CC-") for e in employees)
    future_raises = {
        s["team_member"]
        for s in api.data.salaries
        if date.fromisoformat(s["effective_date"]) > TODAY
    }
    assert future_raises
    for employee in employees:
        in_force = [
            s
            for s in api.data.salaries
            if s["team_member"] == employee.id and date.fromisoformat(s["effective_date"]) <= TODAY
        ]
        expected = (
            max(in_force, key=lambda s: s["effective_date"])["pay_rate"] if in_force else None
        )
        assert employee.pay_rate == expected  # a future starter has no salary in force yet


async def test_requests_are_one_list_call_per_join_and_only_the_lists_needed(
    tmp_path: Path,
) -> None:
    loaded = load_config(_config(tmp_path))
    with charliehr(size=60) as api:
        source = charliehr_source(
            loaded, hr_secrets(loaded, ENV), today=TODAY, base_url=api.url + PREFIX
        )
        async with source.client:
            await source.read()
    paths = Counter(key.split("?")[0] for key in api.traffic.served)
    assert paths == {
        f"GET {PREFIX}/team_members": 3,
        f"GET {PREFIX}/salaries": 5,
        f"GET {PREFIX}/teams": 1,  # its totals end it on page 1: nothing past it
    }  # no field of this config comes from /offices


async def test_detail_calls_fill_what_the_list_lacks(tmp_path: Path) -> None:
    loaded = load_config(_config_with(tmp_path, "  fetch_details: true\n"))
    behaviour = Behaviour(list_omits=("personal_email", "date_of_birth"))
    with charliehr(size=40, behaviour=behaviour) as api:
        source = charliehr_source(
            loaded, hr_secrets(loaded, ENV), today=TODAY, base_url=api.url + PREFIX
        )
        async with source.client:
            employees = await source.read()
    assert all(e.birthdate is not None for e in employees)
    details = [k for k in api.traffic.served if k.startswith(f"GET {PREFIX}/team_members/tm_")]
    assert len(details) == 40


def _config_with(tmp_path: Path, hris_extra: str) -> Path:
    text = (DATA / "configs" / "valid-minimal.yaml").read_text()
    path = tmp_path / "details.yaml"
    path.write_text(text.replace("ledgy:\n", hris_extra + "ledgy:\n"))
    return path


def test_a_missing_secret_names_the_variable_and_line(tmp_path: Path) -> None:
    loaded = load_config(_config(tmp_path))
    with pytest.raises(
        MissingSecretError,
        match=r"company.yaml:4:14: environment variable CHARLIEHR_CLIENT_ID is not set",
    ):
        charliehr_source(loaded, hr_secrets(loaded, {}), today=TODAY)


async def test_the_configured_page_size_is_asked_for(tmp_path: Path) -> None:
    text = _config(tmp_path).read_text().replace("hris:\n", "hris:\n  page_size: 100\n", 1)
    (tmp_path / "company.yaml").write_text(text)
    loaded = load_config(tmp_path / "company.yaml")
    with charliehr(size=150, behaviour=Behaviour(max_page_size=100)) as api:
        source = charliehr_source(
            loaded, hr_secrets(loaded, ENV), today=TODAY, base_url=api.url + PREFIX
        )
        async with source.client:
            await source.read()
    members = sorted(k for k in api.traffic.served if "/team_members?" in k)
    assert members == [f"GET {PREFIX}/team_members?page={n}&per_page=100" for n in (1, 2)]

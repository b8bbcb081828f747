"""The read path end to end over loopback: cheap checks first, pacing, refused endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.load import LoadedConfig
from reconciler.engine.plan import Plan
from reconciler.errors import ConfigError, SourceError
from reconciler.sandbox.charliehr import NO_SALARY_ID, PREFIX
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.faults import Knobs
from reconciler.sandbox.ledgy_data import LedgyData
from tests.e2e.harness import served
from tests.sandbox.helpers import TODAY

pytestmark = pytest.mark.anyio


async def test_a_custom_field_ledgy_lacks_fails_before_any_long_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stakeholders = "  custom_fields: [{from: job_title, to: Job title}]\n"
    knobs = Knobs(latency=0.05)
    with (
        served(tmp_path, monkeypatch, stakeholders=stakeholders, knobs=knobs) as run,
        pytest.raises(ConfigError) as caught,
    ):
        await run.plan()
    assert "Ledgy has no custom field 'Job title'" in caught.value.diagnostics()
    assert run.served(f"{PREFIX}/company") == 1  # the credentials were checked...
    assert run.traffic.requests == 1  # ...and no list was started


async def test_bad_charliehr_credentials_fail_on_the_first_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        served(tmp_path, monkeypatch, client_id="wrong-id") as run,
        pytest.raises(SourceError, match="refused the credentials"),
    ):
        await run.plan()
    assert run.traffic.requests == 1


def _ledgy_for(loaded: LoadedConfig, size: int) -> LedgyData:
    return generate_ledgy(generate_company(size, today=TODAY), loaded.config, today=TODAY)


async def test_a_key_without_salary_access_plans_without_employment_type_and_warns_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with served(tmp_path, monkeypatch) as full:
        people = _ledgy_for(full.loaded, 30)
    with served(tmp_path, monkeypatch, ledgy=people) as full:
        everything = await full.plan()
    with served(tmp_path, monkeypatch, ledgy=people, client_id=NO_SALARY_ID) as limited:
        partial = await limited.plan()
    [warning] = [w for w in partial.warnings if w.code == "unread_endpoint"]
    assert warning.message == (
        "CharlieHR GET /salaries answered 403: this API key has no access to salary data, so "
        "employment_type is left unchanged in Ledgy for everyone; ask a CharlieHR Super Admin "
        "for a key with access to salary data to sync it"
    )
    touched = {f.field for c in partial.changes for f in c.fields}
    assert "hris.employment_type" not in touched
    assert "hris.employment_type" in {f.field for c in everything.changes for f in c.fields}

    def without_employment_type(p: Plan) -> list[tuple[str, tuple[str, ...]]]:
        return [
            (c.identifier, tuple(f.field for f in c.fields if f.field != "hris.employment_type"))
            for c in p.changes
        ]

    kept = [c for c in without_employment_type(everything) if c[1]]
    assert [c for c in without_employment_type(partial) if c[1]] == kept


async def test_a_key_without_salary_access_fails_when_the_config_asks_for_pay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stakeholders = "  optional_fields: [pay_rate]\n"
    with (
        served(tmp_path, monkeypatch, stakeholders=stakeholders, client_id=NO_SALARY_ID) as run,
        pytest.raises(SourceError) as caught,
    ):
        await run.plan()
    message = caught.value.diagnostics()
    assert "GET /salaries" in message and "403" in message
    assert "no access to salary data" in message
    assert "the config asks for employment_type, pay_rate, pay_period, pay_currency" in message

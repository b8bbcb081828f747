"""First contact with Ledgy: the key's company, what its API offers, the export's columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.config.load import LoadedConfig, load_config
from reconciler.errors import TargetError
from reconciler.sandbox.ledgy import PATH, SANDBOX_KEY, Behaviour
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.ledgy_workbook import export_bytes
from reconciler.targets.ledgy.contact import api_contact, workbook_contact
from tests.sandbox.helpers import ledgy

pytestmark = pytest.mark.anyio

HRIS = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID
  client_secret: env/HR_SECRET
"""
API = (
    HRIS
    + """ledgy:
  company: Acme Ltd
  api_key: env/LEDGY_KEY
  url: {url}
"""
)
WORKBOOK = (
    HRIS
    + """ledgy:
  company: Acme Ltd
  driver: workbook
  workbook:
    export: export.xlsx
{columns}stakeholders:
  custom_fields: [{{from: office, to: Office}}]
"""
)
KEY = {"LEDGY_KEY": SANDBOX_KEY}
SENTINELS = {
    "name": "Adasentinel Lovelace",
    "email": "ada.sentinel@acme.test",
    "identifier": "ada.sentinel@acme.test",
    "birthdate": "1815-12-10",
}


def _api_config(tmp_path: Path, url: str) -> LoadedConfig:
    path = tmp_path / "company.yaml"
    path.write_text(API.format(url=url + PATH))
    return load_config(path)


@pytest.fixture
def api_config(tmp_path: Path) -> Any:
    def build(url: str) -> LoadedConfig:
        return _api_config(tmp_path, url)

    return build


async def test_an_account_as_we_guessed_it_offers_every_operation(api_config: Any) -> None:
    with ledgy() as server:
        found = await api_contact(api_config(server.url), KEY)
    assert (found.driver, found.company, found.introspection) == ("api", "Acme Ltd", "allowed")
    assert found.operations_missing == ()
    assert server.traffic.requests == 2  # auth and the introspection, nothing else


async def test_the_company_the_key_belongs_to_is_reported_as_ledgy_names_it(
    api_config: Any,
) -> None:
    with ledgy(LedgyData({"id": "co_2", "name": "Other Ltd"})) as server:
        found = await api_contact(api_config(server.url), KEY)
    assert found.company == "Other Ltd"


async def test_an_account_of_published_operations_only_lacks_the_stakeholder_ones(
    api_config: Any,
) -> None:
    with ledgy(published_only=True) as server:
        found = await api_contact(api_config(server.url), KEY)
    assert found.introspection == "allowed"
    assert "createStakeholder" in found.operations_missing
    assert "auth" not in found.operations_missing
    assert list(found.operations_missing) == sorted(found.operations_missing)


@pytest.mark.parametrize("refusal", ["disabled", "apollo"])
async def test_an_account_that_refuses_introspection_says_refused(
    api_config: Any, refusal: Any
) -> None:
    with ledgy(behaviour=Behaviour(introspection=refusal)) as server:
        found = await api_contact(api_config(server.url), KEY)
    assert (found.company, found.introspection, found.operations_missing) == (
        "Acme Ltd",
        "refused",
        (),
    )


async def test_a_wrong_key_is_an_error_that_does_not_show_the_key(api_config: Any) -> None:
    wrong = "sentinel-wrong-ledgy-key"
    with ledgy() as server, pytest.raises(TargetError) as refused:
        await api_contact(api_config(server.url), {"LEDGY_KEY": wrong})
    text = f"{refused.value.message} {refused.value.remedy}"
    assert wrong not in text and "LEDGY_KEY" in text


def _export(tmp_path: Path, mode: Any, columns: str = "") -> LoadedConfig:
    people = LedgyData(
        {"id": "co_1", "name": "Acme Ltd"},
        ["Office", "Shoe size"],
        [{"id": "sh_1", **SENTINELS, "custom_fields": {"Office": "Sentineloffice"}}],
    )
    (tmp_path / "export.xlsx").write_bytes(export_bytes(people, mode))
    path = tmp_path / "company.yaml"
    path.write_text(WORKBOOK.format(columns=columns))
    return load_config(path)


def test_an_export_as_we_write_it_matches_every_column(tmp_path: Path) -> None:
    found = workbook_contact(_export(tmp_path, "ours"), {})
    assert found.driver == "workbook" and found.company is None
    assert found.introspection == "not_asked"
    assert found.columns_matched["stakeholder_id"] == "Stakeholder ID"
    assert found.columns_missing == ()
    assert found.columns_unknown == ("Shoe size",)  # Office is a custom field the config maps


def test_an_aliased_export_is_matched_by_its_spelling(tmp_path: Path) -> None:
    found = workbook_contact(_export(tmp_path, "aliased"), {})
    assert found.columns_matched["stakeholder_id"] == "Stakeholder id"
    assert found.columns_matched["name"] == "Full name"
    assert found.columns_matched["email"] == "E-mail"
    assert "stakeholder_id" not in found.columns_missing


def test_an_export_without_its_key_column_misses_it(tmp_path: Path) -> None:
    found = workbook_contact(_export(tmp_path, "no-key"), {})
    assert "stakeholder_id" in found.columns_missing
    assert "stakeholder_id" not in found.columns_matched


def test_a_column_the_config_names_is_matched_under_that_name(tmp_path: Path) -> None:
    loaded = _export(tmp_path, "no-key", "    columns: {stakeholder_id: Shoe size}\n")
    found = workbook_contact(loaded, {})
    assert found.columns_matched["stakeholder_id"] == "Shoe size"
    assert "Shoe size" not in found.columns_unknown


@pytest.mark.parametrize("mode", ["ours", "aliased", "no-key"])
def test_no_cell_below_the_header_row_reaches_the_report(tmp_path: Path, mode: Any) -> None:
    found = repr(workbook_contact(_export(tmp_path, mode), {}))
    assert [v for v in [*SENTINELS.values(), "Sentineloffice"] if v in found] == []


def test_a_missing_export_is_an_error_naming_it(tmp_path: Path) -> None:
    loaded = _export(tmp_path, "ours")
    (tmp_path / "export.xlsx").unlink()
    with pytest.raises(TargetError, match=r"export\.xlsx: no such file"):
        workbook_contact(loaded, {})

"""What the account offers (introspection) and whether the export is older than Ledgy."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.secrets import Secret
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.errors import TargetError
from reconciler.sandbox.ledgy import PATH, SANDBOX_KEY, create_app
from reconciler.sandbox.ledgy_data import LedgyData, stakeholder_record
from reconciler.sandbox.server import serve_in_thread
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS
from reconciler.targets.ledgy.operations import load_operations
from reconciler.targets.ledgy.probe import (
    Freshness,
    check_offered,
    is_legal_entity,
    refuses_introspection,
)
from reconciler.targets.ledgy.workbook import WorkbookTarget, export_workbook

pytestmark = pytest.mark.anyio


def test_the_operations_need_the_unpublished_root_fields() -> None:
    assert load_operations().root_fields() == {
        "auth",
        "stakeholders",
        "customFields",
        "createStakeholder",
        "updateStakeholder",
    }


def test_an_account_offering_every_field_passes() -> None:
    fields = [{"name": n} for n in ("auth", "stakeholders", "customFields")]
    writes = [{"name": n} for n in ("createStakeholder", "updateStakeholder")]
    check_offered(
        load_operations().root_fields(),
        {"queryType": {"fields": fields}, "mutationType": {"fields": writes}},
    )


async def test_an_export_older_than_the_cap_table_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ada = stakeholder_record({"id": "sh_000001", "name": "Ada", "identifier": "ada@acme.test"})
    bo = stakeholder_record({"id": "sh_000002", "name": "Bo", "identifier": "bo@acme.test"})
    grants = [
        {"id": "g1", "stakeholder_id": "sh_000001", "date": "2024-01-01", "granted": 10},
        {"id": "g2", "stakeholder_id": "sh_000002", "date": "2024-01-01", "granted": 10},
    ]
    ledgy = LedgyData({"id": "co_1", "name": "Acme Ltd"}, [], [ada, bo], grants)
    export = tmp_path / "export.xlsx"
    only_ada = Stakeholder(id="sh_000001", name="Ada", identifier="ada@acme.test")
    export_workbook(TargetState("Acme Ltd", (only_ada,)), export, DEFAULT_HEADERS)
    with serve_in_thread(create_app(ledgy, published_only=True)) as url:
        fresh = Freshness(url + PATH, Secret(SANDBOX_KEY), "LEDGY_API_KEY")
        target = WorkbookTarget(export, tmp_path / "out", "Acme Ltd", freshness=fresh)
        await target.read()
    assert "the Ledgy export is older than Ledgy: 1 natural persons" in caplog.text
    assert "ledgy-state update" in caplog.text


@pytest.mark.parametrize(
    "kind", ["legalEntity", "LEGAL_ENTITY", "Legal entity", "company", "Organisation", "fund"]
)
def test_any_spelling_of_a_legal_entity_counts_as_one(kind: str) -> None:
    assert is_legal_entity(kind)


@pytest.mark.parametrize("kind", ["naturalPerson", "NATURAL_PERSON", "individual", "", None, 3])
def test_natural_persons_and_unknown_types_count_as_natural_persons(kind: object) -> None:
    assert not is_legal_entity(kind)


async def test_legal_entities_on_the_cap_table_do_not_make_the_export_look_old(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ada = stakeholder_record({"id": "sh_000001", "name": "Ada", "identifier": "ada@acme.test"})
    fund = stakeholder_record(
        {"id": "sh_000002", "name": "Northwind Fund I", "type": "legalEntity"}
    )
    grants = [
        {"id": "g1", "stakeholder_id": "sh_000001", "date": "2024-01-01", "granted": 10},
        {"id": "g2", "stakeholder_id": "sh_000002", "date": "2024-01-01", "granted": 9000},
    ]
    ledgy = LedgyData({"id": "co_1", "name": "Acme Ltd"}, [], [ada, fund], grants)
    export = tmp_path / "export.xlsx"
    only_ada = Stakeholder(id="sh_000001", name="Ada", identifier="ada@acme.test")
    export_workbook(TargetState("Acme Ltd", (only_ada,)), export, DEFAULT_HEADERS)
    with serve_in_thread(create_app(ledgy, published_only=True)) as url:
        fresh = Freshness(url + PATH, Secret(SANDBOX_KEY), "LEDGY_API_KEY")
        await WorkbookTarget(export, tmp_path / "out", "Acme Ltd", freshness=fresh).read()
    assert "older than Ledgy" not in caplog.text


@pytest.mark.parametrize(
    "message",
    [
        "Ledgy Probe failed: GraphQL introspection has been disabled, but the requested query "
        "contained the field '__schema'.",
        "Ledgy POST /graphql (Probe) answered 400: GraphQL introspection is not allowed by "
        "Apollo Server",
        "Ledgy Probe failed: Cannot query field '__schema' on type 'Query'.",
    ],
)
def test_every_known_refusal_of_introspection_is_recognised(message: str) -> None:
    assert refuses_introspection(TargetError(message))


def test_other_failures_of_the_probe_are_not_a_refusal() -> None:
    assert not refuses_introspection(TargetError("Ledgy refused the API key: … answered 401"))

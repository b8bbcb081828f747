"""The Ledgy emulator over loopback: the door (key, limit, error shape), the published
queries, the strict Date scalar, and the bulk Excel routes the admin uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import BytesIO
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from reconciler.sandbox.faults import Knobs
from reconciler.sandbox.ledgy import PATH, SANDBOX_KEY, Behaviour, create_app
from reconciler.sandbox.ledgy_data import ExportHeaders, LedgyData, stakeholder_record
from reconciler.sandbox.ledgy_workbook import UploadRefused, export_bytes, upload
from reconciler.sandbox.server import serve_in_thread

KEY = {"Authorization": f"Bearer {SANDBOX_KEY}"}
CAPTABLE = (
    "query C($groupBy: [CaptableGroupBy!], $date: Date) { companyCaptable(groupBy: $groupBy, "
    "date: $date) { rows { stakeholderId stakeholderName captableGroup diluted vested } } }"
)


def _company() -> LedgyData:
    people = [
        stakeholder_record(
            {"id": "sh_000001", "name": "Ada", "identifier": "ada@acme.test", "group": "Employees"}
        ),
        stakeholder_record({"id": "sh_000002", "name": "Bo", "group": "Advisors"}),
    ]
    grants = [
        {"id": "g1", "stakeholder_id": "sh_000001", "date": "2024-01-10", "granted": 1000},
        {"id": "g2", "stakeholder_id": "sh_000001", "date": "2025-06-01", "granted": 500},
        {"id": "g3", "stakeholder_id": "sh_000002", "date": "2025-01-01", "granted": 200},
    ]
    return LedgyData({"id": "co_1", "name": "Acme Ltd"}, ["Office"], people, grants)


@contextmanager
def _served(data: LedgyData | None = None, **options: Any) -> Iterator[str]:
    app = create_app(data or _company(), today=date(2026, 1, 1), **options)
    with serve_in_thread(app) as url:
        yield url


def _post(url: str, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
    headers = kw.pop("headers", KEY)
    body = {"query": query, "variables": variables or {}}
    return httpx.post(url + PATH, json=body, headers=headers, **kw)


def test_a_keyless_request_is_refused_before_the_rate_limit_counts_it() -> None:
    with _served(rate_limit=(2, 60.0)) as url:
        keyless = [_post(url, "{ auth { companyId } }", headers={}) for _ in range(5)]
        keyed = [_post(url, "{ auth { companyId } }").status_code for _ in range(3)]
    assert {r.status_code for r in keyless} == {401}
    assert keyless[0].json() == {"errors": [{"message": "Invalid key format"}]}
    assert keyed == [200, 200, 429]


def test_the_limit_is_per_key_and_kept_when_fault_knobs_are_set() -> None:
    other = "second-company-key"
    # Ledgy's 20 requests, but per 5 minutes: 21 requests on a loaded machine can take
    # more than 5 seconds, and the window would slide under the test.
    app = create_app(
        _company(), knobs=Knobs(latency=0.001), api_key=SANDBOX_KEY, rate_limit=(20, 300.0)
    )
    app.keys = frozenset({SANDBOX_KEY, other})
    with serve_in_thread(app) as url:
        mine = [_post(url, "{ auth { companyId } }").status_code for _ in range(21)]
        theirs = _post(url, "{ auth { companyId } }", headers={"Authorization": f"Bearer {other}"})
        limited = _post(url, "{ auth { companyId } }")
    assert mine == [200] * 20 + [429] and theirs.status_code == 200
    assert limited.json()["errors"][0]["message"].startswith("Rate limit exceeded")
    assert int(limited.headers["retry-after"]) >= 1


def test_server_faults_answer_in_graphql_shape() -> None:
    with _served(knobs=Knobs(fault_rate=1.0, faults=("503",))) as url:
        answer = _post(url, "{ auth { companyId } }")
    assert answer.status_code == 503
    assert set(answer.json()) == {"errors"} and "503" in answer.json()["errors"][0]["message"]


def test_the_date_scalar_is_strict() -> None:
    with _served() as url:
        answers = [
            _post(url, CAPTABLE, {"date": day}).json() for day in ("2025-1-1", "2025-02-30", 5)
        ]
        good = _post(url, CAPTABLE, {"date": "2025-02-28"}).json()
    assert all(a["errors"] and "Date" in a["errors"][0]["message"] for a in answers)
    assert "errors" not in good


def test_the_cap_table_honours_group_by_and_date() -> None:
    with _served() as url:
        total = _post(url, CAPTABLE).json()["data"]["companyCaptable"]["rows"]
        people = _post(url, CAPTABLE, {"groupBy": ["stakeholderName"]}).json()
        early = _post(url, CAPTABLE, {"groupBy": ["stakeholderName"], "date": "2025-01-01"}).json()
        groups = _post(url, CAPTABLE, {"groupBy": ["captableGroup"]}).json()
    assert [r["diluted"] for r in total] == [1700.0]
    rows = people["data"]["companyCaptable"]["rows"]
    assert {r["stakeholderId"]: r["diluted"] for r in rows} == {
        "sh_000001": 1500.0,
        "sh_000002": 200.0,
    }
    early_rows = early["data"]["companyCaptable"]["rows"]
    assert [(r["stakeholderName"], r["diluted"]) for r in early_rows] == [("Ada", 1000.0)]
    group_rows = groups["data"]["companyCaptable"]["rows"]
    assert {r["captableGroup"]: r["diluted"] for r in group_rows} == {
        "Employees": 1500.0,
        "Advisors": 200.0,
    }


def test_transactions_carry_the_hris_identifier() -> None:
    query = (
        "{ companyTransactions(types: [grant]) { rows { __typename ... on Grant "
        "{ transactionId date stakeholderHrisIdentifier granted } } } }"
    )
    with _served() as url:
        rows = _post(url, query).json()["data"]["companyTransactions"]["rows"]
    assert rows[0] == {
        "__typename": "Grant",
        "transactionId": "g1",
        "date": "2024-01-10",
        "stakeholderHrisIdentifier": "ada@acme.test",
        "granted": 1000.0,
    }


def test_published_only_offers_no_stakeholder_operations() -> None:
    with _served(published_only=True) as url:
        read = _post(url, "{ stakeholders { id } }").json()
        auth = _post(url, "{ auth { companyName } }").json()
        fields = _post(url, "{ __schema { mutationType { name } } }").json()
    assert "Cannot query field 'stakeholders'" in read["errors"][0]["message"]
    assert auth == {"data": {"auth": {"companyName": "Acme Ltd"}}}
    assert fields["data"]["__schema"]["mutationType"] is None


def _upload_file(heads: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(heads)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_admin_downloads_the_export_and_uploads_files() -> None:
    data = _company()
    with _served(data) as url:
        export = httpx.get(url + "/export.xlsx", headers=KEY)
        created = httpx.post(
            url + "/upload",
            content=_upload_file(["Name", "Identifier"], [["Cy", "cy@acme.test"]]),
            headers=KEY,
        )
        edited = httpx.post(
            url + "/upload",
            content=_upload_file(
                ["Stakeholder ID", "Name", "Group"], [["sh_000001", "Ada L", None]]
            ),
            headers=KEY,
        )
        refused = httpx.post(url + "/upload", content=b"not a workbook", headers=KEY)
        keyless = httpx.get(url + "/export.xlsx")
    rows = list(load_workbook(BytesIO(export.content)).worksheets[0].values)
    assert rows[1][:3] == ("Stakeholder ID", "Name", "Email") and len(rows) == 4
    assert created.json() == {"data": {"created": 1}} and edited.json() == {"data": {"updated": 1}}
    ada = data.stakeholders[0]
    assert ada["name"] == "Ada L" and ada["group"] is None  # a blank cell clears
    assert data.stakeholders[-1]["identifier"] == "cy@acme.test"
    assert refused.status_code == 400 and "errors" in refused.json()
    assert keyless.status_code == 401


INTROSPECT = "query Probe { __schema { queryType { fields { name } } } }"


def test_introspection_disabled_answers_as_graphql_cores_rule_does() -> None:
    with _served(behaviour=Behaviour(introspection="disabled")) as url:
        refused = _post(url, INTROSPECT)
        auth = _post(url, "{ auth { companyName } __typename }")
    assert refused.status_code == 200 and refused.json()["data"] is None
    assert refused.json()["errors"][0]["message"] == (
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field '__schema'."
    )
    assert auth.json()["data"] == {"auth": {"companyName": "Acme Ltd"}, "__typename": "Query"}


def test_introspection_refused_the_apollo_way_is_a_400() -> None:
    with _served(behaviour=Behaviour(introspection="apollo")) as url:
        refused = _post(url, INTROSPECT)
        auth = _post(url, "{ auth { companyName } }")
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["message"].startswith("GraphQL introspection is not allowed")
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert auth.status_code == 200


def _export_heads(mode: ExportHeaders) -> tuple[Any, ...]:
    return list(load_workbook(BytesIO(export_bytes(_company(), mode))).worksheets[0].values)[1]


def test_the_export_spells_its_columns_as_the_mode_says() -> None:
    with _served(behaviour=Behaviour(export_headers="aliased")) as url:
        served = httpx.get(url + "/export.xlsx", headers=KEY).content
    aliased = list(load_workbook(BytesIO(served)).worksheets[0].values)[1]
    ours = _export_heads("ours")
    assert aliased == _export_heads("aliased")
    assert ours[:3] == ("Stakeholder ID", "Name", "Email") and "HR: Start date" in ours
    assert aliased[:3] == ("Stakeholder id", "Full name", "E-mail")
    assert "HR - start date" in aliased and "Office" in aliased
    assert not set(aliased) & (set(ours) - {"Group", "Office"})  # every other one differs
    assert not [h for h in _export_heads("no-hr") if str(h).startswith("HR")]
    no_key = _export_heads("no-key")
    assert "Stakeholder ID" not in no_key and no_key[:2] == ("Name", "Email")


def test_an_upload_must_spell_columns_as_the_export_does() -> None:
    data = _company()
    aliased = Behaviour(export_headers="aliased")
    with _served(data, behaviour=aliased) as url:
        ours = httpx.post(
            url + "/upload",
            content=_upload_file(["Name", "Identifier"], [["Cy", "c"]]),
            headers=KEY,
        )
        theirs = httpx.post(
            url + "/upload",
            content=_upload_file(["Stakeholder id", "Full name"], [["sh_000001", "Ada L"]]),
            headers=KEY,
        )
    assert ours.status_code == 400
    assert ours.json()["errors"][0]["message"].startswith("not a Ledgy upload file")
    assert theirs.json() == {"data": {"updated": 1}} and data.stakeholders[0]["name"] == "Ada L"


def test_an_upload_with_a_column_ledgy_does_not_know_is_refused() -> None:
    data = _company()
    with pytest.raises(UploadRefused, match="Unknown column 'HR: Start date'"):
        upload(data, _upload_file(["Name", "HR: Start date"], [["Cy", "2020-01-01"]]), "no-hr")
    assert len(data.stakeholders) == 2

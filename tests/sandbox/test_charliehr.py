"""The CharlieHR emulator over loopback: served to an independent client, and its knobs."""

from __future__ import annotations

import httpx
import pytest
from charliehr import CharlieHRClient as ThirdPartyClient  # type: ignore[import-untyped]

from reconciler.errors import IncompleteReadError
from reconciler.sandbox.charliehr import (
    NO_SALARY_ID,
    PREFIX,
    SANDBOX_ID,
    SANDBOX_SECRET,
    Behaviour,
)
from tests.sandbox.helpers import charliehr

pytestmark = pytest.mark.anyio
HEADERS = {"Authorization": f"Token token={SANDBOX_ID}:{SANDBOX_SECRET}"}


def test_the_third_party_charliehr_client_lists_everything_unchanged() -> None:
    """charliehr-client (PyPI) sends ``/api/v1//team_members/`` and follows ``next_url``."""
    with charliehr(size=60) as api:
        client = ThirdPartyClient(SANDBOX_ID, SANDBOX_SECRET, timeout=10)
        client.base_url = api.url + PREFIX + "/"  # its only setting: the API root
        employees = client.get_all_employees()
        salaries = client.get_all_salaries()
        teams = client.get_all_teams()
        offices = client.get_all_offices()
    data = api.data
    assert [e["id"] for e in employees] == [m["id"] for m in data.team_members]
    assert [s["id"] for s in salaries] == [s["id"] for s in data.salaries]
    assert [t["id"] for t in teams] == [t["id"] for t in data.teams]
    assert [o["id"] for o in offices] == [o["id"] for o in data.offices]
    assert any("//team_members" in key for key in api.traffic.served)  # as it really sends


@pytest.mark.parametrize(
    "path", ["/api/v1//team_members/", "//api//v1///team_members", "/api/v1/team_members/"]
)
def test_repeated_and_trailing_slashes_are_one_route(path: str) -> None:
    with charliehr(size=3) as api:
        response = httpx.get(api.url + path, headers=HEADERS)
    assert response.status_code == 200
    assert len(response.json()["data"]) == 3


@pytest.mark.parametrize(
    ("method", "path", "status", "error"),
    [
        ("GET", "/api/v1/no_such_thing", 404, "Not found"),
        ("GET", "/elsewhere", 404, "Not found"),
        ("POST", "/api/v1/team_members", 405, "Method not allowed"),
    ],
)
def test_unknown_routes_answer_in_the_json_envelope(
    method: str, path: str, status: int, error: str
) -> None:
    with charliehr(size=1) as api:
        response = httpx.request(method, api.url + path, headers=HEADERS)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"success": False, "error": error}


def test_a_key_without_salary_access_is_refused_salaries_only() -> None:
    headers = {"Authorization": f"Token token={NO_SALARY_ID}:{SANDBOX_SECRET}"}
    with charliehr(size=3) as api:
        members = httpx.get(api.url + PREFIX + "/team_members", headers=headers)
        salaries = httpx.get(api.url + PREFIX + "/salaries", headers=headers)
        one = httpx.get(api.url + PREFIX + "/team_members/tm_000000/salaries", headers=headers)
    assert members.status_code == 200
    assert salaries.status_code == one.status_code == 403
    assert salaries.json() == {
        "success": False,
        "error": "This API key has no access to salaries",
    }


@pytest.mark.parametrize("kind", ["reorder", "insert", "delete"])
@pytest.mark.parametrize("totals", [True, False])
async def test_a_list_that_changes_once_between_pages_is_read_again_and_exact(
    kind: str, totals: bool
) -> None:
    behaviour = Behaviour(
        meta_totals=totals, churn=1.0, churn_limit=1, churn_after=2, churn_kinds=(kind,)
    )
    with charliehr(size=80, behaviour=behaviour) as api:
        before = sorted(m["id"] for m in api.data.team_members)
        async with api.client() as client:
            members = await client.team_members()
    after = sorted(m["id"] for m in api.data.team_members)
    assert before != after or kind == "reorder"
    assert sorted(m["id"] for m in members) in (before, after)  # the list as it was at one time
    first_pages = [k for k in api.traffic.served if "team_members?page=1&" in k]
    assert sum(api.traffic.served[k] for k in first_pages) >= 2 or kind == "reorder"


@pytest.mark.parametrize("kind", ["reorder", "insert", "delete"])
@pytest.mark.parametrize("totals", [True, False])
async def test_a_list_that_keeps_changing_is_refused(kind: str, totals: bool) -> None:
    behaviour = Behaviour(meta_totals=totals, churn=1.0, churn_kinds=(kind,))
    with charliehr(size=80, behaviour=behaviour) as api:
        async with api.client() as client:
            with pytest.raises(IncompleteReadError) as caught:
                await client.team_members()
    assert caught.value.message.startswith(
        "CharlieHR GET /team_members: the list kept changing while it was read ("
    )
    assert "nothing was planned from it" in caught.value.message

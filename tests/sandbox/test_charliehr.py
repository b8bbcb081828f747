"""The CharlieHR emulator over loopback: served to an independent client, and its knobs."""

from __future__ import annotations

import httpx
import pytest
from charliehr import CharlieHRClient as ThirdPartyClient  # type: ignore[import-untyped]

from reconciler.errors import IncompleteReadError
from reconciler.sandbox.charliehr import (
    META_STYLES,
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


def _get(api_url: str, page: int, per_page: int | None = None) -> httpx.Response:
    params = {"page": page} if per_page is None else {"page": page, "per_page": per_page}
    return httpx.get(api_url + PREFIX + "/team_members", params=params, headers=HEADERS)


def test_each_meta_style_serves_its_keys_for_the_same_list() -> None:
    metas = {}
    for style in META_STYLES:
        with charliehr(size=30, behaviour=Behaviour(meta_style=style)) as api:  # type: ignore[arg-type]
            metas[style] = _get(api.url, 1).json()["meta"]
    assert metas["full"] == {
        "next_url": "?page=2&per_page=25",
        "previous_url": None,
        "total_results": 30,
        "results_per_page": 25,
        "current_page": 1,
        "total_pages": 2,
    }
    assert metas["next_url_only"] == {"next_url": "?page=2&per_page=25", "previous_url": None}
    assert metas["page_per_page_total"] == {"page": 1, "per_page": 25, "total": 30}
    assert metas["total_count"] == {"next_url": "?page=2&per_page=25", "total_count": 30}
    assert metas["count"] == {"next_url": "?page=2&per_page=25", "count": 30}
    assert metas["total_pages"] == {"current_page": 1, "total_pages": 2}
    assert metas["bare"] == {}


@pytest.mark.parametrize(
    ("end", "status", "served"),
    [("empty", 200, []), ("not_found", 404, None), ("repeat_last", 200, "page 2")],
)
def test_a_page_past_the_end_is_empty_missing_or_the_last_page_again(
    end: str, status: int, served: object
) -> None:
    with charliehr(size=30, behaviour=Behaviour(past_end=end)) as api:  # type: ignore[arg-type]
        last = _get(api.url, 2).json()
        past = _get(api.url, 3)
        first_of_none = httpx.get(api.url + PREFIX + "/offices?page=1", headers=HEADERS)
    assert past.status_code == status
    if served is None:
        assert past.json() == {"success": False, "error": "Not found"}
    else:
        assert past.json()["data"] == (last["data"] if served == "page 2" else served)
    assert first_of_none.status_code == 200  # page 1 exists, even of an empty list


def test_pages_bigger_than_the_largest_served_are_cut_and_the_size_echoed_or_not() -> None:
    with charliehr(size=150, behaviour=Behaviour(max_page_size=100)) as api:
        big = _get(api.url, 1, 500).json()
        default = _get(api.url, 1).json()
    assert len(big["data"]) == 100 and big["meta"]["results_per_page"] == 100
    assert len(default["data"]) == 25  # no per_page: 25, as every public source says
    silent = Behaviour(echo_page_size=False)
    with charliehr(size=150, behaviour=silent) as api:
        cut = _get(api.url, 1, 100).json()
    assert len(cut["data"]) == 25
    assert "results_per_page" not in cut["meta"]
    assert cut["meta"]["next_url"] == "?page=2"


@pytest.mark.parametrize("end", ["not_found", "repeat_last"])
def test_the_third_party_client_reads_every_past_end_mode_unchanged(end: str) -> None:
    """It follows next_url and never asks past it, whatever lies there."""
    with charliehr(size=60, behaviour=Behaviour(past_end=end)) as api:  # type: ignore[arg-type]
        client = ThirdPartyClient(SANDBOX_ID, SANDBOX_SECRET, timeout=10)
        client.base_url = api.url + PREFIX + "/"
        employees = client.get_all_employees()
    assert [e["id"] for e in employees] == [m["id"] for m in api.data.team_members]

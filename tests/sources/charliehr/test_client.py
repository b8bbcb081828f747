"""The CharlieHR client against the emulator over real loopback HTTP."""

from __future__ import annotations

import logging
import re
from collections import Counter

import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import SourceError
from reconciler.sandbox.charliehr import PREFIX, Behaviour
from reconciler.sandbox.faults import Knobs
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials, _agreed
from reconciler.tasks import all_or_nothing
from tests.sandbox.helpers import FAST, charliehr

pytestmark = pytest.mark.anyio

SENSITIVE_KEYS = (
    "national_insurance_number",
    "payroll_id",
    "starter_declaration",
    "student_loan_plan",
    "bank_account_number",
    "sort_code",
    "notes",
    "ethnicity",
)


def _page_counts(served: Counter[str], path: str) -> Counter[str]:
    return Counter({k: v for k, v in served.items() if k.startswith(f"GET {PREFIX}/{path}?")})


@pytest.mark.parametrize("size", [0, 1, 25, 26, 1000])
async def test_every_member_is_fetched_once_and_every_page_once(size: int) -> None:
    with charliehr(size=size) as api:
        async with api.client() as client:
            members = await client.team_members()
    assert sorted(m["id"] for m in members) == sorted(m["id"] for m in api.data.team_members)
    pages = _page_counts(api.traffic.served, "team_members")
    assert set(pages.values()) == {1}
    assert len(pages) == max(1, -(-size // 25))  # nothing past the end the totals give


@pytest.mark.parametrize("size", [0, 24, 25, 26, 260])
async def test_without_totals_the_list_is_read_twice_at_each_size_and_compared(size: int) -> None:
    with charliehr(size=size, behaviour=Behaviour(meta_totals=False)) as api:
        async with api.client(concurrency=4) as client:
            members = await client.team_members()
    assert [m["id"] for m in members] == [m["id"] for m in api.data.team_members]
    pages = _page_counts(api.traffic.served, "team_members")
    reads = 2  # per page size
    for per_page in (25, 20):
        last = max(1, -(-size // per_page))
        for n in range(1, last + 1):
            assert pages[f"GET {PREFIX}/team_members?page={n}&per_page={per_page}"] == reads
        # The page past the end only after a full last page: a short one ends the list.
        past = reads if size and size % per_page == 0 else 0
        assert pages[f"GET {PREFIX}/team_members?page={last + 1}&per_page={per_page}"] == past
    assert sum(pages.values()) == client.stats.requests


@pytest.mark.parametrize("style", ["query", "path"])
async def test_one_at_a_time_follows_next_url_in_both_relative_forms(style: str) -> None:
    behaviour = Behaviour(next_url_style=style, meta_style="next_url_only")  # type: ignore[arg-type]
    with charliehr(size=60, behaviour=behaviour) as api:
        async with api.client(concurrency=1) as client:
            members = await client.team_members()
    assert [m["id"] for m in members] == [m["id"] for m in api.data.team_members]
    # Twice 3 pages at 25 a page; twice 3 at 20 and the one past the full last page.
    assert sum(_page_counts(api.traffic.served, "team_members").values()) == 14


async def test_trailing_slashes_are_tolerated() -> None:
    with charliehr(size=3) as api:
        async with api.client() as client:
            response = await client._connections[0].get("team_members/")
    assert response.status_code == 200


async def test_a_429_with_retry_after_is_waited_out() -> None:
    with charliehr(size=200, knobs=Knobs(rate_limit=4, rate_window=1.0)) as api:
        async with api.client(concurrency=8) as client:
            members = await client.team_members()
    assert len(members) == 200
    assert api.traffic.limited > 0
    assert client.stats.statuses[429] == api.traffic.limited


async def test_a_20_percent_fault_rate_still_yields_the_complete_correct_set() -> None:
    with charliehr(size=1000) as clean:
        async with clean.client() as client:
            expected = await client.team_members()
    knobs = Knobs(fault_rate=0.2, seed=11)
    with charliehr(size=1000, knobs=knobs) as api:
        async with api.client() as client:
            members = await client.team_members()
            salaries = await client.salaries()
    assert members == expected
    assert len(salaries) == len(api.data.salaries)
    assert api.traffic.faulted > 5
    assert client.stats.retries >= api.traffic.faulted


async def test_bad_credentials_name_the_variables_and_never_the_secret() -> None:
    wrong = Credentials(Secret("id-abc"), Secret("very-secret-xyz"), "HR_ID", "HR_SECRET")
    with charliehr(size=3) as api:
        async with CharlieHRClient(api.url + PREFIX, wrong, policy=FAST) as client:
            with pytest.raises(SourceError) as caught:
                await client.team_members()
    text = caught.value.diagnostics()
    assert "refused the credentials" in text and "401" in text
    assert "HR_ID" in text and "HR_SECRET" in text
    assert "very-secret-xyz" not in text and "id-abc" not in text


async def test_salary_access_refused_says_so() -> None:
    with charliehr(size=3, behaviour=Behaviour(auth_failure_status=403)) as api:
        wrong = Credentials(Secret("x"), Secret("y"))
        async with CharlieHRClient(api.url + PREFIX, wrong, policy=FAST) as client:
            with pytest.raises(SourceError, match="no access to salary data"):
                await client.salaries()


async def test_a_persistent_server_error_names_method_path_and_status() -> None:
    knobs = Knobs(fault_rate=1.0, faults=("503",))
    with charliehr(size=3, knobs=knobs) as api:
        async with api.client() as client:
            with pytest.raises(SourceError) as caught:
                await client.teams()
    assert re.fullmatch(
        r"CharlieHR GET /teams\?page=[12]&per_page=25 failed 8 times \(HTTP 503\)",
        caught.value.message,
    )


async def test_an_unknown_path_is_a_clear_error() -> None:
    with charliehr(size=3) as api:
        async with api.client() as client:
            with pytest.raises(SourceError) as caught:
                await client.team_member("tm_missing")
    assert caught.value.message == "CharlieHR GET /team_members/tm_missing answered 404: Not found"


async def test_sensitive_keys_reach_no_model_log_or_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with charliehr(size=40, knobs=Knobs(fault_rate=0.3, faults=("500",), seed=3)) as api:
        async with api.client() as client:
            members = await client.team_members()
            detail = await client.team_member(members[0]["id"])
    distinctive = ("national_insurance_number", "payroll_id", "bank_account_number")
    secrets = {str(m[k]) for m in api.data.team_members for k in distinctive}
    assert secrets
    for record in [*members, detail]:
        assert not set(SENSITIVE_KEYS) & set(record)
    logged = caplog.text
    assert not any(value in logged for value in secrets)


async def test_a_foreign_next_url_is_never_followed() -> None:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "success": True,
                "data": [{"id": str(n)} for n in range(25)],
                "meta": {"next_url": "https://evil.example/steal"},
            },
        )

    creds = Credentials(Secret("a"), Secret("b"))
    async with CharlieHRClient(
        "https://charliehr.com/api/v1", creds, transport=httpx.MockTransport(handler), concurrency=1
    ) as client:
        with pytest.raises(SourceError, match="points outside"):
            await client.team_members()


async def test_a_body_without_the_envelope_is_refused() -> None:
    import httpx

    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=[1, 2]))
    creds = Credentials(Secret("a"), Secret("b"))
    async with CharlieHRClient(
        "https://charliehr.com/api/v1", creds, transport=transport
    ) as client:
        with pytest.raises(SourceError, match="no \\{success, data\\} envelope"):
            await client.offices()


def test_one_read_at_each_page_size_does_not_prove_a_list_without_totals() -> None:
    # 30 people: an emptied page 2 at 25 a page and a page 2 cut to 5 at 20 a page both
    # leave the first 25, so one agreeing read at each size is a coincidence, not proof.
    first = tuple(f"tm_{n}" for n in range(25))
    assert not _agreed(first, [(first, 25), (first, 20)])
    assert not _agreed(first, [(first, 25), (first, 20), (first, 20)])
    assert _agreed(first, [(first, 25), (first, 20), (first, 25), (first, 20)])
    assert not _agreed(first, [(first, 25), (first, 25), (first, 25), (first[:-1], 20)])


async def test_salary_pages_wait_behind_the_team_members_pages() -> None:
    # The members are normalised while the salary ledger arrives, so they must come first.
    with charliehr(size=200) as api:
        async with api.client(concurrency=2) as client:
            await all_or_nothing(client.salaries(), client.team_members())
    served = list(api.traffic.served)
    last_member = max(i for i, key in enumerate(served) if "/team_members?" in key)
    salaries = [i for i, key in enumerate(served) if "/salaries?" in key]
    assert last_member < salaries[-1]
    assert sum(1 for i in salaries if i > last_member) > len(salaries) // 2

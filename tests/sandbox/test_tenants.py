"""One emulator address, several accounts told apart by their keys."""

from __future__ import annotations

import httpx

from reconciler.sandbox import charliehr, ledgy
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import serve_in_thread
from reconciler.sandbox.tenants import accounts, companies
from tests.e2e.harness import member

QUERY = {"query": "{ auth { companyId companyName } }"}


def test_each_charliehr_key_reads_its_own_account_and_a_stranger_is_refused() -> None:
    app = accounts(
        {
            ("id-a", "s-a"): CharlieHRData({"id": "a", "name": "A"}, [member(1)]),
            ("id-b", "s-b"): CharlieHRData({"id": "b", "name": "B"}, [member(1), member(2)]),
        }
    )
    with serve_in_thread(app) as url:

        def members(key: str) -> httpx.Response:
            return httpx.get(
                f"{url}{charliehr.PREFIX}/team_members", headers={"Authorization": key}
            )

        assert len(members("Token token=id-a:s-a").json()["data"]) == 1
        assert len(members("Token token=id-b:s-b").json()["data"]) == 2
        assert members("Token token=id-a:s-b").status_code == 401


def test_each_ledgy_key_answers_for_its_own_company_and_a_stranger_is_refused() -> None:
    app = companies(
        {
            "key-a": LedgyData({"id": "co_a", "name": "A Ltd"}, [], []),
            "key-b": LedgyData({"id": "co_b", "name": "B GmbH"}, [], []),
        }
    )
    with serve_in_thread(app) as url:

        def auth(key: str) -> httpx.Response:
            return httpx.post(
                url + ledgy.PATH, json=QUERY, headers={"Authorization": f"Bearer {key}"}
            )

        assert auth("key-a").json()["data"]["auth"]["companyName"] == "A Ltd"
        assert auth("key-b").json()["data"]["auth"]["companyName"] == "B GmbH"
        assert auth("key-c").status_code == 401

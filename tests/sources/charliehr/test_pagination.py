"""What a server's first page (and the page past it) shows about its paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.sandbox.charliehr import PREFIX, SANDBOX_ID, SANDBOX_SECRET, Behaviour, create_app
from reconciler.sandbox.demo import generate_company
from reconciler.sources.charliehr.pagination import PaginationFindings, pagination_findings
from tests.sandbox.helpers import TODAY

pytestmark = pytest.mark.anyio
HEADERS = {"Authorization": f"Token token={SANDBOX_ID}:{SANDBOX_SECRET}"}


async def _findings(behaviour: Behaviour, size: int, *, past: bool = True) -> PaginationFindings:
    """Ask an emulator for page 1 at 100 a page, and page 2 when ``past``."""
    app = create_app(generate_company(size, today=TODAY), behaviour=behaviour)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://charliehr") as http:
        url = f"{PREFIX}/team_members"
        first = await http.get(url, params={"page": 1, "per_page": 100}, headers=HEADERS)
        after = None
        if past:
            second = await http.get(url, params={"page": 2, "per_page": 100}, headers=HEADERS)
            after = (second.status_code, second.json())
    return pagination_findings(first.json(), asked=100, past=after)


@pytest.mark.parametrize(
    ("style", "keys"),
    [
        (
            "full",
            {
                "next_url": "next_url",
                "total": "total_results",
                "total_pages": "total_pages",
                "page": "current_page",
                "per_page": "results_per_page",
            },
        ),
        ("next_url_only", {"next_url": "next_url"}),
        ("page_per_page_total", {"page": "page", "per_page": "per_page", "total": "total"}),
        ("total_count", {"next_url": "next_url", "total": "total_count"}),
        ("count", {"next_url": "next_url", "total_or_page_count": "count"}),
        ("total_pages", {"page": "current_page", "total_pages": "total_pages"}),
        ("bare", {}),
    ],
)
async def test_the_pagination_keys_of_every_meta_style_are_found(
    style: Any, keys: dict[str, str]
) -> None:
    found = await _findings(Behaviour(meta_style=style), 3, past=False)
    assert found.keys == keys
    assert found.other_keys == (("previous_url",) if style in ("full", "next_url_only") else ())
    assert found.items == 3 and found.end == "not_read" and found.past_status is None
    # count, on a short first page, can only be the total.
    exact = ("full", "page_per_page_total", "total_count", "count")
    assert found.exact_in_one_read == (style in exact)


@pytest.mark.parametrize(
    ("end", "told", "status"),
    [("empty", "empty", 200), ("not_found", "not_found", 404), ("repeat_last", "repeat_last", 200)],
)
async def test_the_answer_past_the_end_is_told(end: Any, told: str, status: int) -> None:
    found = await _findings(Behaviour(past_end=end), 3)
    assert (found.end, found.past_status) == (told, status)


@pytest.mark.parametrize(
    ("behaviour", "size", "page_size"),
    [
        (Behaviour(max_page_size=100), 150, 100),  # the server serves 100
        (Behaviour(), 150, 25),  # cut to 25, and says so
        (Behaviour(echo_page_size=False), 150, 25),  # cut to 25: a page that more follow
        (Behaviour(meta_style="bare"), 150, None),  # nothing says more follow
        (Behaviour(max_page_size=100, echo_page_size=False), 30, None),  # fits in one page
    ],
)
async def test_the_page_size_served_is_found_when_a_page_shows_it(
    behaviour: Behaviour, size: int, page_size: int | None
) -> None:
    found = await _findings(behaviour, size)
    assert found.page_size == page_size
    assert found.end == ("more_items" if size > (page_size or 100) else found.end)


def test_a_page_past_the_end_that_is_not_a_list_is_another_answer() -> None:
    first = {"success": True, "data": [{"id": "a"}], "meta": {"next_url": None, "extra": 1}}
    found = pagination_findings(first, asked=25, past=(500, {"success": False}))
    assert (found.end, found.past_status, found.other_keys) == ("other", 500, ("extra",))
    assert found.to_dict() == {
        "keys": {"next_url": "next_url"},
        "other_keys": ["extra"],
        "items": 1,
        "total": None,
        "page_size": None,
        "end": "other",
        "past_status": 500,
    }

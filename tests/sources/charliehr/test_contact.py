"""First contact with CharlieHR: first pages, refusals, the end of a list, the page size.

The emulator serves what it can (pages of at most 25, an empty page past the end,
every form of refused salary access); an ``httpx.MockTransport`` stands in for the
shapes it cannot serve: a page past the end answered 404 or with the last page
again, a server that honours 100 a page, a meta with only ``{page, per_page, total}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.domain.contact import EndpointSample, KeySeen
from reconciler.sandbox.charliehr import NO_SALARY_ID, PREFIX, SANDBOX_SECRET, Behaviour
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials
from reconciler.sources.charliehr.contact import (
    KEYS_LISTED,
    MOST_PAGES,
    NAME_LENGTH,
    SAMPLE_SIZE,
    Sampled,
    _honoured,
    paging,
    sample,
    samples,
)
from tests.sandbox.helpers import CREDENTIALS, FAST, charliehr

pytestmark = pytest.mark.anyio

ROOT = "https://charliehr.test/api/v1"
PastEnd = Literal["empty", "404", "last", "more", "500"]
MetaStyle = Literal["ours", "echo", "none"]


def _served(traffic: Any, path: str) -> list[str]:
    return sorted(k for k in traffic.served if k.startswith(f"GET {PREFIX}/{path}?"))


# Against the emulator


async def test_the_first_page_is_asked_for_a_hundred_and_reported_by_key() -> None:
    with charliehr(size=30) as api:
        async with api.client() as client:
            found = await sample(client, "team_members")
        asked = _served(api.traffic, "team_members")
    assert asked == [f"GET {PREFIX}/team_members?page=1&per_page={SAMPLE_SIZE}"]
    first = found.sample
    assert (first.endpoint, first.answer, first.records, first.asked, first.more) == (
        "GET /team_members",
        "ok",
        25,
        100,
        True,
    )
    assert first.meta_keys == (
        "current_page",
        "next_url",
        "previous_url",
        "results_per_page",
        "total_pages",
        "total_results",
    )
    assert KeySeen("email", 25, 25, ("text",)) in first.keys
    assert len(found.records) == 25 and found.next_url == "?page=2&per_page=25"


async def test_sensitive_keys_never_reach_the_report() -> None:
    with charliehr(size=5) as api:
        async with api.client() as client:
            found = await sample(client, "team_members")
    keys = {k.key for k in found.sample.keys}
    assert "national_insurance_number" not in keys and "email" in keys


@pytest.mark.parametrize(
    ("refusal", "answer"),
    [
        ("403", "answered 403"),
        ("401", "answered 401"),
        ("404", "answered 404"),
        ("success_false", "said success: false"),
    ],
)
async def test_a_refused_endpoint_is_an_answer_not_an_error(refusal: str, answer: str) -> None:
    credentials = Credentials(Secret(NO_SALARY_ID), Secret(SANDBOX_SECRET))
    with charliehr(size=5, behaviour=Behaviour(salary_refusal=refusal)) as api:
        async with CharlieHRClient(api.url + PREFIX, credentials, policy=FAST) as client:
            found = await samples(client, ["team_members", "salaries"])
    refused = found["salaries"]
    assert refused.sample == EndpointSample("GET /salaries", answer)
    assert refused.records == () and refused.next_url is None
    assert found["team_members"].sample.answer == "ok"


async def test_an_empty_salary_list_is_an_answer_of_no_records() -> None:
    credentials = Credentials(Secret(NO_SALARY_ID), Secret(SANDBOX_SECRET))
    with charliehr(size=5, behaviour=Behaviour(salary_refusal="empty")) as api:
        async with CharlieHRClient(api.url + PREFIX, credentials, policy=FAST) as client:
            found = await sample(client, "salaries")
    assert (found.sample.answer, found.sample.records, found.sample.more) == ("ok", 0, False)


async def test_the_shortest_list_is_read_to_its_end_and_one_page_past_it() -> None:
    with charliehr(size=30) as api:
        async with api.client() as client:
            found = await samples(client, ["team_members", "salaries", "teams"])
            paged = await paging(client, found)
        teams = _served(api.traffic, "teams")
    assert paged is not None
    assert (paged.endpoint, paged.pages, paged.past_end) == ("GET /teams", 1, "empty")
    assert paged.totals == ("current_page", "results_per_page", "total_pages", "total_results")
    assert paged.next_url is True
    assert teams == [
        f"GET {PREFIX}/teams?page=1&per_page=100",
        f"GET {PREFIX}/teams?page=2&per_page=100",
    ]
    assert paged.page_size == 25  # the team members: 25 came of 100, more follow


async def test_a_list_shorter_than_a_page_tells_no_page_size() -> None:
    with charliehr(size=10) as api:
        async with api.client() as client:
            found = await samples(client, ["team_members"])
            paged = await paging(client, found)
    assert found["team_members"].sample.records == 10
    assert paged is not None and paged.page_size is None
    assert (paged.endpoint, paged.pages, paged.past_end) == ("GET /team_members", 1, "empty")


async def test_nothing_readable_is_no_paging_and_no_request() -> None:
    refused = Sampled(EndpointSample("GET /salaries", "answered 403"), (), None)
    with charliehr(size=1) as api:
        async with api.client() as client:
            assert await paging(client, {"salaries": refused}) is None
        assert api.traffic.requests == 0


@pytest.mark.parametrize(
    ("first", "size"),
    [
        (EndpointSample("GET /team_members", "ok", 25, 100, True), 25),
        (EndpointSample("GET /team_members", "ok", 100, 100, True), 100),
        (EndpointSample("GET /team_members", "ok", 100, 100, False), 100),
        (EndpointSample("GET /team_members", "ok", 10, 100, False), None),
        (EndpointSample("GET /team_members", "ok", 0, 100, False), None),
        (EndpointSample("GET /team_members", "answered 403"), None),
    ],
)
def test_the_page_size_honoured_is_what_came_when_more_follow(
    first: EndpointSample, size: int | None
) -> None:
    assert _honoured(first) == size


# Against a fake for the shapes the emulator does not serve


@dataclass
class FakeList:
    """One list served as a server might: its page cap, its meta, its end."""

    items: list[dict[str, Any]]
    cap: int = 25
    past_end: PastEnd = "empty"
    meta: MetaStyle = "ours"
    asked: list[str] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(f"{request.url.path.rsplit('/', 1)[-1]}?{request.url.query.decode()}")
        number = int(request.url.params.get("page", "1"))
        size = min(int(request.url.params.get("per_page", "25")), self.cap)
        pages = max(1, math.ceil(len(self.items) / size))
        if number > pages:
            return self._past(pages, size)
        chunk = self.items[(number - 1) * size : number * size]
        return _page(chunk, self._meta(number, size, pages))

    def _past(self, pages: int, size: int) -> httpx.Response:
        if self.past_end == "404":
            return httpx.Response(404, json={"success": False, "error": "Not found"})
        if self.past_end == "500":
            return httpx.Response(500, json={"success": False, "error": "Oops"})
        if self.past_end == "last":
            return _page(self.items[(pages - 1) * size : pages * size], {})
        if self.past_end == "more":
            return _page([{"id": "surprise"}], {})
        return _page([], {})

    def _meta(self, number: int, size: int, pages: int) -> dict[str, Any]:
        if self.meta == "echo":
            return {"page": number, "per_page": size, "total": len(self.items)}
        if self.meta == "none":
            return {}
        link = f"?page={number + 1}&per_page={size}" if number < pages else None
        return {"next_url": link, "total_results": len(self.items), "total_pages": pages}


def _page(items: list[dict[str, Any]], meta: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "data": items, "meta": meta})


def _items(count: int, prefix: str = "tm") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}_{n}", "email": f"p{n}@acme.test"} for n in range(count)]


async def _nap(seconds: float) -> None:
    """No real waiting: retries in these tests are instant."""


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> CharlieHRClient:
    return CharlieHRClient(
        ROOT,
        Credentials(Secret("a"), Secret("b")),
        transport=httpx.MockTransport(handler),
        policy=FAST,
        sleep=_nap,
    )


async def _paged(fake: FakeList, paths: tuple[str, ...] = ("team_members",)) -> Any:
    async with _client(fake) as client:
        found = await samples(client, list(paths))
        return found, await paging(client, found)


@pytest.mark.parametrize(
    ("past_end", "said"),
    [
        ("empty", "empty"),
        ("404", "404"),
        ("last", "the last page again"),
        ("more", "more items"),
        ("500", "an error"),
    ],
)
async def test_each_answer_past_the_end_is_named(past_end: PastEnd, said: str) -> None:
    fake = FakeList(_items(30), past_end=past_end)
    _, paged = await _paged(fake)
    assert (paged.pages, paged.past_end) == (2, said)
    assert fake.asked[:3] == [
        "team_members?page=1&per_page=100",
        "team_members?page=2&per_page=100",
        "team_members?page=3&per_page=100",
    ]


async def test_a_server_that_honours_a_hundred_a_page_is_read_in_hundreds() -> None:
    fake = FakeList(_items(250), cap=100)
    found, paged = await _paged(fake)
    assert found["team_members"].sample.records == 100
    assert (paged.pages, paged.past_end, paged.page_size) == (3, "empty", 100)
    assert len(fake.asked) == 4 and all("per_page=100" in a for a in fake.asked)


async def test_a_meta_with_only_page_per_page_and_total_is_understood() -> None:
    fake = FakeList(_items(30), meta="echo")
    found, paged = await _paged(fake)
    first = found["team_members"].sample
    assert (first.more, first.meta_keys) == (True, ("page", "per_page", "total"))
    assert (paged.totals, paged.next_url) == (("page", "per_page", "total"), False)
    assert (paged.pages, paged.past_end, paged.page_size) == (2, "empty", 25)


async def test_a_full_page_without_totals_or_next_url_is_taken_for_the_end() -> None:
    # Nothing says more follow: the page past it finds them, and the verdict warns.
    fake = FakeList(_items(30), meta="none")
    found, paged = await _paged(fake)
    assert found["team_members"].sample.more is False
    assert (paged.totals, paged.next_url, paged.pages, paged.past_end) == (
        (),
        False,
        1,
        "more items",
    )
    assert paged.page_size is None


async def test_a_long_list_is_followed_a_few_pages_then_left() -> None:
    fake = FakeList(_items(1000))
    _, paged = await _paged(fake)
    assert (paged.pages, paged.past_end) == (0, None)
    assert len(fake.asked) == MOST_PAGES  # never the whole list


async def test_the_list_with_fewest_records_and_no_more_is_the_one_paged() -> None:
    members, teams = _items(60), _items(3, "team")

    def handler(request: httpx.Request) -> httpx.Response:
        return (teams_fake if request.url.path.endswith("teams") else members_fake)(request)

    members_fake, teams_fake = FakeList(members), FakeList(teams)
    async with _client(handler) as client:
        found = await samples(client, ["team_members", "teams"])
        paged = await paging(client, found)
    assert paged is not None and paged.endpoint == "GET /teams"
    assert teams_fake.asked == ["teams?page=1&per_page=100", "teams?page=2&per_page=100"]
    assert members_fake.asked == ["team_members?page=1&per_page=100"]
    assert paged.page_size == 25


# Hostile servers: what they send may name keys, never put a value in the report


async def test_keys_named_by_value_are_capped_and_counted_the_common_ones_kept() -> None:
    # Each person's record carries keys named after them: thousands of one-off "names".
    records = [
        {"id": f"tm_{n}", "email": f"p{n}@acme.test"}
        | {f"person{n}.{i}.sentinel@acme.test": "x" for i in range(100)}
        for n in range(30)
    ]
    async with _client(FakeList(records, cap=100)) as client:
        first = (await sample(client, "team_members")).sample
    assert len(first.keys) == KEYS_LISTED
    assert first.keys_left_out == 30 * 100 + 2 - KEYS_LISTED
    names = [k.key for k in first.keys]
    assert {"id", "email"} <= set(names) and names == sorted(names)


async def test_a_key_name_as_long_as_a_value_is_cut_short() -> None:
    long = "a" * 5000

    def handler(request: httpx.Request) -> httpx.Response:
        return _page([{"id": "tm_1", long: 1}], {long + "_meta": "x"})

    async with _client(handler) as client:
        first = (await sample(client, "team_members")).sample
    [cut] = [k.key for k in first.keys if k.key.startswith("a")]
    assert cut == "a" * NAME_LENGTH + "… (5000 characters)"
    assert first.meta_keys == ("a" * NAME_LENGTH + "… (5005 characters)",)


async def test_a_token_in_a_meta_url_is_never_reported_nor_followed_elsewhere() -> None:
    token = "tok_sentinel_9f3a"
    fake = FakeList(_items(30))
    hosts: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.add(request.url.host)
        body = fake(request).json()
        body["meta"] |= {
            "next_url": f"https://evil.example/api/v1/team_members?page=2&token={token}",
            "first_url": f"?page=1&access_token={token}",
        }
        return httpx.Response(200, json=body)

    async with _client(handler) as client:
        found = await samples(client, ["team_members"])
        paged = await paging(client, found)
    shown = repr(found["team_members"].sample) + repr(paged)
    assert token not in shown and "evil" not in shown
    assert hosts == {"charliehr.test"}
    assert "first_url" in found["team_members"].sample.meta_keys


async def test_a_list_that_fails_is_reported_and_the_rest_still_comes() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/salaries"):
            return httpx.Response(422, json={"success": False, "error": "Unprocessable"})
        return httpx.Response(200, json={"success": True, "data": [{"id": "1"}], "meta": {}})

    client = CharlieHRClient(ROOT, CREDENTIALS, transport=httpx.MockTransport(answer), policy=FAST)
    async with client:
        found = await samples(client, ["team_members", "salaries"])
    assert found["team_members"].sample.answer == "ok"
    assert found["salaries"].sample.answer.startswith("failed: CharlieHR GET /salaries")
    assert "answered 422" in found["salaries"].sample.answer


async def test_a_page_that_fails_while_paging_is_told_not_raised() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2":
            return httpx.Response(422, json={"success": False, "error": "Unprocessable"})
        items = [{"id": str(n)} for n in range(100)]
        return httpx.Response(
            200, json={"success": True, "data": items, "meta": {"next_url": "?page=2"}}
        )

    client = CharlieHRClient(ROOT, CREDENTIALS, transport=httpx.MockTransport(answer), policy=FAST)
    async with client:
        found = await paging(client, await samples(client, ["teams"]))
    assert found is not None
    assert (found.pages, found.past_end) == (0, "page 2 failed")

"""GitHub's rate limits, waited out as GitHub documents, on a fake clock (no real waits).

https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api: if
``retry-after`` is there, wait that long; else if ``x-ratelimit-remaining`` is 0,
wait until ``x-ratelimit-reset``; else wait at least a minute, longer each time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError
from reconciler.github.client import GitHubClient
from reconciler.github.rate_limits import RateLimitPolicy
from reconciler.http.retry import RetryPolicy
from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from tests.github.clock import START, FakeTime
from tests.github.conftest import Scripted
from tests.github.scripted import Answer

pytestmark = pytest.mark.anyio
REPO = "acme/people-config"
PATH = f"/repos/{REPO}/issues/3/comments"
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes."
PERSONAL = "hidden.person@mail.example"


def _client(
    url: str,
    time: FakeTime,
    limits: RateLimitPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> GitHubClient:
    return GitHubClient(
        url,
        Secret(SANDBOX_TOKEN),
        REPO,
        transport=transport,
        policy=RetryPolicy(),
        sleep=time.sleep,
        clock=time.clock,
        limits=limits,
    )


def _answer(status: int, message: str = SECONDARY, **headers: str) -> Answer:
    body = {"message": message, "documentation_url": "https://docs.github.com/rest"}
    return Answer(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


# -- which wait, from which header (a scripted server) -----------------------


@pytest.mark.parametrize("status", [403, 429])
async def test_a_retry_after_is_waited_exactly_then_the_request_is_sent_again(
    scripted: Scripted, status: int
) -> None:
    scripted.script.then("GET", _answer(status, retry_after="7"), Answer(200, [{"id": 1}]))
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert [c.id for c in await client.comments(3)] == [1]
    assert time.slept == [7.0]
    assert [(s.method, s.path) for s in scripted.script.sent] == [("GET", PATH)] * 2


@pytest.mark.parametrize("status", [403, 429])
async def test_an_exhausted_primary_limit_is_waited_out_until_its_reset(
    scripted: Scripted, status: int
) -> None:
    reset = str(int(START) + 90)
    primary = _answer(status, "API rate limit exceeded", x_ratelimit_remaining="0")
    scripted.script.then(
        "GET",
        _answer(
            status, "API rate limit exceeded", x_ratelimit_remaining="0", x_ratelimit_reset=reset
        ),
        Answer(200, []),
    )
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert await client.comments(3) == []
        scripted.script.then("GET", primary, Answer(200, []))  # no reset: GitHub's "else"
        assert await client.comments(3) == []
    assert time.slept == [91.0, 60.0]  # a second past the reset, then the minute


async def test_a_reset_already_past_is_waited_one_second(scripted: Scripted) -> None:
    past = str(int(START) - 3600)
    scripted.script.then(
        "GET", _answer(403, x_ratelimit_remaining="0", x_ratelimit_reset=past), Answer(200, [])
    )
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert await client.comments(3) == []
    assert time.slept == [1.0]


@pytest.mark.parametrize("status", [403, 429])
async def test_a_secondary_limit_without_headers_waits_a_minute_then_doubles(
    scripted: Scripted, status: int
) -> None:
    scripted.script.then("GET", *[_answer(status)] * 3, Answer(200, [{"id": 2}]))
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert [c.id for c in await client.comments(3)] == [2]
    assert time.slept == [60.0, 120.0, 240.0]


async def test_a_429_is_a_limit_whatever_its_message(scripted: Scripted) -> None:
    scripted.script.then("GET", Answer(429, {"message": "Too Many Requests"}), Answer(200, []))
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert await client.comments(3) == []
    assert time.slept == [60.0]


async def test_the_older_abuse_detection_wording_is_a_secondary_limit(scripted: Scripted) -> None:
    said = "You have triggered an abuse detection mechanism. Please wait a few minutes."
    scripted.script.then("GET", _answer(403, said), Answer(200, []))
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert await client.comments(3) == []
    assert time.slept == [60.0]


async def test_a_named_wait_does_not_count_towards_the_doubling(scripted: Scripted) -> None:
    scripted.script.then(
        "GET", _answer(403), _answer(429, retry_after="5"), _answer(403), Answer(200, [])
    )
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        assert await client.comments(3) == []
    assert time.slept == [60.0, 5.0, 120.0]


# -- bounded: in number and in total; the error says "rate limited" ----------


async def test_a_limit_that_never_lifts_is_given_up_after_the_last_wait(
    scripted: Scripted,
) -> None:
    scripted.script.then("GET", *[_answer(429, retry_after="1")] * 9)
    time = FakeTime()
    async with _client(scripted.url, time, RateLimitPolicy(max_waits=3)) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert time.slept == [1.0] * 3 and len(scripted.script.sent) == 4
    assert caught.value.message == (
        f"GitHub GET {PATH} answered 429: rate limited by GitHub's secondary rate limit "
        "(retry-after: 1); still limited after 3 wait(s), 3 s"
    )
    assert caught.value.remedy is not None and "run again in a few minutes" in caught.value.remedy
    assert "permission" not in caught.value.message + caught.value.remedy


async def test_a_wait_past_the_total_is_not_started_and_says_when_to_run_again(
    scripted: Scripted,
) -> None:
    reset = int(START) + 3000  # 14:00:00 UTC + 50 minutes
    scripted.script.then(
        "GET",
        _answer(
            403, "API rate limit exceeded", x_ratelimit_remaining="0", x_ratelimit_reset=str(reset)
        ),
    )
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert time.slept == [] and len(scripted.script.sent) == 1
    assert caught.value.message == (
        f"GitHub GET {PATH} answered 403: rate limited by GitHub's primary rate limit "
        "(x-ratelimit-remaining: 0, resets at 08:50:00 UTC); it asks for 3001 s more, "
        "past the 900 s a run waits in all"
    )
    assert caught.value.remedy == (
        "run again after 08:50:00 UTC, when GitHub's hourly request budget for this token "
        "resets; every workflow using the same token shares that budget"
    )


async def test_the_bound_is_for_the_whole_client_not_each_request(scripted: Scripted) -> None:
    scripted.script.then(
        "GET", _answer(403), Answer(200, []), _answer(403), Answer(200, []), _answer(403)
    )
    time = FakeTime()
    async with _client(scripted.url, time, RateLimitPolicy(max_total=150)) as client:
        assert await client.comments(3) == []
        assert await client.comments(3) == []  # 60 + 60 of 150 spent
        with pytest.raises(GitHubError, match=r"rate limited.*past the 150 s a run waits"):
            await client.comments(3)
    assert time.slept == [60.0, 60.0]


async def test_a_refusal_with_requests_left_is_a_permission_error_not_a_limit(
    scripted: Scripted,
) -> None:
    refused = Answer(
        403,
        {"message": "Resource not accessible by integration"},
        {"x-ratelimit-remaining": "4999", "x-ratelimit-reset": str(int(START) + 60)},
    )
    scripted.script.then("GET", refused)
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        with pytest.raises(GitHubError) as caught:
            await client.comments(3)
    assert "not allowed" in caught.value.message and "rate limit" not in caught.value.message
    assert caught.value.remedy is not None and "permission" in caught.value.remedy
    assert time.slept == []


async def test_a_limited_write_is_sent_again_once_and_lands_once(scripted: Scripted) -> None:
    scripted.script.then("POST", _answer(403), Answer(201, {"id": 5, "body": "plan"}))
    time = FakeTime()
    async with _client(scripted.url, time) as client:
        made = await client.create_comment(3, "plan")
        assert (made.id, made.body) == (5, "plan")
    assert [s.method for s in scripted.script.sent] == ["POST", "POST"]  # no look-up needed
    assert time.slept == [60.0]


async def test_each_wait_is_logged_with_its_length_and_reason_and_no_body(
    scripted: Scripted, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.script.then(
        "GET",
        _answer(403, f"secondary rate limit for {PERSONAL}"),
        _answer(429, retry_after="3"),
        Answer(200, []),
    )
    time = FakeTime()
    with caplog.at_level(logging.WARNING, logger="reconciler.github.rate_limits"):
        async with _client(scripted.url, time) as client:
            await client.comments(3)
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == [
        f"GitHub GET {PATH} answered 403: rate limited (a secondary rate limit, no wait "
        "named); waiting 60 s",
        f"GitHub GET {PATH} answered 429: rate limited (retry-after: 3); waiting 3 s",
    ]
    assert PERSONAL not in caplog.text


# -- the emulator's rate-limit modes, each waited out and each given up ------

Mode = tuple[Literal["primary", "secondary"], int, int | None]
MODES: dict[str, Mode] = {
    "primary-403": ("primary", 403, None),
    "primary-429": ("primary", 429, None),
    "secondary-403-no-headers": ("secondary", 403, None),
    "secondary-429-retry-after": ("secondary", 429, 30),
}


@dataclass
class Emulated:
    """The GitHub emulator in process (no socket), on the fake clock it shares."""

    data: GitHubData
    time: FakeTime
    url: str = "http://github.test"

    def client(self, limits: RateLimitPolicy | None = None) -> GitHubClient:
        transport = httpx.ASGITransport(app=create_app(self.data))
        return _client(self.url, self.time, limits, transport)


@pytest.fixture
def emulated() -> Emulated:
    time = FakeTime()
    return Emulated(GitHubData(clock=time.clock), time)


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
async def test_each_emulated_limit_is_waited_out_as_github_says(
    emulated: Emulated, mode: Mode
) -> None:
    data, time = emulated.data, emulated.time
    data.add_issue("HR drift", "b")
    data.reset_at()
    time.now += 3600 - 40  # the hour's reset is 40 s away
    kind, status, retry_after = mode
    data.limit_next(kind, status, retry_after=retry_after)
    async with emulated.client() as client:
        assert [i.title for i in await client.issues()] == ["HR drift"]
    expected = {"primary": 41.0, "secondary": float(retry_after or 60)}[kind]
    assert time.slept == [expected]


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
async def test_each_emulated_limit_that_stays_is_an_error_saying_rate_limited(
    emulated: Emulated, mode: Mode
) -> None:
    data, time = emulated.data, emulated.time
    kind, status, retry_after = mode
    data.limit_next(kind, status, retry_after=retry_after, count=50)
    async with emulated.client(RateLimitPolicy(max_waits=2, max_total=10_000)) as client:
        with pytest.raises(GitHubError) as caught:
            await client.issues()
    error = caught.value
    assert f"answered {status}: rate limited by GitHub's {kind} rate limit" in error.message
    assert error.remedy is not None and "run again" in error.remedy
    assert "permission" not in error.message + error.remedy
    assert "not allowed" not in error.message
    assert len(time.slept) == 2


async def test_a_spent_hourly_budget_is_waited_out_until_the_emulators_reset(
    emulated: Emulated,
) -> None:
    data, time = emulated.data, emulated.time
    data.rate_limit = 2
    async with emulated.client(RateLimitPolicy(max_total=3600)) as client:
        await client.issues()
        await client.issues()
        time.now += 1000  # the hour is 1000 s along when the budget runs out
        assert await client.issues() == []
    assert time.slept == [2601.0] and data.used == 1  # a new hour, one request in it


async def test_a_permission_refusal_from_the_emulator_still_says_permission(
    emulated: Emulated,
) -> None:
    time = emulated.time
    async with emulated.client() as client:
        with pytest.raises(GitHubError) as caught:
            await client.repo_secrets()
    assert "not allowed: Resource not accessible by integration" in caught.value.message
    assert caught.value.remedy is not None and "permission" in caught.value.remedy
    assert time.slept == []

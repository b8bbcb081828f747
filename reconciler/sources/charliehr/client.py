"""The CharlieHR REST client: async httpx, bounded concurrency, retries, envelope checks.

Facts, as clients of the live API show them: the static ``Authorization: Token
token=<id>:<secret>`` header, the ``{success, data, meta}`` envelope, pages of at
most 25 with a relative ``meta.next_url``.
Sensitive raw keys are dropped while the JSON is parsed (:mod:`reconciler.domain.sensitive`),
so they never reach a model, a log line or an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from reconciler.config.secrets import Secret
from reconciler.domain.sensitive import sensitive_category
from reconciler.errors import AccessDeniedError, IncompleteReadError, SourceError
from reconciler.http.retry import Retrier, RetryPolicy, Transient, parse_retry_after
from reconciler.http.tls import tls_context
from reconciler.sources.charliehr.listing import (
    ListMoved,
    Page,
    end_of,
    identity,
    items_of,
    list_problem,
    page_problem,
    parse_page,
)
from reconciler.sources.charliehr.pacing import Clock, Pacer
from reconciler.sources.charliehr.pages import (
    PER_PAGE,
    ForeignNextUrl,
    PageRef,
    page_ref,
    resolve_next,
)
from reconciler.sources.charliehr.slots import Slots
from reconciler.sources.charliehr.waits import (
    RATE_LIMITED,
    READ_DEADLINE,
    Deadline,
    PastDeadline,
    Throttling,
)
from reconciler.tasks import all_or_nothing

logger = logging.getLogger(__name__)

API = "CharlieHR"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
Json = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")
POLICY = RetryPolicy(throttled_attempts=12, max_wait=300.0, retries_per_request=2.0)
"""Retries of CharlieHR requests: six tries of a failure, twelve of a 429 (each waits
its Retry-After), five minutes from a request's first try to its last, and in one read
at most two retries per request sent, and twenty more (``SPARE_RETRIES``)."""
LIST_READS = 10
"""Reads of one list before it is refused as one that keeps changing."""


READ_LAST = frozenset({"salaries"})
"""Lists whose pages wait behind every other request: the salary ledger is the longest,
and the team members, read first, are normalised while it arrives (see ``slots.py``)."""
PAGE_SIZES = (PER_PAGE, 20)
"""Page sizes of successive reads without totals: the last page falls elsewhere each time."""


def _agreed(ids: tuple[str, ...], reads: list[tuple[tuple[str, ...], int]]) -> bool:
    """True when two reads without totals at each page size gave these items.

    One read at each size is not enough: a spoiled last page at one size (emptied)
    and at the other (cut short) can leave the same items, so 30 people read as 25
    twice over. Two reads at each size make such a coincidence need four spoiled
    pages that agree.
    """
    sizes = [size for read, size in reads if read == ids]
    return all(sizes.count(size) >= 2 for size in PAGE_SIZES)


@dataclass
class RequestStats:
    """What a client did, for benchmarks and the run summary."""

    requests: int = 0
    retries: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The key pair, and the names of the variables it came from (for error messages)."""

    client_id: Secret
    client_secret: Secret
    id_variable: str = "CHARLIEHR_CLIENT_ID"
    secret_variable: str = "CHARLIEHR_CLIENT_SECRET"

    def header(self) -> str:
        """The Authorization header value; sent as is, not base64-encoded."""
        return f"Token token={self.client_id.reveal()}:{self.client_secret.reveal()}"


class PageProblem(Transient):
    """A page that fails its own checks (short, empty, too long): fetched again."""


PERMISSIONS = {"salaries": "salary data"}


def permission_of(endpoint: str) -> str:
    """What a key must be allowed to see to read an endpoint, in CharlieHR's words."""
    return PERMISSIONS.get(endpoint.split("/")[0], endpoint.split("/")[0])


class CharlieHRClient:
    """Read CharlieHR's company, team members, salaries, teams and offices."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        keep_sensitive: frozenset[str] = frozenset(),
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        requests_per_second: float | None = None,
        read_deadline: float | None = READ_DEADLINE,
        clock: Clock = time.monotonic,
    ) -> None:
        self._root = base_url.rstrip("/")
        self._credentials = credentials
        # One client of one connection per slot: a shared pool checks every idle
        # connection on each request, which cost a third of the read's CPU (bench/e2e.py).
        self._connections = [
            httpx.AsyncClient(
                base_url=self._root + "/",
                headers={"Authorization": credentials.header(), "Accept": "application/json"},
                timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                transport=transport,
                verify=tls_context(),
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            )
            for _ in range(concurrency)
        ]
        self._slots = Slots(self._connections)
        self.concurrency = concurrency
        self._policy = policy or POLICY
        # Every wait goes through the deadline, which ends the read rather than overrun.
        self._deadline = Deadline(read_deadline, clock=clock, sleep=sleep)
        wait = self._deadline.sleep
        self._retrier = Retrier(self._policy, wait, rng or random.Random(), clock=clock)
        self._pacer = Pacer(requests_per_second, clock=clock, sleep=wait)
        self._throttling = Throttling(self._pacer, clock)
        self._keep = keep_sensitive
        self.stats = RequestStats()

    async def __aenter__(self) -> CharlieHRClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection."""
        for connection in self._connections:
            await connection.aclose()

    async def company(self) -> Json:
        """The company that owns the keys."""
        return await self._get(PageRef("company", ()), _object)

    async def team_members(self) -> list[Json]:
        """Every team member, from the paginated list."""
        return await self.list_all("team_members")

    async def team_member(self, member_id: str) -> Json:
        """One team member's full profile."""
        return await self._get(PageRef(f"team_members/{member_id}", ()), _object)

    async def team_member_details(self, member_ids: Sequence[str]) -> list[Json]:
        """Full profiles of many team members, fetched concurrently."""
        return list(await asyncio.gather(*(self.team_member(i) for i in member_ids)))

    async def salaries(self) -> list[Json]:
        """Every salary record of every team member (a history ledger)."""
        return await self.list_all("salaries")

    async def teams(self) -> list[Json]:
        """Every team."""
        return await self.list_all("teams")

    async def offices(self) -> list[Json]:
        """Every office."""
        return await self.list_all("offices")

    async def list_all(self, path: str) -> list[Json]:
        """Every item of a paginated list, proven complete, or a :class:`SourceError`.

        With totals: one read whose pages all hold what the totals promise, with
        one total and no item twice. Without totals nothing proves a short last
        page or an empty first page wrong, so the list is read again, page size
        alternating (the last page falls elsewhere), until enough reads give the
        same items (:func:`_agreed`). A list that keeps moving is refused.
        """
        earlier: list[tuple[tuple[str, ...], int]] = []
        problem = ""
        for attempt in range(LIST_READS):
            size = PAGE_SIZES[attempt % len(PAGE_SIZES)]
            hint = math.ceil(len(earlier[-1][0]) / size) + 1 if earlier else 2
            try:
                items, counted = await self._read_list(path, size, hint)
            except ListMoved as moved:
                problem = moved.reason
                logger.info("GET /%s: %s; reading the list again", path, problem)
                continue
            ids = tuple(identity(item) for item in items)
            earlier.append((ids, size))
            if counted or _agreed(ids, earlier):
                return items
            if len({read for read, _ in earlier}) > 1:
                problem = "reads of it gave different items"
        raise IncompleteReadError(
            f"{API} GET /{path}: the list kept changing while it was read ({problem}); "
            "nothing was planned from it",
            remedy="run again; if it keeps happening, CharlieHR is being edited heavily or "
            "its answers are inconsistent: try later",
        )

    async def _read_list(self, path: str, size: int, hint: int) -> tuple[list[Json], bool]:
        """One read of a list; ``True`` when its totals prove it complete.

        The first ``hint`` pages are fetched at once: page 2 with page 1 on a first
        read (most lists have it; one wasted request on a list that does not), all
        pages and the one past the end on a read again.
        """
        pages = await self._pages(path, 1, hint, size)
        first = pages[0]
        if first.total is not None:
            count = max(1, math.ceil(first.total / first.per_page))
            pages = pages[:count] + await self._pages(path, len(pages) + 1, count, size)
            problem = list_problem(pages)
            if problem:
                raise ListMoved(problem)
            return items_of(pages), True
        pages = await self._to_the_end(path, pages, size)
        problem = list_problem(pages)
        if problem:
            raise ListMoved(problem)
        return items_of(pages), False

    async def _to_the_end(self, path: str, pages: list[Page], size: int) -> list[Page]:
        """Without totals: fetch pages in windows until one ends the list, and one past it.

        The page past the end must be empty: an "end" followed by items was a
        spoiled page, not the end.
        """
        followed: set[PageRef] = set()
        while (end := end_of(pages)) is None or (end == len(pages) - 1 and not followed):
            last = pages[-1]
            if end is None and (self.concurrency == 1 or not self._names_next(path, last, size)):
                ref = self._next(page_ref(path, last.number, size), str(last.next_url))
                if ref in followed:
                    raise SourceError(f"{API} GET /{path}: next_url repeats a page it already gave")
                followed.add(ref)
                pages.append(await self._page(ref, last.number + 1))
                continue
            window = 1 if end is not None else self.concurrency
            pages += await self._pages(path, last.number + 1, last.number + window, size)
        return pages[: end + 1]

    def _names_next(self, path: str, page: Page, size: int) -> bool:
        """True when ``next_url`` asks for page number + 1, so pages can be fetched ahead."""
        ref = self._next(page_ref(path, page.number, size), str(page.next_url))
        return ref == page_ref(path, page.number + 1, size)

    async def _pages(self, path: str, first: int, last: int, size: int) -> list[Page]:
        """Pages ``first`` to ``last`` of a list, fetched concurrently."""
        refs = [page_ref(path, n, size) for n in range(first, last + 1)]
        return await all_or_nothing(*(self._page(ref) for ref in refs))

    async def _page(self, ref: PageRef, number: int | None = None) -> Page:
        """One page, fetched again while it fails its own checks."""

        def checked(body: Json) -> Page:
            page = parse_page(body, ref, number)
            problem = page_problem(page)
            if problem:
                raise PageProblem(f"page {page.number} {problem}")
            return page

        return await self._get(ref, checked)

    def _next(self, ref: PageRef, next_url: str) -> PageRef:
        try:
            return resolve_next(ref, next_url, self._root)
        except ForeignNextUrl:
            raise SourceError(
                f"{API} GET /{ref.path}: meta.next_url points outside {self._root}; "
                "refusing to send the credentials there"
            ) from None

    async def _get(self, ref: PageRef, read: Callable[[Json], T]) -> T:
        """One GET with the envelope checked and ``read`` applied, retried on transient failures.

        Every wait (for a turn, for a retry) and the request itself end by the read's
        deadline, which starts with the client's first request.
        """
        with self._deadline.request(ref.path.split("/")[0]):
            try:
                return await self._retried(ref, read)
            except PastDeadline:
                raise self._deadline.missed(sent=self.stats.requests, pacer=self._pacer) from None

    async def _retried(self, ref: PageRef, read: Callable[[Json], T]) -> T:
        async def once() -> T:
            http = await self._slots.take(1 if ref.path in READ_LAST else 0)
            try:
                sent_at = await self._pacer.acquire()
                response = await self._once(http, ref, sent_at)
            finally:
                self._slots.give(http)
            # Decode with the slot free, after one turn of the loop: the next request
            # goes out first, so decoding overlaps its wait instead of adding to it.
            await asyncio.sleep(0)
            return read(self._envelope(ref, response))

        def give_up(attempts: int, failure: Transient) -> SourceError:
            message = f"{API} GET /{_show(ref)} failed {attempts} times ({failure.reason})"
            if isinstance(failure, PageProblem):
                return IncompleteReadError(
                    f"{message}; nothing was planned from a partial list",
                    remedy="run again; if it keeps happening, CharlieHR's pagination is "
                    "inconsistent for this list",
                )
            if failure.throttled:
                return SourceError(message, remedy=RATE_LIMITED)
            return SourceError(message, remedy="CharlieHR may be down or rate-limiting; try later")

        result = await self._retrier.run(once, label=f"GET /{_show(ref)}", give_up=give_up)
        self.stats.retries = self._retrier.retries
        return result

    async def _once(self, http: httpx.AsyncClient, ref: PageRef, sent_at: float) -> httpx.Response:
        started = time.perf_counter()
        self.stats.requests += 1
        try:
            async with asyncio.timeout(self._deadline.remaining()):
                response = await http.get(ref.path, params=list(ref.params))
        except TimeoutError:
            raise PastDeadline from None
        except httpx.TimeoutException:
            raise Transient("timed out") from None
        except httpx.TransportError as error:
            raise Transient(f"connection failed: {type(error).__name__}") from None
        status = response.status_code
        self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1
        logger.debug("GET /%s -> %d in %.3fs", _show(ref), status, time.perf_counter() - started)
        if status == 429:
            raise self._throttled(response, ref, sent_at)
        if status in RETRY_STATUSES:
            raise Transient(f"HTTP {status}", self._retry_after(response, ref))
        if status != 200:
            raise self._refused(ref, response)
        return response

    def _throttled(self, response: httpx.Response, ref: PageRef, sent_at: float) -> Transient:
        """A 429: every request pauses for its Retry-After, once; this one tries again after."""
        asked = self._retry_after(response, ref)
        if self._pacer.throttled(asked, sent_at):
            self._throttling.log()
        wait = self._pacer.resume_in() if asked is not None else None
        return Transient("HTTP 429", wait, throttled=True)

    def status(self) -> str | None:
        """What the read is waiting for, in words, while CharlieHR rate-limits it."""
        return self._throttling.status()

    def _retry_after(self, response: httpx.Response, ref: PageRef) -> float | None:
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is not None and wait > self._policy.max_retry_after:
            raise SourceError(
                f"{API} GET /{_show(ref)} answered {response.status_code} and asks to wait "
                f"{wait:.0f} s",
                remedy="CharlieHR is rate-limiting this key; run again later",
            )
        return wait

    def _refused(self, ref: PageRef, response: httpx.Response) -> SourceError:
        status = response.status_code
        where = f"{API} GET /{_show(ref)} answered {status}"
        creds = self._credentials
        endpoint = ref.path.split("/")[-1] if ref.path.endswith("salaries") else ref.path
        if status == 401 or (status == 403 and endpoint == "company"):
            return SourceError(
                f"{API} refused the credentials: {where}",
                remedy=f"check the environment variables {creds.id_variable} and "
                f"{creds.secret_variable}; keys are made under Company > Integrations > "
                "API Keys, and 'Reset Keys' revokes the old pair",
            )
        if status == 403:
            return AccessDeniedError(
                f"{where}: the API key has no access to {permission_of(endpoint)}",
                endpoint=endpoint.split("/")[0],
                remedy=f"ask a CharlieHR Super Admin for a key with access to "
                f"{permission_of(endpoint)}",
            )
        return SourceError(f"{where}{_server_message(response)}")

    def _envelope(self, ref: PageRef, response: httpx.Response) -> Json:
        try:
            body = json.loads(response.content, object_hook=self._scrub)
        except (ValueError, UnicodeDecodeError):
            raise Transient("malformed JSON") from None
        if not isinstance(body, dict) or "success" not in body:
            raise SourceError(
                f"{API} GET /{_show(ref)}: the answer has no {{success, data}} envelope"
            )
        if body["success"] is not True or "data" not in body:
            raise SourceError(
                f"{API} GET /{_show(ref)}: success is false{_server_message(response)}"
            )
        return body

    def _scrub(self, obj: Json) -> Json:
        """Drop sensitive keys as the JSON is parsed; they never reach memory past here."""
        return {k: v for k, v in obj.items() if not self._is_refused(k)}

    def _is_refused(self, key: str) -> bool:
        category = sensitive_category(key)
        if category is None:
            return False
        return category.dropped or key not in self._keep


def _object(body: Json) -> Json:
    data = body["data"]
    if not isinstance(data, dict):
        raise SourceError(f"{API}: expected an object in data, got {type(data).__name__}")
    return data


def _show(ref: PageRef) -> str:
    query = "&".join(f"{k}={v}" for k, v in ref.params)
    return f"{ref.path}?{query}" if query else ref.path


def _server_message(response: httpx.Response) -> str:
    """The server's own short error text, if its body has one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("error") or body.get("message") if isinstance(body, dict) else None
    return f": {str(message)[:200]}" if isinstance(message, str) and message else ""

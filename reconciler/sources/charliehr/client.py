"""The CharlieHR REST client: async httpx, bounded concurrency, retries, envelope checks.

Facts, as clients of the live API show them: the static ``Authorization: Token
token=<id>:<secret>`` header, the ``{success, data, meta}`` envelope, pages of at
most 25 with a relative ``meta.next_url``, followed while present (those clients never
ask for a page past it).
Sensitive raw keys are dropped while the JSON is parsed (:mod:`reconciler.domain.sensitive`),
so they never reach a model, a log line or an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import httpx

from reconciler.concurrency import all_or_nothing
from reconciler.config.secrets import Secret
from reconciler.domain.json import Json
from reconciler.domain.sensitive import sensitive_category
from reconciler.errors import AccessDeniedError, IncompleteReadError, SourceError
from reconciler.http.error_text import reduced
from reconciler.http.retry import Retrier, RetryPolicy, Transient, parse_retry_after
from reconciler.http.tls import tls_context
from reconciler.sources.charliehr.listing import (
    ListMoved,
    Page,
    agreed,
    checked_ids,
    cut_to,
    ended,
    ended_early,
    items_of,
    list_problem,
    other_size,
    page_count,
    page_problem,
    parse_page,
    past_end,
    promised,
)
from reconciler.sources.charliehr.pacing import Clock, Pacer
from reconciler.sources.charliehr.pages import (
    PER_PAGE,
    ForeignNextUrl,
    PageRef,
    numbered,
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

logger = logging.getLogger(__name__)

API = "CharlieHR"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
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


_NOT_ASKED = object()
"""Stands for a page not asked for ahead (``None`` is one that answered 404)."""

DECODE_AFTER = 0.002
"""Seconds an answer waits before it is decoded. Answers come in bursts (8 connections
in step); decoded at once, each waited behind the burst's other decodes to hand its
connection on, and every round of the read grew by them. Two milliseconds later, the
burst's next requests are all out first: 0.08 to 0.1 s off a read of 1,180 pages
(bench/e2e.py, three series of interleaved pairs)."""


def _by_number(path: str, followed: set[PageRef]) -> bool:
    """Every page after the first was asked for by number (no cursor was followed)."""
    return all(numbered(ref, path) is not None for ref in followed)


@dataclass(frozen=True, slots=True)
class _Read:
    """One read of a list: its items, whether totals prove them, the page size served,
    whether its pages are numbered (then a read again asks for them at once), and the
    items' identities."""

    items: list[Json]
    proven: bool
    size: int
    by_number: bool
    ids: tuple[str, ...]


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


class PageNotFound(SourceError):
    """A page of a list answered 404: past the end of the list, or the list is gone."""


PERMISSIONS = {"salaries": "salary data"}
GUARDED = frozenset(PERMISSIONS)
"""Endpoints a key may lack access to (CharlieHR's Admin role sees everything but salaries,
charliehr.com/hr-online/security/permissions-authorisation); how such a key is refused
is not published, so 401, 403, 404 and ``success: false`` all count as no access."""


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
        page_size: int = PER_PAGE,
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
        self._watchers: dict[str, Callable[[Sequence[Json]], None]] = {}
        self._dropped: dict[str, bool] = {}
        """Whether each key met so far is dropped while parsing (:meth:`_scrub`)."""
        self.page_size = page_size
        """Items asked for per page; a server that serves fewer is read at its size."""
        self.stats = RequestStats()

    async def __aenter__(self) -> CharlieHRClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection (together: each close waits on the loop)."""
        await asyncio.gather(*(connection.aclose() for connection in self._connections))

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

    async def envelope(self, path: str, params: Sequence[tuple[str, str]] = ()) -> Json:
        """One GET's whole checked envelope (data and meta), for first-contact probes."""
        return await self._get(PageRef(path, tuple(params)), lambda body: body)

    def watch(self, path: str, on_page: Callable[[Sequence[Json]], None] | None) -> None:
        """Call ``on_page`` with the items of each page of ``path`` as it arrives (``None``:
        no longer).

        For work ahead of need only: pages of a read that is later read again, or
        refused, are shown too; what :meth:`list_all` returns is what counts.
        """
        if on_page is None:
            self._watchers.pop(path, None)
        else:
            self._watchers[path] = on_page

    async def list_all(self, path: str) -> list[Json]:
        """Every item of a paginated list, proven complete, or a :class:`SourceError`.

        With totals: one read whose pages all hold what the totals promise, with
        one total and no item twice. Without totals nothing proves a short last
        page or an empty first page wrong, so the list is read again, page size
        alternating (the last page falls elsewhere), until enough reads give the
        same items (:func:`_agreed`). A list that keeps moving is refused.
        """
        earlier: list[tuple[tuple[str, ...], int]] = []
        size, found = self.page_size, 0
        problem, moved = "", False
        for attempt in range(LIST_READS):
            asked = size if attempt % 2 == 0 else other_size(size)
            try:
                read = await self._read_list(path, asked, -(-found // asked))
            except ListMoved as move:
                problem, found, moved = move.reason, 0, True
                logger.info("GET /%s: %s; reading the list again", path, problem)
                continue
            if read.size < asked:  # the server serves smaller pages: ask for what it serves
                size = min(size, read.size)
            ids = read.ids
            earlier.append((ids, read.size))
            if read.proven or agreed(ids, earlier):
                return read.items
            if len({ids for ids, _ in earlier}) > 1:
                problem = "reads of it gave different items"
            found = len(ids) if read.by_number else 0
        ends = None if moved else ended_early([ids for ids, _ in earlier])
        if ends is not None:
            raise _unproven(path, ends)
        raise IncompleteReadError(
            f"{API} GET /{path}: the list kept changing while it was read ({problem}); "
            "nothing was planned from it",
            remedy="run again; if it keeps happening, CharlieHR is being edited heavily or "
            "its answers are inconsistent: try later",
        )

    async def _read_list(self, path: str, size: int, known: int) -> _Read:
        """One read of a list, proven complete when its totals count its items.

        On a first read page 1 comes alone: nothing is asked for before a page says it
        exists. A read again asks at once for the ``known`` pages that the read before
        it found (when it found them by number). With totals every other page follows
        at once; without, the pages are read one after another to the end
        (:meth:`_to_the_end`).
        """
        refs = [page_ref(path, n, size) for n in range(1, max(1, known) + 1)]
        past = (self._past(ref, n) for n, ref in enumerate(refs[1:], 2))
        first, rest = await all_or_nothing(self._page(refs[0]), all_or_nothing(*past))
        ahead: dict[int, Page | None] = dict(enumerate(rest, 2))
        count = page_count(first)
        if count is None:
            pages, by_number = await self._to_the_end(path, first, ahead)
        else:
            pages, by_number = await self._counted(path, first, count, ahead)
        ids, problem = checked_ids(pages)
        if problem:
            raise ListMoved(problem)
        items = items_of(pages)
        return _Read(items, first.total is not None, pages[0].per_page, by_number, ids)

    async def _counted(
        self, path: str, first: Page, count: int, ahead: dict[int, Page | None]
    ) -> tuple[list[Page], bool]:
        """The pages the totals give: at once by number, or by ``next_url`` when it is not one."""
        if first.next_url is None or self._names_next(path, first):
            numbers = range(2, count + 1)
            missing = [n for n in numbers if n not in ahead]
            refs = [page_ref(path, n, first.per_page) for n in missing]
            fetched = dict(zip(missing, await self._pages(first, refs), strict=True))
            later = [promised(fetched[n] if n in fetched else ahead[n], n) for n in numbers]
            return [first, *later], True
        pages = [first]
        while len(pages) < count:
            last = pages[-1]
            if not last.next_url:
                raise ListMoved(f"page {last.number} ends the list before its totals do")
            ref = self._following(path, last)
            pages.append(await self._page(ref, first, last.number + 1))
        return pages, False

    async def _to_the_end(
        self, path: str, first: Page, ahead: dict[int, Page | None]
    ) -> tuple[list[Page], bool]:
        """Without totals: follow ``next_url`` while there is one, then find the end.

        A page without ``next_url`` that is short ends the list. After a full one, the
        page past it is asked for: empty, 404 or the same page again ends the list;
        new items mean the server pages by number without ``next_url``. Pages asked
        for ahead stand in for the ones these steps ask for, and must end where the
        list ends.
        """
        pages = [first]
        followed: set[PageRef] = set()
        while True:
            last = pages[-1]
            number = last.number + 1
            known = page_ref(path, number, last.per_page)
            early = ahead.pop(number, _NOT_ASKED)
            if last.next_url:
                ref = self._following(path, last)
                if ref in followed:
                    raise SourceError(f"{API} GET /{path}: next_url repeats a page it already gave")
                followed.add(ref)
                if ref == known and early is not _NOT_ASKED:
                    page = promised(early, number)
                else:
                    page = await self._page(ref, first, number)
                pages.append(self._sized(page, first))
                continue
            if last.is_short:
                return ended(pages, ahead), _by_number(path, followed)
            probe = early if early is not _NOT_ASKED else await self._past(known, number)
            if not isinstance(probe, Page) or past_end(probe, last) is not None:
                return ended(pages, ahead), _by_number(path, followed)
            if followed:
                raise ListMoved(f"page {last.number} ended the list, but page {number} has items")
            if not last.size_known:
                pages, probe = cut_to(pages, probe)
                first = pages[0]
            pages.append(self._sized(probe, first))

    @staticmethod
    def _sized(page: Page, first: Page) -> Page:
        """A later page, asked at the first page's size: known when the first page's is."""
        return replace(page, size_known=True) if first.size_known else page

    def _names_next(self, path: str, page: Page) -> bool:
        """True when ``next_url`` asks for page number + 1, so pages can be asked by number."""
        ref = self._next(page_ref(path, page.number, page.per_page), str(page.next_url))
        return numbered(ref, path) == page.number + 1

    def _following(self, path: str, page: Page) -> PageRef:
        """The request for the page ``next_url`` names: by number at our size when it is
        the next number, else as the server wrote it (a cursor, say)."""
        ref = self._next(page_ref(path, page.number, page.per_page), str(page.next_url))
        number = numbered(ref, path)
        if number is None:
            return ref
        if number != page.number + 1:
            raise SourceError(
                f"{API} GET /{path}: meta.next_url of page {page.number} names page {number}"
            )
        return page_ref(path, number, page.per_page)

    async def _pages(self, first: Page, refs: list[PageRef]) -> list[Page]:
        """Pages of a list, fetched concurrently, each checked against the first."""
        return list(await all_or_nothing(*(self._page(ref, first) for ref in refs)))

    async def _page(
        self, ref: PageRef, first: Page | None = None, number: int | None = None
    ) -> Page:
        """One page, fetched again while it fails its own checks.

        A page that disagrees with the first (another total, another page served)
        shows the list moved: it is not fetched again, the list is read again. So is a
        page after the first that answers 404: the page before it or the totals
        promised it.
        """
        try:
            return self._shown(ref, await self._get(ref, self._checked(ref, first, number)))
        except PageNotFound:
            if first is None:
                raise
            at = number or ref.page
            raise ListMoved(f"page {at} answered 404 although the list reaches it") from None

    async def _past(self, ref: PageRef, number: int) -> Page | None:
        """A page that may be past the end of the list; ``None`` when it answers 404."""
        try:
            return self._shown(ref, await self._get(ref, self._checked(ref, None, number)))
        except PageNotFound:
            return None

    def _shown(self, ref: PageRef, page: Page) -> Page:
        """The page, shown first to whoever watches its list (:meth:`watch`)."""
        on_page = self._watchers.get(ref.path)
        if on_page is not None:
            on_page(page.items)
        return page

    @staticmethod
    def _checked(ref: PageRef, first: Page | None, number: int | None) -> Callable[[Json], Page]:
        def checked(body: Json) -> Page:
            page = parse_page(body, ref, number)
            moved = list_problem([first, page]) if first is not None else None
            if moved:
                raise ListMoved(moved)
            problem = page_problem(page)
            if problem:
                raise PageProblem(f"page {page.number} {problem}")
            return page

        return checked

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
            except BaseException:
                self._slots.give(http)
                raise
            response = await self._exchange(http, ref, sent_at)
            # Decode with the slot free, once the burst of answers this one came in has
            # handed its connections on (DECODE_AFTER): the next requests go out first,
            # so decoding overlaps their wait instead of adding to it.
            await asyncio.sleep(DECODE_AFTER)
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

    async def _exchange(
        self, http: httpx.AsyncClient, ref: PageRef, sent_at: float
    ) -> httpx.Response:
        """One request on a lent connection, never cut off halfway.

        A request cancelled mid-flight (its read abandoned because another page failed)
        can leave httpcore's one-connection pool holding a connection it will never
        free: every later request on it then waits out the timeout (``PoolTimeout``),
        eight tries of 30 s each. So the exchange runs to its own end in a task of its
        own, which gives the connection back; a cancelled caller only stops waiting.
        """
        task = asyncio.ensure_future(self._once(http, ref, sent_at))

        def done(finished: asyncio.Future[httpx.Response]) -> None:
            self._slots.give(http)
            if not finished.cancelled():
                finished.exception()  # seen here, so an abandoned failure is not logged

        task.add_done_callback(done)
        return await asyncio.shield(task)

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
        past_first = status == 404 and (ref.page or 1) > 1  # the end of a list, not access
        if endpoint in GUARDED and status in (401, 403, 404) and not past_first:
            # The key that read /company was good: a refusal here is this key's access.
            return self._denied(endpoint, ref, f"answered {status}", response)
        if status == 401 or (status == 403 and endpoint == "company"):
            return SourceError(
                f"{API} refused the credentials: {where}",
                remedy=f"check the environment variables {creds.id_variable} and "
                f"{creds.secret_variable}; keys are made under Company > Integrations > "
                "API Keys, and 'Reset Keys' revokes the old pair",
            )
        if status == 403:
            return self._denied(endpoint, ref, f"answered {status}", response)
        if status == 404 and ref.page is not None:
            return PageNotFound(f"{where}{_server_message(response)}")
        return SourceError(f"{where}{_server_message(response)}")

    def _denied(
        self, endpoint: str, ref: PageRef, answer: str, response: httpx.Response
    ) -> AccessDeniedError:
        return AccessDeniedError(
            f"{API} GET /{_show(ref)} {answer}{_server_message(response)}; the API key has no "
            f"access to {permission_of(endpoint)}",
            endpoint=endpoint.split("/")[0],
            remedy=f"ask a CharlieHR Super Admin for a key with access to "
            f"{permission_of(endpoint)}",
            answer=answer,
        )

    def _envelope(self, ref: PageRef, response: httpx.Response) -> Json:
        try:
            body = json.loads(response.content, object_hook=self._scrub)
        except (ValueError, UnicodeDecodeError):
            raise Transient("malformed JSON") from None
        if not isinstance(body, dict) or "success" not in body:
            raise SourceError(
                f"{API} GET /{_show(ref)}: the answer has no {{success, data}} envelope"
            )
        if body["success"] is not True and ref.path.split("/")[-1] in GUARDED:
            raise self._denied(ref.path.split("/")[-1], ref, "said success: false", response)
        if body["success"] is not True or "data" not in body:
            raise SourceError(
                f"{API} GET /{_show(ref)}: success is false{_server_message(response)}"
            )
        return body

    def _scrub(self, obj: Json) -> Json:
        """Drop sensitive keys as the JSON is parsed; they never reach memory past here.

        Each key is judged once per client, and an object without a refused key is kept
        as parsed: the objects of a read share a few dozen keys, and copying each one
        cost a fortieth of the read's CPU.
        """
        dropped = self._dropped
        for key in obj.keys() - dropped.keys():
            dropped[key] = self._is_refused(key)
        if not any(dropped[key] for key in obj):
            return obj
        return {k: v for k, v in obj.items() if not dropped[k]}

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
    """The server's own short error text, if its body has one, with any echoed value
    masked (:mod:`reconciler.http.error_text`); never the rest of the body."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    found = body.get("error") or body.get("message")
    if isinstance(found, dict):  # {"error": {"message": "..."}}
        found = found.get("message")
    message = reduced(found)
    return f": {message}" if message else ""


def _unproven(path: str, ends: Sequence[int]) -> IncompleteReadError:
    """The refusal of a list whose reads only ended at different places: short or empty
    pages (each read as the end, without totals), not a list that changed."""
    where = " and ".join(str(n) for n in ends)
    return IncompleteReadError(
        f"{API} GET /{path}: the list could not be proven complete: without totals a short "
        f"or empty page is read as its end, and reads of it ended after {where} items; "
        "nothing was planned from it",
        remedy="run again; if it keeps happening, CharlieHR answers some pages short or "
        "empty: try later, and tell CharlieHR which endpoint",
    )

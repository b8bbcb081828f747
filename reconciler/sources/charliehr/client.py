"""The CharlieHR REST client: async httpx, bounded concurrency, retries, envelope checks.

Facts, as clients of the live API show them: the static ``Authorization: Token
token=<id>:<secret>`` header, the ``{success, data, meta}`` envelope, pages of at
most 25 with a relative ``meta.next_url``.
Sensitive raw keys are dropped while the JSON is parsed (:mod:`reconciler.sensitive`),
so they never reach a model, a log line or an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from reconciler.config.secrets import Secret
from reconciler.errors import SourceError
from reconciler.retry import Retrier, RetryPolicy, Transient, parse_retry_after
from reconciler.sensitive import sensitive_category
from reconciler.sources.charliehr.pages import (
    ForeignNextUrl,
    PageRef,
    first_page,
    page_ref,
    resolve_next,
    total_pages,
    total_results,
)

logger = logging.getLogger(__name__)

API = "CharlieHR"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
Json = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]


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
    ) -> None:
        self._root = base_url.rstrip("/")
        self._credentials = credentials
        self._http = httpx.AsyncClient(
            base_url=self._root + "/",
            headers={"Authorization": credentials.header(), "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )
        self._slots = asyncio.Semaphore(concurrency)
        self.concurrency = concurrency
        self._policy = policy or RetryPolicy()
        self._retrier = Retrier(self._policy, sleep, rng or random.Random())
        self._keep = keep_sensitive
        self.stats = RequestStats()

    async def __aenter__(self) -> CharlieHRClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def company(self) -> Json:
        """The company that owns the keys."""
        return _object(await self._get(PageRef("company", ())), "company")

    async def team_members(self) -> list[Json]:
        """Every team member, from the paginated list."""
        return await self.list_all("team_members")

    async def team_member(self, member_id: str) -> Json:
        """One team member's full profile."""
        path = f"team_members/{member_id}"
        return _object(await self._get(PageRef(path, ())), path)

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
        """Every item of a paginated list, each page fetched exactly once.

        A list that changes while it is read (items shift between pages) shows up
        as a repeated id or a count short of the total; it is read once more.
        """
        problem = ""
        for _ in range(2):
            items, expected = await self._read_list(path)
            problem = _inconsistency(items, expected)
            if not problem:
                return items
            logger.info("GET /%s: %s; reading the list again", path, problem)
        raise SourceError(
            f"{API} GET /{path}: the list changed while it was read ({problem})",
            remedy="run again; if it keeps happening, lower hris.concurrency",
        )

    async def _read_list(self, path: str) -> tuple[list[Json], int | None]:
        first_ref = first_page(path)
        first = await self._get(first_ref)
        meta = first.get("meta") or {}
        pages: list[list[Json]] = [_items(first, path)]
        known = total_pages(meta)
        if self.concurrency == 1:
            pages += await self._follow(first_ref, first)
        elif known is None and meta.get("next_url"):
            pages += await self._windows(path)
        elif known is not None and known > 1:
            pages += await asyncio.gather(
                *(self._page_items(page_ref(path, n)) for n in range(2, known + 1))
            )
        return [item for page in pages for item in page], total_results(meta)

    async def _follow(self, ref: PageRef, body: Json) -> list[list[Json]]:
        """One request at a time, following ``meta.next_url`` until it is empty."""
        pages: list[list[Json]] = []
        seen = {ref}
        while next_url := (body.get("meta") or {}).get("next_url"):
            ref = self._next(ref, str(next_url))
            if ref in seen:
                raise SourceError(f"{API} GET /{ref.path}: next_url repeats a page it already gave")
            seen.add(ref)
            body = await self._get(ref)
            pages.append(_items(body, ref.path))
        return pages

    async def _windows(self, path: str) -> list[list[Json]]:
        """Without totals: fetch pages in windows, stop at the first empty or last page."""
        pages: list[list[Json]] = []
        start = 2
        while True:
            refs = [page_ref(path, n) for n in range(start, start + self.concurrency)]
            bodies = await asyncio.gather(*(self._get(r) for r in refs))
            for ref, body in zip(refs, bodies, strict=True):
                items = _items(body, ref.path)
                if not items:
                    return pages
                pages.append(items)
                if not (body.get("meta") or {}).get("next_url"):
                    return pages
            start += self.concurrency

    def _next(self, ref: PageRef, next_url: str) -> PageRef:
        try:
            return resolve_next(ref, next_url, self._root)
        except ForeignNextUrl:
            raise SourceError(
                f"{API} GET /{ref.path}: meta.next_url points outside {self._root}; "
                "refusing to send the credentials there"
            ) from None

    async def _page_items(self, ref: PageRef) -> list[Json]:
        return _items(await self._get(ref), ref.path)

    async def _get(self, ref: PageRef) -> Json:
        """One GET with the envelope checked, retried on transient failures."""

        async def once() -> Json:
            async with self._slots:
                return await self._once(ref)

        def give_up(attempts: int, failure: Transient) -> SourceError:
            return SourceError(
                f"{API} GET /{_show(ref)} failed {attempts} times ({failure.reason})",
                remedy="CharlieHR may be down or rate-limiting; try again later",
            )

        result = await self._retrier.run(once, label=f"GET /{_show(ref)}", give_up=give_up)
        self.stats.retries = self._retrier.retries
        return result

    async def _once(self, ref: PageRef) -> Json:
        started = time.perf_counter()
        self.stats.requests += 1
        try:
            response = await self._http.get(ref.path, params=list(ref.params))
        except httpx.TimeoutException:
            raise Transient("timed out") from None
        except httpx.TransportError as error:
            raise Transient(f"connection failed: {type(error).__name__}") from None
        status = response.status_code
        self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1
        logger.debug("GET /%s -> %d in %.3fs", _show(ref), status, time.perf_counter() - started)
        if status in RETRY_STATUSES:
            raise Transient(f"HTTP {status}", self._retry_after(response, ref))
        if status != 200:
            raise self._refused(ref, response)
        return self._envelope(ref, response)

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
        if status == 401 or (status == 403 and not ref.path.startswith("salaries")):
            return SourceError(
                f"{API} refused the credentials: {where}",
                remedy=f"check the environment variables {creds.id_variable} and "
                f"{creds.secret_variable}; keys are made under Company > Integrations > "
                "API Keys, and 'Reset Keys' revokes the old pair",
            )
        if status == 403:
            return SourceError(
                f"{where}: the key has no access to salary data",
                remedy="ask a Super Admin for a key with salary access",
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


def _items(body: Json, path: str) -> list[Json]:
    data = body["data"]
    if not isinstance(data, list):
        raise SourceError(f"{API} GET /{path}: expected a list in data, got {type(data).__name__}")
    return [item for item in data if isinstance(item, dict)]


def _object(body: Json, path: str) -> Json:
    data = body["data"]
    if not isinstance(data, dict):
        raise SourceError(
            f"{API} GET /{path}: expected an object in data, got {type(data).__name__}"
        )
    return data


def _inconsistency(items: list[Json], expected: int | None) -> str:
    """Say how a list read is inconsistent with itself, or return ``""``."""
    ids = [str(item["id"]) for item in items if "id" in item]
    if len(set(ids)) != len(ids):
        return "an item came twice"
    if expected is not None and len(items) != expected:
        return f"{len(items)} of {expected} items"
    return ""


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

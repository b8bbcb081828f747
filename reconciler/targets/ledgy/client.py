"""The Ledgy GraphQL client: bearer key, the documented rate limit, batched writes.

Facts (Ledgy's API reference, https://docs.ledgy.com/): POST JSON to
``https://app.ledgy.com/graphql`` with ``Authorization: Bearer <key>``; 20 requests
per 5 seconds per company (429 assumed on breach); GraphQL errors come in a 200
answer.

Retries: reads and updates are idempotent and are retried on 429, 5xx, timeouts
and dropped connections. A batch holding creates is retried only after re-reading
Ledgy and dropping the creates that did land, so a retry never duplicates anyone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import orjson

from reconciler.config.secrets import Secret
from reconciler.domain.json import Json
from reconciler.domain.writes import Progress, Write, WriteResult
from reconciler.errors import TargetError
from reconciler.http.error_text import reduced, sent_texts
from reconciler.http.ratelimit import Clock, SlidingWindow
from reconciler.http.retry import Retrier, RetryPolicy, Sleep, Transient, parse_retry_after
from reconciler.http.tls import tls_context
from reconciler.targets.ledgy.codec import stakeholder_input
from reconciler.targets.ledgy.printed import printed_operations

if TYPE_CHECKING:
    # graphql-core takes a tenth of a second to import: a read sends the built-in
    # operations as printed ahead (targets/ledgy/printed.py); they are loaded (checked
    # and parsed) only to write, or in a thread by ready() when the printed file is stale.
    from reconciler.targets.ledgy.operations import Operations

logger = logging.getLogger(__name__)

API = "Ledgy"
RATE_LIMIT = (20, 5.0)


@dataclass
class LedgyStats:
    """What the client did, for benchmarks and the run summary."""

    requests: int = 0
    throttled: int = 0


class LedgyClient:
    """Send the checked operations to Ledgy's GraphQL endpoint."""

    def __init__(
        self,
        url: str,
        api_key: Secret,
        operations: Operations | None,
        *,
        key_variable: str = "LEDGY_API_KEY",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        batch_size: int = 50,
        policy: RetryPolicy | None = None,
        rate_limit: tuple[int, float] | None = RATE_LIMIT,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._path = urlsplit(url).path or "/"
        self._http = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {api_key.reveal()}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            verify=tls_context(),
        )
        self._url = url
        self._operations = operations
        self._key_variable = key_variable
        self.batch_size = batch_size
        self._policy = policy or RetryPolicy()
        self._limiter = SlidingWindow(*rate_limit, clock=clock, sleep=sleep) if rate_limit else None
        self._retrier = Retrier(self._policy, sleep, rng or random.Random())
        self.stats = LedgyStats()

    @property
    def operations(self) -> Operations:
        """The checked operations (``None`` given: the built-in ones, loaded on first use)."""
        if self._operations is None:
            from reconciler.targets.ledgy.operations import load_operations

            self._operations = load_operations()
        return self._operations

    async def ready(self) -> None:
        """Load the built-in operations in a thread, unless they are loaded already or
        their printed texts serve (:mod:`reconciler.targets.ledgy.printed`).

        For a caller whose other requests can travel meanwhile: parsing and checking
        them (graphql-core's import included) no longer holds up the first request.
        """
        if self._operations is None and printed_operations() is None:
            from reconciler.targets.ledgy.operations import load_operations

            self._operations = await asyncio.to_thread(load_operations)

    async def __aenter__(self) -> LedgyClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def auth(self) -> tuple[str, str]:
        """The id and name of the company the key belongs to."""
        data = await self._query("Auth")
        auth = data.get("auth") or {}
        return str(auth.get("companyId")), str(auth.get("companyName"))

    async def query(self, text: str, variables: Json, name: str) -> Json:
        """Any read, e.g. introspection or the published cap table; the ``data`` part."""
        return (await self._post(text, variables, name)).get("data") or {}

    async def stakeholders(self) -> list[Json]:
        """Every natural-person stakeholder."""
        return list((await self._query("Stakeholders")).get("stakeholders") or [])

    async def custom_fields(self) -> list[str]:
        """The names of the company's custom stakeholder fields."""
        return [c["name"] for c in (await self._query("CustomFields")).get("customFields") or []]

    async def write(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Carry out writes in batches of aliased mutations; one result per write."""
        results: list[WriteResult] = []
        for start in range(0, len(writes), self.batch_size):
            batch = await self._write_batch(list(writes[start : start + self.batch_size]))
            for result in batch:
                if progress is not None:
                    progress(result)
            results += batch
        return results

    async def _write_batch(self, batch: list[Write]) -> list[WriteResult]:
        done: dict[int, WriteResult] = {}
        pending = list(range(len(batch)))
        attempt = 0
        while pending:
            attempt += 1
            # Write ``pending[n]`` is sent, and answered, under the alias ``w{n}``.
            aliases = {f"w{n}": index for n, index in enumerate(pending)}
            sending = [batch[i] for i in aliases.values()]
            try:
                body = await self._post_once(*self._compose(sending), "WriteBatch", sending)
            except Transient as retry:
                if attempt >= self._policy.attempts:
                    return _merge(
                        batch, done, pending, f"gave up after {attempt} tries ({retry.reason})"
                    )
                if retry.maybe_applied and any(batch[i].action == "create" for i in pending):
                    pending = await self._drop_landed_creates(batch, pending, done)
                await self._retrier.pause(retry, attempt, f"POST {self._path} (WriteBatch)")
                continue
            self._read_results(body, batch, aliases, done)
            pending = []
        return [done[i] for i in range(len(batch))]

    def _compose(self, writes: list[Write]) -> tuple[str, dict[str, object]]:
        pairs = []
        for write in writes:
            values: Json = {"input": stakeholder_input(write.values)}
            if write.action == "update":
                values["id"] = write.stakeholder_id
            pairs.append(
                ("CreateStakeholder" if write.action == "create" else "UpdateStakeholder", values)
            )
        return self.operations.batch(pairs)

    def _read_results(
        self,
        body: Json,
        batch: list[Write],
        aliases: dict[str, int],
        done: dict[int, WriteResult],
    ) -> None:
        """Record each answer for the write sent under its alias, never by position."""
        data = body.get("data") or {}
        errors = _errors_by_alias(body, [batch[i] for i in aliases.values()])
        for alias, index in aliases.items():
            answer = data.get(alias)
            if answer is not None and alias not in errors:
                stakeholder = (answer or {}).get("stakeholder") or {}
                done[index] = WriteResult(
                    batch[index], True, str(stakeholder.get("id") or batch[index].stakeholder_id)
                )
            else:
                message = errors.get(alias) or errors.get("") or "no answer for this write"
                done[index] = WriteResult(batch[index], False, batch[index].stakeholder_id, message)

    async def _drop_landed_creates(
        self, batch: list[Write], pending: list[int], done: dict[int, WriteResult]
    ) -> list[int]:
        """After an unclear failure, find creates that did land; never send them twice."""
        # Ledgy holds identifiers as sent and treats them as unique whatever their case.
        existing = {
            _same(s["identifier"]): str(s["id"])
            for s in await self.stakeholders()
            if s.get("identifier")
        }
        still = []
        for index in pending:
            write = batch[index]
            sent = write.values.get("identifier") or write.identifier
            landed = existing.get(_same(str(sent))) if sent else None
            if write.action == "create" and landed is not None:
                logger.info("create of %s had landed; not sending it again", write.identifier)
                done[index] = WriteResult(write, True, landed)
            else:
                still.append(index)
        return still

    def _text(self, name: str) -> str:
        """What is sent for one operation: the built-in ones as printed ahead, unless
        they were loaded already (graphql-core is then imported only to write)."""
        ahead = printed_operations() if self._operations is None else None
        if ahead is not None and name in ahead.texts:
            return ahead.texts[name]
        return self.operations.text(name)

    def root_fields(self) -> frozenset[str]:
        """The root fields the operations select (what the account must offer)."""
        ahead = printed_operations() if self._operations is None else None
        return ahead.root_fields if ahead is not None else self.operations.root_fields()

    async def _query(self, name: str) -> Json:
        body = await self._post(self._text(name), {}, name)
        return body.get("data") or {}

    async def _post(self, query: str, variables: Json, name: str) -> Json:
        """One idempotent request, retried on transient failures."""

        def give_up(attempts: int, failure: Transient) -> TargetError:
            return TargetError(
                f"{API} POST {self._path} ({name}) failed {attempts} times ({failure.reason})",
                remedy="Ledgy may be down or rate-limiting; try again later",
            )

        async def once() -> Json:
            return await self._post_once(query, variables, name)

        return await self._retrier.run(once, label=f"POST {self._path} ({name})", give_up=give_up)

    async def _post_once(
        self, query: str, variables: Json, name: str, writes: Sequence[Write] = ()
    ) -> Json:
        """One request; the values of ``writes`` (not the field names) are masked
        wherever an error echoes them."""
        if self._limiter is not None:
            await self._limiter.acquire()
        self.stats.requests += 1
        started = time.perf_counter()
        payload = {"query": query, "variables": variables, "operationName": name}
        try:
            response = await self._http.post(self._url, json=payload)
        except httpx.ConnectError:
            raise Transient("connection refused", maybe_applied=False) from None
        except httpx.TimeoutException:
            raise Transient("timed out", maybe_applied=True) from None
        except httpx.TransportError as error:
            raise Transient(
                f"connection failed: {type(error).__name__}", maybe_applied=True
            ) from None
        logger.debug(
            "POST %s (%s) -> %d in %.3fs",
            self._path,
            name,
            response.status_code,
            time.perf_counter() - started,
        )
        return self._answer(response, name, writes)

    def _answer(self, response: httpx.Response, name: str, writes: Sequence[Write]) -> Json:
        status = response.status_code
        where = f"{API} POST {self._path} ({name}) answered {status}"
        if status == 429:
            self.stats.throttled += 1
            raise Transient("HTTP 429", self._retry_after(response, where), maybe_applied=False)
        if status >= 500:
            raise Transient(
                f"HTTP {status}",
                parse_retry_after(response.headers.get("Retry-After")),
                maybe_applied=True,
            )
        if status in (401, 403):
            raise TargetError(
                f"{API} refused the API key: {where}",
                remedy=f"check the environment variable {self._key_variable}; the key is under "
                "Company Settings > General > Danger Zone > Reveal API key",
            )
        if status != 200:
            raise TargetError(f"{where}{_first_message(response, _sent(writes))}")
        try:
            body = decoded(response.content)
        except ValueError:
            raise Transient("malformed JSON", maybe_applied=True) from None
        if not isinstance(body, dict):
            raise TargetError(
                f"{API} POST {self._path} ({name}): the answer is not a GraphQL result"
            )
        if body.get("errors") and not body.get("data"):
            raise TargetError(f"{API} {name} failed: {_messages(body['errors'], _sent(writes))}")
        return body

    def _retry_after(self, response: httpx.Response, where: str) -> float | None:
        wait = parse_retry_after(response.headers.get("Retry-After"))
        if wait is not None and wait > self._policy.max_retry_after:
            raise TargetError(f"{where} and asks to wait {wait:.0f} s", remedy="run again later")
        return wait


def decoded(content: bytes) -> object:
    """A JSON answer: orjson for speed (the stakeholders answer is megabytes, read while
    CharlieHR's pages wait), the standard library for what orjson refuses but JSON
    allows (a lone surrogate escape in a name); ``ValueError`` when it is not JSON."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def _same(identifier: str) -> str:
    """An identifier as Ledgy compares it: trimmed, case-folded."""
    return identifier.strip().casefold()


def _sent(writes: Sequence[Write]) -> frozenset[str]:
    """What an error may echo of these writes: their values, masked wherever they appear
    in one (:mod:`reconciler.http.error_text`); asked only when there is an error."""
    return sent_texts(value for write in writes for value in write.values.values())


def _errors_by_alias(body: Json, writes: Sequence[Write]) -> dict[str, str]:
    """GraphQL errors keyed by the alias their path starts with ("" for none), each
    reduced to its message with the values of ``writes`` masked."""
    found: dict[str, str] = {}
    errors = body.get("errors") or []
    sent = _sent(writes) if errors else frozenset()
    for error in errors:
        if not isinstance(error, dict):
            continue
        path = error.get("path") or [""]
        found.setdefault(str(path[0]), reduced(error.get("message"), sent) or "no message")
    return found


SHOWN_ERRORS = 3
"""GraphQL errors named in one message; a refused batch has one per write."""


def _messages(errors: object, sent: frozenset[str]) -> str:
    """The distinct messages of a GraphQL ``errors`` list, masked, the first few."""
    listed = errors if isinstance(errors, list) else []
    found = [reduced(e.get("message"), sent) for e in listed if isinstance(e, dict)]
    distinct = list(dict.fromkeys(m for m in found if m)) or ["no message"]
    more = len(distinct) - SHOWN_ERRORS
    shown = "; ".join(distinct[:SHOWN_ERRORS])
    return f"{shown}; and {more} more" if more > 0 else shown


def _merge(
    batch: list[Write], done: dict[int, WriteResult], pending: list[int], reason: str
) -> list[WriteResult]:
    for index in pending:
        done[index] = WriteResult(batch[index], False, batch[index].stakeholder_id, reason)
    return [done[i] for i in range(len(batch))]


def _first_message(response: httpx.Response, sent: frozenset[str]) -> str:
    """The first GraphQL error of a refused request, masked; never the rest of the body."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = reduced(errors[0].get("message"), sent)
        return f": {message}" if message else ""
    return ""

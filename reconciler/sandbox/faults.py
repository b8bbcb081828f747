"""Knobs shared by the emulators: latency, a rate limit, and injected faults.

A pure ASGI middleware, so it wraps any of the emulator apps the same way, both
in process (``httpx.ASGITransport``) and on loopback under uvicorn.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.domain.json import Json

FAULT_KINDS = ("500", "503", "drop", "malformed")
"""The default faults. The others are opt-in: ``500_after`` (the request is carried
out, then answered 500) is how a write can land although the client saw it fail."""
LIST_FAULTS = ("short_page", "empty_page")
"""Faults of a CharlieHR list page: part of ``data`` dropped with ``meta`` left as it
was, or ``data`` empty and ``meta.next_url`` gone, as if the list ended there."""
ALL_FAULTS = (*FAULT_KINDS, "429", "timeout", "500_after", *LIST_FAULTS)


@dataclass(frozen=True, slots=True)
class Knobs:
    """How an emulator misbehaves, on purpose."""

    latency: float = 0.0
    """Seconds from a request's arrival to its answer, as a network round trip with the
    server's work inside it: the app sees the request halfway through, and the answer
    leaves when the latency is up (later only when the app itself took longer)."""
    rate_limit: int | None = None
    """Requests allowed per ``rate_window`` seconds; more are answered 429."""
    rate_window: float = 1.0
    fault_rate: float = 0.0
    """Share of requests (0..1) that fail with one of ``faults``."""
    faults: tuple[str, ...] = FAULT_KINDS
    seed: int = 0
    stall: float = 2.0
    """Seconds a ``timeout`` fault holds the request before answering."""
    retry_after: int | None = 1
    """The ``Retry-After`` seconds of a ``429`` fault; ``None``: the header is left out
    (no public source says whether CharlieHR sends one)."""


@dataclass
class Traffic:
    """What the emulator saw: every request, and the ones answered by the app."""

    requests: int = 0
    served: Counter[str] = field(default_factory=Counter)
    limited: int = 0
    faulted: int = 0
    times: list[float] = field(default_factory=list)
    """Arrival time of every request the app served, for rate-limit checks."""
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    """What ``times`` are read from, and what times the ``rate_limit`` window (a test's
    fake clock, shared with the client)."""


class MisbehaviourMiddleware:
    """Add latency, enforce a rate limit, inject faults; count everything."""

    def __init__(self, app: ASGIApp, knobs: Knobs, traffic: Traffic | None = None) -> None:
        self.app = app
        self.knobs = knobs
        self.traffic = traffic or Traffic()
        self._rng = random.Random(knobs.seed)
        self._window: deque[float] = deque()

    def reconfigure(self, knobs: Knobs, traffic: Traffic | None = None) -> None:
        """Misbehave differently from now on (a server shared by many test runs)."""
        self.knobs = knobs
        self.traffic = traffic or Traffic()
        self._rng = random.Random(knobs.seed)
        self._window.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.traffic.requests += 1
        if self.knobs.latency:
            # A single-process emulator answers requests one after another; a real
            # server, in parallel. Holding each answer to its own deadline (instead of
            # sleeping the whole latency before the work) keeps the emulator's work
            # from adding up across the requests that arrive together.
            deadline = time.monotonic() + self.knobs.latency
            await asyncio.sleep(self.knobs.latency / 2)
            send = _held_until(deadline, send)
        wait = self._over_limit()
        if wait is not None:
            self.traffic.limited += 1
            await _json(
                send,
                429,
                {"success": False, "error": "Too many requests"},
                {"retry-after": str(max(1, math.ceil(wait)))},
            )
            return
        fault = self._fault()
        if fault == "429":
            self.traffic.faulted += 1
            await _throttled(send, self.knobs.retry_after)
            return
        if fault is not None and await self._misbehave(fault, scope, receive, send):
            return
        self.traffic.times.append(self.traffic.clock())
        query = scope.get("query_string", b"").decode()
        self.traffic.served[f"{scope['method']} {scope['path']}?{query}"] += 1
        await self.app(scope, receive, send)

    async def _misbehave(self, fault: str, scope: Scope, receive: Receive, send: Send) -> bool:
        """Carry out one fault; ``False`` when the request is still to be served."""
        if fault == "timeout":
            self.traffic.faulted += 1
            await asyncio.sleep(self.knobs.stall)
            return False
        if fault == "500_after":
            self.traffic.faulted += 1
            await self.app(scope, receive, _discard)
            await _json(send, 500, {"errors": [{"message": "Injected fault after the work"}]})
        elif fault in LIST_FAULTS:
            await self._list_fault(scope, receive, send, fault)
        else:
            self.traffic.faulted += 1
            await _fault(send, fault)
        return True

    async def _list_fault(self, scope: Scope, receive: Receive, send: Send, kind: str) -> None:
        """Serve the request, then spoil the page it answers (lists only)."""
        captured = _Captured()
        await self.app(scope, receive, captured)
        body = captured.json()
        data = None if body is None else body.get("data")
        if body is None or not isinstance(data, list) or not data or captured.status != 200:
            await _respond(send, captured.status, captured.body)
            return
        self.traffic.faulted += 1
        if kind == "short_page":
            body["data"] = data[: self._rng.randrange(len(data))]
        else:
            body["data"] = []
            body["meta"] = {**(body.get("meta") or {}), "next_url": None}
        await _json(send, 200, body)

    def _over_limit(self) -> float | None:
        limit = self.knobs.rate_limit
        if limit is None:
            return None
        now = self.traffic.clock()
        while self._window and now - self._window[0] >= self.knobs.rate_window:
            self._window.popleft()
        if len(self._window) >= limit:
            return self.knobs.rate_window - (now - self._window[0])
        self._window.append(now)
        return None

    def _fault(self) -> str | None:
        if self.knobs.fault_rate <= 0 or self._rng.random() >= self.knobs.fault_rate:
            return None
        return self._rng.choice(self.knobs.faults)


def _held_until(deadline: float, send: Send) -> Send:
    """``send``, holding the answer's first message until ``deadline`` (monotonic)."""

    async def held(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        await send(message)

    return held


async def _discard(message: Message) -> None:
    """Swallow the app's own answer (for ``500_after``)."""


class _Captured:
    """An ASGI ``send`` that keeps the app's answer instead of sending it."""

    def __init__(self) -> None:
        self.status = 500
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
        elif message["type"] == "http.response.body":
            self.body += bytes(message.get("body", b""))

    def json(self) -> Json | None:
        """The answer, when it is a JSON object."""
        try:
            found = json.loads(self.body)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None


async def _json(
    send: Send, status: int, body: object, headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    await _respond(send, status, payload, headers)


async def _respond(
    send: Send, status: int, payload: bytes, headers: dict[str, str] | None = None
) -> None:
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def _throttled(send: Send, retry_after: int | None) -> None:
    headers = {} if retry_after is None else {"retry-after": str(retry_after)}
    await _json(send, 429, {"success": False, "error": "Too many requests"}, headers)


async def _fault(send: Send, kind: str) -> None:
    if kind in ("500", "503"):
        await _json(send, int(kind), {"success": False, "error": "Injected fault"})
    elif kind == "malformed":
        await _respond(send, 200, b'{"success": true, "data": [{"id": ')
    else:
        # A dropped connection: headers promise more body than ever arrives.
        start: Message = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
        await send(start)
        await send({"type": "http.response.body", "body": b'{"success": tr', "more_body": True})
        raise ConnectionAbortedError("injected dropped connection")

"""The front door of the Ledgy emulator: the key first, then the rate limit, then faults.

Ledgy checks the bearer key before counting a request (a keyless request gets
"Invalid key format", never a 429), counts 20 requests per 5 seconds per key, and
answers every error, 429 and 5xx included, in GraphQL's shape ``{"errors": [...]}``.
The shared fault knobs (latency, 500, 503, dropped connections) sit behind this
door; their error bodies are rewritten into that shape.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Clock = Callable[[], float]


class KeyedWindow:
    """At most ``limit`` requests per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def wait(self, key: str) -> float | None:
        """Count one request for ``key``; return seconds to wait when over the limit."""
        now = self._clock()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return self.window - (now - seen[0])
        seen.append(now)
        return None


class LedgyGate:
    """Authenticate, rate-limit per key, and keep every error in GraphQL's shape."""

    def __init__(
        self,
        app: ASGIApp,
        keys: frozenset[str],
        limit: KeyedWindow | None,
        *,
        on_limited: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.limit = limit
        self._on_limited = on_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = _bearer(scope)
        if key is None:
            await graphql_error(send, 401, "Invalid key format")
            return
        if key not in self.keys:
            await graphql_error(send, 401, "Invalid API key")
            return
        wait = self.limit.wait(key) if self.limit is not None else None
        if wait is not None:
            if self._on_limited is not None:
                self._on_limited()
            await graphql_error(
                send,
                429,
                "Rate limit exceeded: 20 requests per 5 seconds",
                {"retry-after": str(max(1, math.ceil(wait)))},
            )
            return
        await self.app(scope, receive, _GraphQLShaped(send))


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or []:
        if name.lower() == b"authorization":
            text: str = value.decode("latin-1")
            scheme, _, token = text.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class _GraphQLShaped:
    """Pass answers through; rewrite an error answer without ``errors`` into that shape."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._held: Message | None = None
        self._body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 400:
            self._held = message
            return
        if self._held is None:
            await self._send(message)
            return
        self._body += message.get("body", b"")
        if message.get("more_body"):
            return
        status = int(self._held["status"])
        try:
            body = json.loads(self._body)
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            payload = self._body
        else:
            payload = _errors(f"HTTP {status}: the server failed; try again")
        headers = [(k, v) for k, v in self._held["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode()))
        await self._send({**self._held, "headers": headers})
        await self._send({"type": "http.response.body", "body": payload})


def _errors(message: str) -> bytes:
    return json.dumps({"errors": [{"message": message}]}).encode()


async def graphql_error(
    send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    """Answer ``{"errors": [{"message": ...}]}`` with this status."""
    payload = _errors(message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})

"""A GitHub stand-in over loopback that answers from a script and records every request.

The emulator behaves as GitHub does; this server behaves as a test says GitHub
misbehaves (a 403 with ``Retry-After``, an HTML error page, a comment without a
timestamp), and shows exactly what the client sent (the raw path included).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response


@dataclass(frozen=True)
class Answer:
    """One scripted answer: a status, headers and a JSON body (or raw text, as HTML
    unless ``media_type`` says otherwise)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    media_type: str = "text/html"

    def response(self) -> Response:
        if self.status == 204:
            return Response(status_code=204, headers=self.headers)
        if self.text is not None:
            return Response(self.text, self.status, self.headers, media_type=self.media_type)
        content = json.dumps({} if self.body is None else self.body)
        return Response(content, self.status, self.headers, media_type="application/json")


@dataclass(frozen=True)
class Sent:
    """One request as the server received it."""

    method: str
    path: str
    """The raw path, escapes kept (``%2F`` stays ``%2F``)."""
    query: str
    body: Any
    headers: dict[str, str]


WRITTEN = {"id": 1, "number": 1}


@dataclass
class Script:
    """Answers by method: each request takes the next answer queued for its method;
    when none is queued, ``200 {}`` to a read and, to a write, an object with the
    number and id every object GitHub writes carries (the client parses them)."""

    queued: dict[str, list[Answer]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    def then(self, method: str, *answers: Answer) -> None:
        self.queued.setdefault(method, []).extend(answers)

    def reset(self) -> None:
        self.queued.clear()
        self.sent.clear()

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        self.sent.append(
            Sent(
                request.method,
                request.scope["raw_path"].decode(),
                request.url.query,
                json.loads(raw) if raw else None,
                dict(request.headers),
            )
        )
        waiting = self.queued.get(request.method) or []
        if waiting:
            return waiting.pop(0).response()
        return (Answer() if request.method == "GET" else Answer(200, WRITTEN)).response()

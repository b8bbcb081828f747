"""The GitHub emulator over loopback, spoken to as raw HTTP (shared by its tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.server import serve_in_thread

REPO = "/repos/acme/people-config"


@dataclass
class Gh:
    data: GitHubData
    url: str

    def call(self, method: str, path: str, token: str = SANDBOX_TOKEN, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
        return httpx.request(method, f"{self.url}{path}", headers=headers, **kw)


@contextmanager
def served(data: GitHubData | None = None) -> Iterator[Gh]:
    """The emulator of ``data`` (a fresh repository by default) on loopback."""
    data = data or GitHubData()
    with serve_in_thread(create_app(data)) as url:
        yield Gh(data, url)

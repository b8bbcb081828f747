"""Fixtures shared by the GitHub tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from reconciler.sandbox.server import serve_in_thread
from tests.github.scripted import Script


@dataclass
class Scripted:
    """A scripted server on loopback and its script."""

    script: Script
    url: str


@pytest.fixture(scope="module")
def _scripted_server() -> Iterator[Scripted]:
    script = Script()
    methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    app = Starlette(routes=[Route("/{path:path}", script.handle, methods=methods)])
    with serve_in_thread(app) as url:
        yield Scripted(script, url)


@pytest.fixture
def scripted(_scripted_server: Scripted) -> Iterator[Scripted]:
    """The module's scripted server, with an empty script for each test."""
    _scripted_server.script.reset()
    yield _scripted_server
    _scripted_server.script.reset()

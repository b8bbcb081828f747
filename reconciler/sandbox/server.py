"""Run an emulator on loopback under uvicorn, in the foreground or a background thread.

uvicorn comes with the ``serve`` extra; it is imported when a server starts, so the
in-process sandbox (``--sandbox``) runs without it.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from starlette.types import ASGIApp

from reconciler.errors import SandboxError

if TYPE_CHECKING:
    import uvicorn

HOST = "127.0.0.1"


def require_server() -> None:
    """Stop with the remedy when uvicorn (the ``serve`` extra) is not installed."""
    if importlib.util.find_spec("uvicorn") is None:
        raise SandboxError(
            "`reconciler sandbox serve` needs uvicorn, which is not installed",
            remedy="install the serve extra: pip install 'ledgy-charliehr-reconciler[serve]' "
            "(`--sandbox` runs the emulators in process and needs no server)",
        )


def _server(app: ASGIApp, port: int) -> uvicorn.Server:
    import uvicorn

    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(app: ASGIApp, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yield its base URL; stop on exit."""
    # Injected faults raise inside the app on purpose; uvicorn need not report them.
    logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
    server = _server(app, port)
    thread = threading.Thread(target=server.run, name="emulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the emulator did not start")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_forever(app: ASGIApp, port: int) -> None:
    """Serve ``app`` on a loopback port until interrupted."""
    _server(app, port).run()

"""One TLS context for every HTTP client of a run.

Each context loads the CA bundle (about 15 ms); a run makes a client per
connection slot and one per API, and they can all verify with the same one. A run
that will talk to the APIs starts loading it in a thread (:func:`load_ahead`) before
it loads its config and imports the rest: OpenSSL reads the bundle without holding
the interpreter, so the two overlap instead of adding up before the first request.
"""

from __future__ import annotations

import ssl
import threading
from concurrent.futures import Future
from functools import lru_cache

_ahead: Future[ssl.SSLContext] | None = None
_lock = threading.Lock()


def load_ahead() -> None:
    """Start making the run's TLS context in a thread (once); :func:`tls_context` then
    waits for it. An error there is raised where the context is asked for."""
    global _ahead
    with _lock:
        if _ahead is not None or tls_context.cache_info().currsize:
            return
        future: Future[ssl.SSLContext] = Future()
        _ahead = future
    threading.Thread(target=_make, args=(future,), name="tls", daemon=True).start()


def _make(future: Future[ssl.SSLContext]) -> None:
    try:
        future.set_result(_new_context())
    except BaseException as error:
        future.set_exception(error)


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares (httpx's defaults: certifi's CAs)."""
    with _lock:
        ahead = _ahead
    return ahead.result() if ahead is not None else _new_context()


def _new_context() -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()

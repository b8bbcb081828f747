"""One TLS context for every HTTP client of a run.

Each context loads the CA bundle (about 15 ms); a run makes a client per
connection slot and one per API, and they can all verify with the same one.
"""

from __future__ import annotations

import ssl
from functools import lru_cache

import httpx


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares (httpx's defaults: certifi's CAs)."""
    return httpx.create_ssl_context()

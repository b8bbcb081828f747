"""One verifying TLS context, shared by every client of a run."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator

import pytest

from reconciler.config.secrets import Secret
from reconciler.http import tls
from reconciler.http.tls import load_ahead, tls_context
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials


def test_the_context_verifies_certificates_and_host_names() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.get_ca_certs() or context.cert_store_stats()["x509_ca"] > 0


def test_every_connection_of_a_client_shares_it() -> None:
    credentials = Credentials(Secret("id"), Secret("secret"), "ID", "SECRET")
    client = CharlieHRClient("https://charliehr.example/api/v1", credentials, concurrency=3)
    contexts = {
        id(c._transport._pool._ssl_context)  # type: ignore[attr-defined]
        for c in client._connections
    }
    assert contexts == {id(tls_context())}


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No context made yet, and none left behind for other tests."""
    tls_context.cache_clear()
    monkeypatch.setattr(tls, "_ahead", None)
    yield
    tls_context.cache_clear()


def test_a_context_made_ahead_is_the_one_every_client_gets(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[tuple[str, ssl.SSLContext]] = []
    new = tls._new_context

    def counted() -> ssl.SSLContext:
        context = new()
        made.append((threading.current_thread().name, context))
        return context

    monkeypatch.setattr(tls, "_new_context", counted)
    load_ahead()
    load_ahead()  # once
    context = tls_context()
    assert made == [("tls", context)] and tls_context() is context


def test_an_error_made_ahead_is_raised_where_the_context_is_asked_for(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> ssl.SSLContext:
        raise ssl.SSLError("no CA bundle")

    monkeypatch.setattr(tls, "_new_context", broken)
    load_ahead()
    with pytest.raises(ssl.SSLError, match="no CA bundle"):
        tls_context()

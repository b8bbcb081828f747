"""One verifying TLS context, shared by every client of a run."""

from __future__ import annotations

import ssl

from reconciler.config.secrets import Secret
from reconciler.http.tls import tls_context
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

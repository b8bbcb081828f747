"""One emulator address serving several accounts, told apart by their credentials.

CharlieHR serves every account from one base URL and tells them apart by the API key
pair; Ledgy answers for the company its API key belongs to. So a repository with two
configs may point both at one address with two keys. ``accounts`` serves one
CharlieHR emulator per key pair and ``companies`` one Ledgy emulator per API key,
behind one door that routes each request by its ``Authorization`` header; a request
with a key no account has goes to the first, which refuses it as it would.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from reconciler.sandbox import charliehr, ledgy
from reconciler.sandbox.charliehr import Behaviour, CharlieHRData
from reconciler.sandbox.ledgy_data import LedgyData


class ByAuthorization:
    """Route each HTTP request to the app whose ``Authorization`` header it carries."""

    def __init__(self, apps: Mapping[str, ASGIApp]) -> None:
        if not apps:
            raise ValueError("at least one account")
        self.apps = dict(apps)
        self.first = next(iter(self.apps.values()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.first
        if scope["type"] == "http":
            for name, value in scope.get("headers") or []:
                if name.lower() == b"authorization":
                    app = self.apps.get(value.decode("latin-1").strip(), self.first)
        await app(scope, receive, send)


def accounts(data: Mapping[tuple[str, str], CharlieHRData]) -> ByAuthorization:
    """CharlieHR with one account per ``(client_id, client_secret)``."""
    return ByAuthorization(
        {
            f"Token token={client_id}:{secret}": charliehr.create_app(
                company, behaviour=Behaviour(credentials=(client_id, secret))
            )
            for (client_id, secret), company in data.items()
        }
    )


def companies(data: Mapping[str, LedgyData]) -> ByAuthorization:
    """Ledgy with one company per API key."""
    return ByAuthorization(
        {f"Bearer {key}": ledgy.create_app(company, api_key=key) for key, company in data.items()}
    )

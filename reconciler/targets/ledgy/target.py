"""LedgyApiTarget: read and write stakeholders through the GraphQL driver."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Sequence

import httpx

from reconciler.concurrency import map_in_turns, settled
from reconciler.config.load import LoadedConfig
from reconciler.config.secrets import Secret, variable_of
from reconciler.domain.stakeholder import TargetState
from reconciler.domain.writes import Progress, Write, WriteResult
from reconciler.errors import TargetError
from reconciler.http.retry import RetryPolicy
from reconciler.render.escape import visible
from reconciler.targets.ledgy.client import RATE_LIMIT, LedgyClient
from reconciler.targets.ledgy.codec import stakeholder_from_json
from reconciler.targets.ledgy.probe import (
    INTROSPECTION,
    check_offered,
    described_schema,
)


def _company_mismatch(name: str, configured: str) -> str:
    """Say which company the key is for; when both names look alike, show every character."""
    alike = visible(name) == visible(configured) or _folded(name) == _folded(configured)
    shown, wanted = (_escaped(name), _escaped(configured)) if alike else (name, configured)
    note = " (the names differ only in invisible or look-alike characters)" if alike else ""
    return (
        f"the Ledgy API key belongs to '{shown}', but the config says ledgy.company: "
        f"'{wanted}'{note}; nothing was read or written"
    )


_UNSEEN = frozenset({"Cc", "Cf"})


def _folded(text: str) -> str:
    kept = (
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) not in _UNSEEN
    )
    return " ".join("".join(kept).split())


def _escaped(text: str) -> str:
    """Every character outside printable ASCII as an escape (``\\u00a0``, ``\\u200b``)."""
    return text.encode("ascii", "backslashreplace").decode("ascii")


class LedgyApiTarget:
    """The company's stakeholders through Ledgy's GraphQL API."""

    def __init__(self, client: LedgyClient, company: str) -> None:
        self.client = client
        self.company = company
        self._checked = False

    async def check_company(self) -> None:
        """Stop unless the account offers our operations and the key is the company's."""
        if self._checked:
            return
        probe, auth = await asyncio.gather(
            self.client.query(INTROSPECTION, {}, "Probe"),
            self.client.auth(),
            return_exceptions=True,
        )
        schema = described_schema(probe)  # refused: stop with the workbook advice
        if schema is not None:
            check_offered(self.client.root_fields(), schema)
        _, name = settled(auth)
        if name != self.company:
            raise TargetError(
                _company_mismatch(name, self.company),
                remedy="use the key of the configured company, or correct ledgy.company",
            )
        self._checked = True

    async def preflight(self) -> frozenset[str]:
        """Cheap checks before any read: the account offers our operations, the key
        belongs to the configured company (asked once), and the custom field names.

        The three are asked at once, one round trip instead of three, and judged in
        that order: the first check that fails is the one reported, as if asked in turn.
        The built-in operations are sent as printed ahead; operations checked at run
        time (a config's own, or a stale printed file) are loaded first, in a thread,
        while CharlieHR's first requests travel.
        """
        await self.client.ready()
        checked, fields = await asyncio.gather(
            self.check_company(), self.client.custom_fields(), return_exceptions=True
        )
        settled(checked)
        return frozenset(settled(fields))

    async def read(self) -> TargetState:
        """Check the company, then read stakeholders and custom fields concurrently."""
        await self.check_company()
        people, fields = await asyncio.gather(
            self.client.stakeholders(), self.client.custom_fields()
        )
        # In slices: CharlieHR's pages are still arriving and must not wait for the lot.
        stakeholders = tuple(await map_in_turns(stakeholder_from_json, people))
        return TargetState(self.company, stakeholders, frozenset(fields))

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Check the company, then send the writes in batches."""
        await self.check_company()
        return await self.client.write(writes, progress)

    async def aclose(self) -> None:
        """Close the client."""
        await self.client.aclose()


def ledgy_api_target(
    loaded: LoadedConfig,
    key: Secret,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    url: str | None = None,
    policy: RetryPolicy | None = None,
    rate_limit: tuple[int, float] | None = RATE_LIMIT,
) -> LedgyApiTarget:
    """Build the API driver a config describes, with the key the run resolved."""
    ledgy = loaded.config.ledgy
    if ledgy.api_key is None:  # the model requires it for the api driver
        raise TargetError("ledgy.api_key is not set")
    operations = None  # the built-in ones: loaded by the target's preflight, in a thread
    if ledgy.operations:
        # The company's own file is checked now: its errors come before any request.
        from reconciler.targets.ledgy.operations import load_operations

        operations = load_operations(loaded.inside(("ledgy", "operations"), ledgy.operations))
    client = LedgyClient(
        url or ledgy.url,
        key,
        operations,
        key_variable=variable_of(ledgy.api_key),
        transport=transport,
        batch_size=ledgy.batch_size,
        policy=policy,
        rate_limit=rate_limit,
    )
    return LedgyApiTarget(client, ledgy.company)

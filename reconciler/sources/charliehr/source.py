"""CharlieHRSource: the client's lists, joined and normalised into employees."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date

import httpx

from reconciler.config.load import LoadedConfig
from reconciler.config.model import Config
from reconciler.config.secrets import resolve, variable_of
from reconciler.employee import Employee
from reconciler.fields import RAW_PREFIX
from reconciler.retry import RetryPolicy
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials
from reconciler.sources.charliehr.normalise import RawCompany, key_table, normalise


class CharlieHRSource:
    """Read every CharlieHR team member, with one list call per join."""

    def __init__(
        self,
        client: CharlieHRClient,
        *,
        today: date,
        field_keys: Mapping[str, str] | None = None,
        wanted_raw: frozenset[str] = frozenset(),
        fetch_details: bool = False,
    ) -> None:
        self.client = client
        self._today = today
        self._keys = key_table(field_keys)
        self._wanted_raw = wanted_raw
        self._fetch_details = fetch_details

    async def read(self) -> tuple[Employee, ...]:
        """Read members, salaries, teams and offices concurrently, then normalise."""
        members, salaries, teams, offices = await asyncio.gather(
            self.client.team_members(),
            self.client.salaries(),
            self.client.teams(),
            self.client.offices(),
        )
        if self._fetch_details:
            ids = [str(m.get(self._keys["id"])) for m in members]
            details = await self.client.team_member_details(ids)
            members = [{**m, **d} for m, d in zip(members, details, strict=True)]
        raw = RawCompany(members, salaries, teams, offices)
        return normalise(raw, self._keys, today=self._today, wanted_raw=self._wanted_raw)


def raw_keys_read(config: Config) -> frozenset[str]:
    """The raw keys the config's custom fields and rules read."""
    people = config.stakeholders
    refs = [c.from_ for c in people.custom_fields] + [r.field for r in people.sync_if]
    return frozenset(r[len(RAW_PREFIX) :] for r in refs if r.startswith(RAW_PREFIX))


def excepted_raw_keys(config: Config) -> frozenset[str]:
    """Raw keys a sensitive exception allows the client to keep."""
    fields = (e.field for e in config.stakeholders.sensitive_exceptions)
    return frozenset(f[len(RAW_PREFIX) :] for f in fields if f.startswith(RAW_PREFIX))


def charliehr_source(
    loaded: LoadedConfig,
    *,
    today: date,
    environ: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    base_url: str | None = None,
    policy: RetryPolicy | None = None,
) -> CharlieHRSource:
    """Build the source a config describes, resolving its secrets now."""
    hris = loaded.config.hris
    credentials = Credentials(
        resolve(loaded, ("hris", "client_id"), hris.client_id, environ),
        resolve(loaded, ("hris", "client_secret"), hris.client_secret, environ),
        variable_of(hris.client_id),
        variable_of(hris.client_secret),
    )
    client = CharlieHRClient(
        base_url or hris.base_url,
        credentials,
        transport=transport,
        concurrency=hris.concurrency,
        timeout=hris.timeout_seconds,
        policy=policy,
        keep_sensitive=excepted_raw_keys(loaded.config),
    )
    return CharlieHRSource(
        client,
        today=today,
        field_keys=hris.field_keys,
        wanted_raw=raw_keys_read(loaded.config),
        fetch_details=hris.fetch_details,
    )

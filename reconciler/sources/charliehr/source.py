"""CharlieHRSource: the client's lists, joined and normalised into employees.

Only the lists the config needs are read: ``/team_members`` always, ``/salaries``
for employment type and pay, ``/teams`` for the team, ``/offices`` for the office.
When CharlieHR refuses the key one of them (403), the fields it feeds are left
unsynced with one plan warning, unless the config asks for one of those fields by
name (``optional_fields``, ``custom_fields``, ``sync_if``): then it is an error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import httpx

from reconciler.concurrency import all_or_nothing, map_in_turns
from reconciler.config.load import LoadedConfig
from reconciler.config.model import Config, Stakeholders
from reconciler.config.secrets import HRSecrets, variable_of
from reconciler.domain.countries import load_table
from reconciler.domain.employee import Employee
from reconciler.domain.fields import RAW_PREFIX
from reconciler.domain.gaps import Gap
from reconciler.domain.identity import identifier_problem, load_tables, normal_identifier
from reconciler.domain.json import Json
from reconciler.engine.phones import load_rules, to_e164
from reconciler.errors import AccessDeniedError
from reconciler.http.retry import RetryPolicy
from reconciler.sources.base import Early
from reconciler.sources.charliehr.client import (
    API,
    CharlieHRClient,
    Credentials,
    Sleep,
    permission_of,
)
from reconciler.sources.charliehr.coverage import member_gaps, salary_gaps
from reconciler.sources.charliehr.early import EarlyJoins
from reconciler.sources.charliehr.normalise import (
    RawCompany,
    key_table,
    lookups,
    profile,
    salaries_in_force,
    with_salaries,
)
from reconciler.sources.charliehr.pacing import Clock

ENDPOINT_FIELDS: dict[str, tuple[str, ...]] = {
    "salaries": ("employment_type", "pay_rate", "pay_period", "pay_currency"),
    "teams": ("team",),
    "offices": ("office", "entity"),
}
"""The HR fields each optional list feeds (job titles fall back to salaries when read)."""
DEFAULT_FIELDS = frozenset({"employment_type", "team"})
"""Fields synced whatever the config says (engine.desired.DEFAULT_HRIS)."""
PAY = frozenset({"pay_rate", "pay_period", "pay_currency"})


@dataclass(frozen=True, slots=True)
class Needs:
    """Which optional lists a config needs, and whether it asks for their fields by name."""

    fields: Mapping[str, tuple[str, ...]]
    """Per list, the fields the config uses from it; a list not here is not read."""
    explicit: frozenset[str]
    """Lists one of whose fields the config names itself: a 403 there is an error."""

    @classmethod
    def everything(cls) -> Needs:
        """Every list, none of them explicit (the sandbox without a config)."""
        return cls(dict(ENDPOINT_FIELDS), frozenset())


def needs_of(people: Stakeholders) -> Needs:
    """The optional lists a config's stakeholder settings read."""
    named = {c.from_ for c in people.custom_fields} | {r.field for r in people.sync_if}
    if "pay_rate" in people.optional_fields:
        named |= PAY
    used = named | DEFAULT_FIELDS
    fields = {
        path: tuple(f for f in feeds if f in used)
        for path, feeds in ENDPOINT_FIELDS.items()
        if used & set(feeds)
    }
    explicit = frozenset(path for path, feeds in fields.items() if named & set(feeds))
    return Needs(fields, explicit)


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
        needs: Needs | None = None,
        phones: bool = False,
    ) -> None:
        self.client = client
        self._today = today
        self._keys = key_table(field_keys)
        self._wanted_raw = wanted_raw
        self._fetch_details = fetch_details
        self._needs = needs or Needs.everything()
        self._phones = phones
        self._ledger_read = False
        """No salary page is still to come (the ledger is read, refused, or not needed)."""
        self.gaps: tuple[Gap, ...] = ()

    @property
    def keys(self) -> Mapping[str, str]:
        """The raw key of each role: the defaults with the config's ``field_keys``."""
        return self._keys

    async def preflight(self) -> None:
        """One cheap request that proves the credentials: ``GET /company``."""
        await self.client.company()

    def status(self) -> str | None:
        """What the read waits for, in words, while CharlieHR rate-limits it (for progress)."""
        return self.client.status()

    async def read(self, early: Early | None = None) -> tuple[Employee, ...]:
        """Read members and the lists the config needs concurrently, then normalise.

        The salary list is the longest read (a ledger of every pay change): members
        are normalised and their work emails checked while it arrives, and only the
        salary join is left for the end. Then the fields no record gave anyone
        become gaps (:mod:`reconciler.sources.charliehr.coverage`).

        While the first pages travel, a thread loads the tables normalising reads on
        first use (:func:`_load_tables`). Not during the preflight: there its work
        outlasted the one request in flight and held up that answer, and so every
        read, by 100 ms (bench/e2e.py).

        ``early`` is handed the employees as the read has them so far, once the members
        are normalised and then as salary pages arrive (:mod:`.early`), for work that
        only saves time; the result may differ, and only the result counts.
        """
        gaps: list[Gap] = []
        joins = None if early is None else EarlyJoins(self._keys, self._today, early)
        self._ledger_read = not self._needs.fields.get("salaries")
        if joins is not None:
            self.client.watch("salaries", joins.page)
        try:
            (profiles, found_gaps), salaries, _ = await all_or_nothing(
                self._profiles(gaps, joins),
                self._optional("salaries", gaps),
                asyncio.to_thread(_load_tables),
            )
        finally:
            self.client.watch("salaries", None)
        if self._needs.fields.get("salaries") and profiles and not salaries and not gaps_of(gaps):
            # A key without salary access may be answered with an empty ledger.
            self._no_access(
                "salaries", f"answered an empty list while {len(profiles)} team members exist", gaps
            )
        gaps += found_gaps
        gaps += salary_gaps(salaries, self._keys)
        self.gaps = tuple(gaps)
        pay = salaries_in_force(salaries, self._keys, self._today)
        if joins is not None:
            return joins.final(profiles, pay)
        return with_salaries(profiles, pay, self._keys)

    async def _profiles(
        self, gaps: list[Gap], joins: EarlyJoins | None = None
    ) -> tuple[list[Employee], list[Gap]]:
        """Every member normalised, save for the salary fields, a slice per loop turn,
        with the member fields no record gave (:func:`member_gaps`); then, with
        ``joins``, handed out joined with the salaries read so far.

        The members as CharlieHR sent them are not returned: they are let go of here,
        while the salary pages are still arriving, not at the end of the read; at
        100,000 employees the plan's own work was made on top of them."""
        members, teams, offices = await all_or_nothing(
            self.client.team_members(),
            self._optional("teams", gaps),
            self._optional("offices", gaps),
        )
        if self._fetch_details:
            ids = [str(m.get(self._keys["id"])) for m in members]
            details = await self.client.team_member_details(ids)
            members = [{**m, **d} for m, d in zip(members, details, strict=True)]
        found = lookups(RawCompany(members, (), teams, offices), self._keys)

        def checked_profile(member: Json) -> Employee:
            made = profile(member, found, self._keys, self._today, self._wanted_raw)
            identifier = normal_identifier(made.work_email)
            if identifier is not None:
                identifier_problem(identifier)  # cached: the engine's check is then free
            if self._phones and made.mobile_phone is not None:
                to_e164(made.mobile_phone)  # cached likewise
            return made

        profiles = await map_in_turns(checked_profile, members)
        found_gaps = member_gaps(profiles, members, self._keys, detail_view=self._fetch_details)
        if joins is not None:
            await joins.start(profiles, ledger_read=self._ledger_read)
        return profiles, found_gaps

    async def _optional(self, path: str, gaps: list[Gap]) -> Sequence[Json]:
        """A list the config may need; no access to it leaves its fields unread unless asked for."""
        fields = self._needs.fields.get(path)
        if not fields:
            return []
        try:
            return await self.client.list_all(path)
        except AccessDeniedError as refused:
            self._no_access(path, refused.answer, gaps)
            return []
        finally:
            if path == "salaries":
                self._ledger_read = True

    def _no_access(self, path: str, answer: str, gaps: list[Gap]) -> None:
        """Record an endpoint this key may not read; an error when the config names its fields."""
        fields = self._needs.fields[path]
        permission = permission_of(path)
        remedy = f"ask a CharlieHR Super Admin for a key with access to {permission}"
        if path in self._needs.explicit:
            raise AccessDeniedError(
                f"{API} GET /{path} {answer}: the API key has no access to {permission}; the "
                f"config asks for {', '.join(fields)}, which come from it",
                endpoint=path,
                remedy=f"{remedy}, or take those fields out of the config",
            )
        them = "it" if len(fields) == 1 else "them"
        message = (
            f"{API} GET /{path} {answer}: this API key has no access to {permission}, so "
            f"{', '.join(fields)} {'is' if len(fields) == 1 else 'are'} left unchanged in "
            "Ledgy for everyone"
        )
        gaps.append(
            Gap(fields, "endpoint_refused", f"GET /{path}", message, f"{remedy} to sync {them}")
        )


def _load_tables() -> None:
    """What the first answers would otherwise load in one block: the identity checks'
    tables, the country table and the phone number rules."""
    load_tables()
    load_table()
    load_rules()


def gaps_of(gaps: Sequence[Gap], path: str = "salaries") -> bool:
    """True when an endpoint is already among the gaps."""
    return any(gap.endpoint == f"GET /{path}" for gap in gaps)


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
    secrets: HRSecrets,
    *,
    today: date,
    transport: httpx.AsyncBaseTransport | None = None,
    base_url: str | None = None,
    policy: RetryPolicy | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> CharlieHRSource:
    """Build the source a config describes, with the key pair the run resolved.

    ``clock`` and ``sleep`` are what every wait of the read (pacing, retries, the read's
    deadline) reads and waits by: a test's fake time, shared with an emulator's rate
    limit, waits out a rate limit without waiting in real time.
    """
    hris = loaded.config.hris
    credentials = Credentials(
        secrets.client_id,
        secrets.client_secret,
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
        requests_per_second=hris.requests_per_second,
        page_size=hris.page_size,
        read_deadline=hris.read_deadline_seconds,
        clock=clock,
        sleep=sleep,
    )
    return CharlieHRSource(
        client,
        today=today,
        field_keys=hris.field_keys,
        wanted_raw=raw_keys_read(loaded.config),
        fetch_details=hris.fetch_details,
        needs=needs_of(loaded.config.stakeholders),
        phones="mobile_phone" in loaded.config.stakeholders.optional_fields,
    )

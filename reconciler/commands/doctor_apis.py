"""``reconciler doctor --apis CONFIG``: the first-contact report, before the first real run.

With the real credentials, a handful of requests whatever the company's size: the
first page of every CharlieHR list the config needs (100 items asked), the end of
the shortest list and one page past it, what the Ledgy key's account offers, and
(workbook driver) the export's header row. It prints, per endpoint, the keys seen
with their JSON types and fill rates, never a value; which roles resolve, with the
``field_keys`` lines to add; how lists page and end; the largest page size honoured;
and the verdict. ``--out FILE`` writes the same as JSON, fit for a bug report.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from reconciler import concurrency
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import hr_secrets
from reconciler.domain.contact import (
    ContactReport,
    EndpointSample,
    Finding,
    LedgyContact,
    Paging,
    RoleFound,
)
from reconciler.engine.contact import verdict
from reconciler.errors import ReconcilerError, SourceError
from reconciler.pipeline import today
from reconciler.render.escape import json_text
from reconciler.render.first_contact import render_contact
from reconciler.sources.charliehr import contact
from reconciler.sources.charliehr.coverage import roles_found
from reconciler.sources.charliehr.source import CharlieHRSource, charliehr_source, needs_of
from reconciler.targets.ledgy.contact import api_contact, workbook_contact


class HRContact(NamedTuple):
    """What CharlieHR said, or why it could not be asked."""

    endpoints: tuple[EndpointSample, ...] = ()
    roles: tuple[RoleFound, ...] = ()
    paging: Paging | None = None
    failure: Finding | None = None


async def first_contact(loaded: LoadedConfig) -> ContactReport:
    """Ask both systems, then judge what they said against the config."""
    source = charliehr_source(loaded, hr_secrets(loaded), today=today())
    async with source.client:
        hr = await _charliehr(source, loaded)
    ledgy, ledgy_failure = await _ledgy(loaded)
    found = verdict(loaded.config, hr.endpoints, hr.roles, hr.paging, ledgy)
    failures = tuple(f for f in (hr.failure, ledgy_failure) if f is not None)
    if failures:  # the verdict judged what could be asked: a side not asked is not "as expected"
        found = tuple(f for f in found if f.level != "ok")
    return ContactReport(hr.endpoints, hr.roles, hr.paging, ledgy, failures + found)


async def _charliehr(source: CharlieHRSource, loaded: LoadedConfig) -> HRContact:
    client = source.client
    try:
        await client.company()
    except SourceError as refused:
        return HRContact(failure=Finding("error", refused.message, refused.remedy))
    paths = ["team_members", *needs_of(loaded.config.stakeholders).fields]
    sampled = await contact.samples(client, paths)
    records = {"team_member": sampled["team_members"].records}
    if "salaries" in sampled:
        records["salary"] = sampled["salaries"].records
    roles = roles_found(records, source.keys)
    paging = await contact.paging(client, sampled)
    return HRContact(tuple(s.sample for s in sampled.values()), tuple(roles), paging)


async def _ledgy(loaded: LoadedConfig) -> tuple[LedgyContact | None, Finding | None]:
    try:
        if loaded.config.ledgy.driver == "api":
            return await api_contact(loaded), None
        return workbook_contact(loaded), None
    except ReconcilerError as failure:
        return None, Finding("error", f"Ledgy: {failure.message}", failure.remedy)


def doctor_apis(config: Path, *, out: Path | None) -> int:
    """Print the first-contact report (and write it as JSON); exit 1 when a run would stop."""
    loaded = load_config(config)
    report = concurrency.run(first_contact(loaded))
    print(render_contact(report, loaded.display_path), end="")
    if out is not None:
        out.write_text(json_text(report.to_dict()) + "\n", encoding="utf-8")
        print(f"wrote {out}: attach it to a bug report as it is; it holds no personal value")
    return 1 if report.failed else 0

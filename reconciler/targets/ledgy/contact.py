"""First contact with Ledgy: what the key's account says of itself, and the export's columns.

For ``reconciler doctor --apis``. The api driver: the key's company (``auth``) and
whether the schema offers the operations the driver uses (introspection, refused or
not). The workbook driver: the export's header row only, matched against the config
(no cell below it is read). Names only, never a value.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from reconciler.config.load import LoadedConfig
from reconciler.config.secrets import ledgy_key
from reconciler.domain.contact import LedgyContact
from reconciler.errors import MissingSecretError, TargetError
from reconciler.targets.ledgy.headers import export_columns
from reconciler.targets.ledgy.probe import (
    INTROSPECTION,
    offered,
    refuses_introspection,
)
from reconciler.targets.ledgy.target import ledgy_api_target
from reconciler.targets.ledgy.workbook import export_file, header_row


async def api_contact(
    loaded: LoadedConfig, environ: Mapping[str, str] | None = None
) -> LedgyContact:
    """Ask the account which company the key is for and what its schema offers."""
    key = ledgy_key(loaded, environ)
    if isinstance(key, MissingSecretError):
        raise key
    if key is None:  # the model requires it for the api driver
        raise TargetError("ledgy.api_key is not set")
    target = ledgy_api_target(loaded, key)
    client = target.client
    try:
        probe, auth = await asyncio.gather(
            client.query(INTROSPECTION, {}, "Probe"), client.auth(), return_exceptions=True
        )
    finally:
        await target.aclose()
    if isinstance(auth, BaseException):
        raise auth
    _, company = auth
    if isinstance(probe, TargetError) and refuses_introspection(probe):
        return LedgyContact("api", company, introspection="refused")
    if isinstance(probe, BaseException):
        raise probe
    schema = probe.get("__schema")
    given = offered(schema) if isinstance(schema, dict) else set()
    missing = tuple(sorted(client.root_fields() - given))
    return LedgyContact("api", company, missing, "allowed")


def workbook_contact(
    loaded: LoadedConfig, environ: Mapping[str, str] | None = None
) -> LedgyContact:
    """The export's header row against the config: columns matched, unknown and missing."""
    found = export_columns(header_row(export_file(loaded, environ)), loaded.config)
    return LedgyContact(
        "workbook",
        columns_matched=dict(found.matched),
        columns_unknown=found.unmatched,
        columns_missing=found.missing,
    )

"""What this Ledgy account's API offers, asked before anything else.

Ledgy's published API is read-only (``auth``, ``companyCaptable``,
``companyTransactions``). The API driver needs stakeholder reads and writes that
Ledgy does not publish, so a plan first asks the schema itself (introspection)
whether the root fields our operations use exist, and stops at once if not.
An account that refuses introspection (GraphQL servers can turn it off) cannot
tell: the driver stops and points to the workbook driver. The cap table
(published) also tells which stakeholders hold equity: enough to notice an export
older than Ledgy.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reconciler.concurrency import settled
from reconciler.config.secrets import Secret
from reconciler.errors import TargetError
from reconciler.targets.ledgy.client import LedgyClient

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

INTROSPECTION = (
    "query Probe { __schema { queryType { fields { name } } mutationType { fields { name } } } }"
)
CAPTABLE = (
    "query Captable($groupBy: [CaptableGroupBy!]) { companyCaptable(groupBy: $groupBy) "
    "{ rows { stakeholderId stakeholderType } } }"
)
DRIVERS_DOC = "README: 'Ledgy: which driver works with my account today' (docs/ledgy-drivers.md)"
UNDESCRIBED_DOC = "docs/ledgy-drivers.md, 'An account that does not describe its API'"
REFUSAL_MARKS = ("introspection", "__schema")
"""Words of every refusal seen: graphql-core's and graphql-js's NoSchemaIntrospectionCustomRule
("GraphQL introspection has been disabled, but the requested query contained the
field '__schema'"), Apollo Server's ("GraphQL introspection is not allowed by Apollo
Server…"), and a schema without the field ("Cannot query field '__schema'…")."""
LEGAL_MARKS = (
    "legal", "entity", "company", "corporat", "organi", "fund", "institution", "trust",
    "partnership", "llc", "gmbh",
)  # fmt: skip
"""Words that make a ``stakeholderType`` a legal entity (see :func:`is_legal_entity`)."""


def offered(schema: dict[str, object]) -> set[str]:
    """Root query and mutation field names from an introspection answer."""
    names: set[str] = set()
    for root in ("queryType", "mutationType"):
        kind = schema.get(root)
        if isinstance(kind, dict):
            names |= {str(f.get("name")) for f in kind.get("fields") or [] if isinstance(f, dict)}
    return names


def check_offered(needed: frozenset[str], schema: dict[str, object]) -> None:
    """Stop with the workbook advice when the account lacks fields the driver needs."""
    missing = sorted(needed - offered(schema))
    if missing:
        raise TargetError(
            "this Ledgy account's API offers no stakeholder writes; use `driver: workbook` "
            f"(the schema has no {', '.join(missing)}); nothing was read or written",
            remedy=f"set ledgy.driver: workbook in company.yaml; see {DRIVERS_DOC}",
        )


def refuses_introspection(error: TargetError) -> bool:
    """True when a failed introspection says the server does not allow it."""
    text = error.message.casefold()
    return any(mark in text for mark in REFUSAL_MARKS)


def described_schema(answer: Mapping[str, object] | BaseException) -> dict[str, object] | None:
    """The introspected schema from the probe's result (``None``: not given).

    An account that refuses introspection stops the api driver with the workbook
    advice: what it offers cannot be known before reading or writing.
    """
    if isinstance(answer, TargetError) and refuses_introspection(answer):
        refusal = answer  # our error, its server text already reduced by the client
        logger.debug("Ledgy refused introspection: %s", refusal.message)
        raise TargetError(
            "this Ledgy account does not describe its API (introspection is refused), so "
            "the api driver cannot tell whether it offers stakeholder reads and writes; use "
            "`driver: workbook`; nothing was read or written",
            remedy=f"set ledgy.driver: workbook in company.yaml; see {UNDESCRIBED_DOC}",
        ) from None
    schema = settled(answer).get("__schema")
    return schema if isinstance(schema, dict) else None


def is_legal_entity(kind: object) -> bool:
    """Whether a cap-table row's ``stakeholderType`` is a legal entity.

    Ledgy does not document the value set (its help knows natural persons and legal
    entities). Liberal on purpose: any value naming an entity, company, fund,
    organisation or the like (in any case or spelling: ``legalEntity``,
    ``LEGAL_ENTITY``, "Legal entity") counts as one; no value, and anything else
    (``naturalPerson``, "individual"), counts as a natural person, so a person the
    export lacks is still noticed.
    """
    if not isinstance(kind, str):
        return False
    folded = "".join(ch for ch in unicodedata.normalize("NFKC", kind).casefold() if ch.isalnum())
    return any(mark in folded for mark in LEGAL_MARKS)


async def captable_stakeholders(client: LedgyClient) -> set[str]:
    """Ids of the natural persons on the cap table (published API), to date an export.

    The natural-person export never holds legal entities (funds, companies), so
    they are left out of the comparison.
    """
    data = await client.query(CAPTABLE, {"groupBy": ["stakeholderName"]}, "Captable")
    rows = (data.get("companyCaptable") or {}).get("rows") or []
    return {
        str(r["stakeholderId"])
        for r in rows
        if isinstance(r, dict) and r.get("stakeholderId")
        if not is_legal_entity(r.get("stakeholderType"))
    }


@dataclass(frozen=True)
class Freshness:
    """Ask Ledgy's published cap table which stakeholders exist (workbook driver)."""

    url: str
    key: Secret
    key_variable: str

    async def stakeholder_ids(self) -> set[str]:
        """The cap table's stakeholder ids."""
        async with LedgyClient(self.url, self.key, None, key_variable=self.key_variable) as client:
            return await captable_stakeholders(client)


def older_export_warning(on_captable: set[str], in_export: set[str]) -> str | None:
    """A warning when Ledgy holds natural persons the export does not (``None`` when fine)."""
    missing = on_captable - in_export
    if not missing:
        return None
    return (
        f"the Ledgy export is older than Ledgy: {len(missing)} natural persons on Ledgy's "
        "cap table are not in it; download a fresh export (Stakeholders > Bulk Edit > Natural "
        "person > Download) and run `reconciler ledgy-state update`"
    )

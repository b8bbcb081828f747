"""What this Ledgy account's API offers, asked before anything else.

Ledgy's published API is read-only (``auth``, ``companyCaptable``,
``companyTransactions``). The API driver needs stakeholder reads and writes that
Ledgy does not publish, so a plan first asks the schema itself (introspection)
whether the root fields our operations use exist, and stops at once if not.
The cap table (published) also tells which stakeholders hold equity: enough to
notice an export older than Ledgy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphql import OperationDefinitionNode
from graphql.language import ast

from reconciler.config.secrets import Secret
from reconciler.errors import TargetError
from reconciler.targets.ledgy.client import LedgyClient
from reconciler.targets.ledgy.operations import Operations, load_operations

INTROSPECTION = (
    "query Probe { __schema { queryType { fields { name } } mutationType { fields { name } } } }"
)
CAPTABLE = (
    "query Captable($groupBy: [CaptableGroupBy!]) { companyCaptable(groupBy: $groupBy) "
    "{ rows { stakeholderId } } }"
)
DRIVERS_DOC = "README: 'Ledgy: which driver works with my account today' (docs/ledgy-drivers.md)"


def root_fields(operations: Operations) -> set[str]:
    """The root fields the operations select (what the account must offer)."""
    return {name for op in operations.by_name.values() for name in _roots(op)}


def _roots(operation: OperationDefinitionNode) -> Iterable[str]:
    for selection in operation.selection_set.selections:
        if isinstance(selection, ast.FieldNode):
            yield selection.name.value


def offered(schema: dict[str, object]) -> set[str]:
    """Root query and mutation field names from an introspection answer."""
    names: set[str] = set()
    for root in ("queryType", "mutationType"):
        kind = schema.get(root)
        if isinstance(kind, dict):
            names |= {str(f.get("name")) for f in kind.get("fields") or [] if isinstance(f, dict)}
    return names


def check_offered(needed: set[str], schema: dict[str, object]) -> None:
    """Stop with the workbook advice when the account lacks fields the driver needs."""
    missing = sorted(needed - offered(schema))
    if missing:
        raise TargetError(
            "this Ledgy account's API offers no stakeholder writes; use `driver: workbook` "
            f"(the schema has no {', '.join(missing)}); nothing was read or written",
            remedy=f"set ledgy.driver: workbook in company.yaml; see {DRIVERS_DOC}",
        )


async def captable_stakeholders(client: LedgyClient) -> set[str]:
    """Ids of the stakeholders on the cap table (published API), to date an export."""
    data = await client.query(CAPTABLE, {"groupBy": ["stakeholderName"]}, "Captable")
    rows = (data.get("companyCaptable") or {}).get("rows") or []
    return {str(r["stakeholderId"]) for r in rows if isinstance(r, dict) and r.get("stakeholderId")}


@dataclass(frozen=True)
class Freshness:
    """Ask Ledgy's published cap table which stakeholders exist (workbook driver)."""

    url: str
    key: Secret
    key_variable: str

    async def stakeholder_ids(self) -> set[str]:
        """The cap table's stakeholder ids."""
        async with LedgyClient(
            self.url, self.key, load_operations(), key_variable=self.key_variable
        ) as client:
            return await captable_stakeholders(client)


def older_export_warning(on_captable: set[str], in_export: set[str]) -> str | None:
    """A warning when Ledgy holds stakeholders the export does not (``None`` when fine)."""
    missing = on_captable - in_export
    if not missing:
        return None
    return (
        f"the Ledgy export is older than Ledgy: {len(missing)} stakeholders on Ledgy's cap "
        "table are not in it; download a fresh export (Stakeholders > Bulk Edit > Natural "
        "person > Download) and run `reconciler ledgy-state update`"
    )

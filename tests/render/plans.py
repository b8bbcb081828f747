"""Small hand-made plans that hold one of everything a renderer shows."""

from __future__ import annotations

from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.pending import Awaiting
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import Change, FieldChange, Orphan, PlanWarning, Skip

CREATE = Change(
    "create",
    "ada@acme.test",
    "Ada Lovelace",
    (FieldChange("group", None, "Employees"), FieldChange("address.city", None, "London", True)),
)
UPDATE = Change(
    "update",
    "bo@acme.test",
    "Bo Li",
    (FieldChange("name", "Bo", "Bo Li"), FieldChange("pay_rate", 1, 2, personal=True)),
    "sh_2",
)
ADOPTED = Change(
    "update", "cy@acme.test", "Cy", (FieldChange("identifier", None, "cy@acme.test"),), "sh_3", True
)
NO_ID = Change("update", "di@acme.test", "Di", (FieldChange("team", "A", "B"),))


def plan(
    changes: tuple[Change, ...] = (),
    *,
    skipped: tuple[Skip, ...] = (),
    warnings: tuple[PlanWarning, ...] = (),
    orphaned: tuple[Orphan, ...] = (),
    unchanged: int = 2,
) -> Plan:
    """A plan of these parts, on fixed inputs."""
    return Plan(
        changes,
        unchanged,
        skipped,
        warnings,
        orphaned,
        Fingerprints("s", "t", "c"),
        Counts(3, 3, 3),
        key=SANDBOX_KEY,
    )


EVERYTHING = plan(
    (CREATE, UPDATE, ADOPTED, NO_ID),
    skipped=(
        Skip("tm_9", None, "missing_identifier", "no work email"),
        Skip("tm_8", "ed@acme.test", "sync_if", "rule 0"),
    ),
    warnings=(
        PlanWarning(None, "approvals_off", "every plan warns"),
        PlanWarning("bo@acme.test", "invalid_mobile", "no code", "tm_2"),
    ),
    orphaned=(Orphan("old@acme.test", "sh_7", "left"),),
)


WAITING = Awaiting(
    "08f2ab12cd34",
    "hmac-sha256:" + "0" * 64,
    "2026-11-25T10:30Z",
    "ledgy-upload/08f2ab12cd34.tar.age",
    "https://github.com/acme/people/actions/runs/4242",
    ("ada@acme.test", "bo@acme.test"),
    (("cy@acme.test", "sh_17", ("group",)),),
)
"""An open prepared upload: two people to create, one to update."""

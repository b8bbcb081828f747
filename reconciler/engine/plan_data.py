"""A saved plan's data read back into a plan, to be shown again by the renderers. Pure.

The inverse of :meth:`Plan.to_dict` for what a saved plan file holds: masked values
stay masked (a masked field is a personal one), dates stay ISO text, and the
checksum is the saved one. Nothing is hashed again: showing a saved plan needs no
plan key, and the key that made it may not be at hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.domain.gaps import Gap
from reconciler.engine.canonical import PlanKey
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import Change, Conflict, FieldChange, Orphan, PlanWarning, Skip
from reconciler.errors import PlanFileError

SHOWN = PlanKey(b"", origin="a saved plan shown again (never hashed with this)")
"""The key of a plan read back: its checksum is the saved one, its digests unused."""


def plan_of_saved(data: Mapping[str, Any], *, where: str) -> Plan:
    """The plan a saved plan file's data describes, or a :class:`PlanFileError`."""
    try:
        plan = _plan(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PlanFileError(
            f"{where}: the saved plan is damaged ({type(error).__name__}: {error})",
            remedy="the file was edited or truncated; plan and save again",
        ) from None
    # The saved checksum is the one reviewed; a plan rebuilt from masked values
    # would hash to another.
    object.__setattr__(plan, "checksum", str(data["checksum"]))
    return plan


def _plan(data: Mapping[str, Any]) -> Plan:
    inputs = data["inputs"]
    return Plan(
        changes=tuple(_change(c) for c in data["changes"]),
        unchanged=int(data["summary"]["unchanged"]),
        skipped=tuple(_skip(s) for s in data.get("skipped", [])),
        warnings=tuple(_warning(w) for w in data.get("warnings", [])),
        orphaned=tuple(Orphan(**o) for o in data.get("orphaned", [])),
        fingerprints=Fingerprints(inputs["source"], inputs["target"], inputs["config"]),
        counts=Counts(inputs["employees"], inputs["stakeholders"], inputs["identified"]),
        key=SHOWN,
        unread=tuple(_gap(g) for g in data.get("unread", [])),
        conflicts=tuple(_conflict(c) for c in data.get("conflicts", [])),
    )


def _change(data: Mapping[str, Any]) -> Change:
    return Change(
        action=data["action"],
        identifier=data["identifier"],
        name=data["name"],
        fields=tuple(_field(name, f) for name, f in data["fields"].items()),
        stakeholder_id=data.get("stakeholder_id"),
        adopted=bool(data.get("adopted", False)),
        pinned=bool(data.get("pinned", False)),
        from_group=data.get("adopted_from_group"),
    )


def _skip(data: Mapping[str, Any]) -> Skip:
    return Skip(
        data["employee_id"],
        data.get("identifier"),
        data["reason"],
        data["detail"],
        data.get("rule"),
    )


def _warning(data: Mapping[str, Any]) -> PlanWarning:
    return PlanWarning(
        data.get("identifier"), data["code"], data["message"], data.get("employee_id")
    )


def _field(name: str, data: Mapping[str, Any]) -> FieldChange:
    return FieldChange(
        name,
        data["old"],
        data["new"],
        personal=bool(data.get("masked", False)),
        conflict=bool(data.get("conflict", False)),
        removed=bool(data.get("removed", False)),
    )


def _conflict(data: Mapping[str, Any]) -> Conflict:
    return Conflict(
        identifier=data["identifier"],
        stakeholder_id=data["stakeholder_id"],
        name=data["name"],
        field=data["field"],
        ledgy=data["ledgy"],
        hr=data["hr"],
        policy=data["policy"],
        personal=bool(data.get("masked", False)),
    )


def _gap(data: Mapping[str, Any]) -> Gap:
    return Gap(
        fields=tuple(data["fields"]),
        reason=data["reason"],
        endpoint=data["endpoint"],
        message=data["message"],
        remedy=data["remedy"],
        key=data.get("key"),
        looks_like=tuple(data.get("looks_like", ())),
        field_keys=tuple(dict(data.get("field_keys", {})).items()),
    )

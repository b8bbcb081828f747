"""Field-level diff of one stakeholder: the only module that imports deepdiff. Pure.

Only the fields the config manages are compared, so fields Ledgy owns are never
touched. deepdiff's report is turned at once into our own :class:`FieldChange`
values; no deepdiff object or path format leaves this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from reconciler.domain.stakeholder import Value
from reconciler.engine.values import FieldChange


def comparable(value: Value) -> Value:
    """Blank text is no value; whitespace runs are one space; numbers are floats."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, bool | date):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def field_changes(
    current: Mapping[str, Value], desired: Mapping[str, Value], personal: frozenset[str]
) -> tuple[FieldChange, ...]:
    """The managed fields whose current value differs from the desired one, by name."""
    # Most fields are equal as they stand; only the rest need normalising and diffing.
    suspects = [key for key, value in desired.items() if current.get(key) != value]
    old = {key: comparable(current.get(key)) for key in suspects}
    new = {key: comparable(desired[key]) for key in suspects}
    if old == new:
        return ()
    # Imported on the first difference: comparable() is needed before a run's first
    # request (the record of applied values), deepdiff only to plan (see
    # reconciler.commands.plan.planning_imports).
    from deepdiff import DeepDiff

    report = DeepDiff(old, new, view="tree")
    changed = {
        str(level.path(output_format="list")[0]) for levels in report.values() for level in levels
    }
    return tuple(
        FieldChange(key, current.get(key), desired[key], key in personal) for key in sorted(changed)
    )


def load_deepdiff() -> None:
    """Import deepdiff, as the first difference would (for a thread that imports ahead)."""
    from deepdiff import DeepDiff  # noqa: F401 - imported for later

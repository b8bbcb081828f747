"""Which input of a reviewed plan changed since the review: the config, HR, or Ledgy. Pure.

A plan's checksum covers the fingerprint of each input (:class:`Fingerprints`). A
saved plan file keeps them, so when the plan now differs from the saved one, the
fingerprints say which input moved: a config pushed after the review is not "HR
data changed". Only a checksum (``--checksum``, the plan comment) cannot say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.engine.approval import Approved
from reconciler.engine.plan import Fingerprints

INPUTS = (("config", "the config"), ("source", "the HR data"), ("target", "the Ledgy data"))
"""Each fingerprint of a plan, and how a message names its input."""
UNKNOWN = "the HR data, the Ledgy data or the config changed since the review"


@dataclass(frozen=True)
class SavedApproval(Approved):
    """An approval read from a saved plan file, with the fingerprints of its inputs."""

    inputs: Mapping[str, str] = field(default_factory=dict)


def with_inputs(approved: Approved, data: Any) -> Approved:
    """The approval with the saved plan's input fingerprints, when the data has them."""
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, dict):
        return approved
    known = {name: str(inputs[name]) for name, _ in INPUTS if isinstance(inputs.get(name), str)}
    return SavedApproval(
        approved.checksum, approved.where, approved.summary, approved.digests, known
    )


def what_changed(approved: Approved, now: Fingerprints) -> str:
    """``the config changed since the review (the HR and Ledgy data are as reviewed)``, or
    the generic clause when the approval does not keep the fingerprints.

    The HR and Ledgy fingerprints are of the data as the config reads it (the values it
    maps, the fields it manages): after a config change they move with it, so then
    they cannot say whether HR or Ledgy changed as well.
    """
    inputs = approved.inputs if isinstance(approved, SavedApproval) else {}
    if {name for name, _ in INPUTS} - set(inputs):
        return UNKNOWN
    moved = {name for name, _ in INPUTS if inputs[name] != getattr(now, name)}
    if "config" in moved:
        if moved == {"config"}:
            return "the config changed since the review (the HR and Ledgy data are as reviewed)"
        return (
            "the config changed since the review, and with it what it reads from the HR and "
            "Ledgy data (whether those changed too cannot be told apart)"
        )
    if not moved:  # same inputs, another plan: a newer reconciler or another key
        return "none of its inputs changed since the review, but the plan did"
    said = [text for name, text in INPUTS if name in moved]
    kept = [text for name, text in INPUTS if name not in moved]
    verb = "is" if len(kept) == 1 else "are"
    return (
        f"{' and '.join(said)} changed since the review ({' and '.join(kept)} {verb} as reviewed)"
    )

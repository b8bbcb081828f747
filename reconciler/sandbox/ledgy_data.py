"""A Ledgy company as the emulator holds it: what a sandbox ``ledgy.json`` says.

The GraphQL emulator (:mod:`reconciler.sandbox.ledgy`) and its workbook routes
(:mod:`reconciler.sandbox.ledgy_workbook`) both serve it, so it sits below both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reconciler.domain.json import Json
from reconciler.errors import SandboxError

ExportHeaders = Literal["ours", "aliased", "no-hr", "no-key"]
"""How the export spells its columns (``ledgy.Behaviour.export_headers``)."""


@dataclass
class LedgyData:
    """A Ledgy company as a sandbox ``ledgy.json`` holds it."""

    company: Json
    custom_fields: list[str] = field(default_factory=list)
    stakeholders: list[Json] = field(default_factory=list)
    transactions: list[Json] = field(default_factory=list)
    """Grants: ``{id, stakeholder_id, date, granted, vested, share_class, plan, name}``."""

    @classmethod
    def empty(cls, name: str) -> LedgyData:
        """A company with no stakeholders (a missing ``ledgy.json``)."""
        return cls({"id": "co_sandbox", "name": name})

    @classmethod
    def load(cls, path: Path) -> LedgyData:
        """Read a sandbox ``ledgy.json``."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                dict(raw["company"]),
                list(raw.get("custom_fields", [])),
                list(raw.get("stakeholders", [])),
                list(raw.get("transactions", [])),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SandboxError(
                f"{path}: not a Ledgy sandbox file ({type(error).__name__})",
                remedy="it needs company {id, name}, custom_fields and stakeholders "
                "(docs/cli.md, Sandbox directories)",
            ) from None

    def dump(self, path: Path) -> None:
        """Write a sandbox ``ledgy.json``."""
        body = {
            "company": self.company,
            "custom_fields": self.custom_fields,
            "stakeholders": self.stakeholders,
            **({"transactions": self.transactions} if self.transactions else {}),
        }
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def stakeholder_record(values: Mapping[str, object]) -> Json:
    """A ``ledgy.json`` stakeholder with every key present (for generators and tests)."""
    empty = dict.fromkeys(("id", "email", "identifier", "birthdate", "nationality", "group"))
    base: Json = {**empty, "type": "naturalPerson", "name": "", "address": {}}
    return base | {"custom_fields": {}, "hris": {}} | dict(values)

"""What ``doctor --apis`` found on first contact with the real APIs: names, types, counts.

Every value here is a key or column name, a JSON type, a count, an endpoint or an
answer's status: never a record's value, so the report can be attached to a bug
report as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from reconciler.domain.json import Json

Level = Literal["ok", "warning", "error", "info"]


@dataclass(frozen=True, slots=True)
class KeySeen:
    """One key of an endpoint's first page: on how many records, filled how often, as what."""

    key: str
    present: int
    filled: int
    types: tuple[str, ...]
    """JSON types of its filled values, the most common first."""


@dataclass(frozen=True, slots=True)
class EndpointSample:
    """The first page of one endpoint, asked for with a large page size."""

    endpoint: str
    answer: str
    """``ok``, or how it refused (``answered 403``, ``said success: false``, …)."""
    records: int = 0
    asked: int = 0
    """The page size asked for."""
    more: bool = False
    """Whether more pages follow this one."""
    meta_keys: tuple[str, ...] = ()
    keys: tuple[KeySeen, ...] = ()
    keys_left_out: int = 0
    """Keys of the records not listed: past a cap, the ones on fewest records."""


@dataclass(frozen=True, slots=True)
class RoleFound:
    """How one raw-key role resolved on the sampled records."""

    role: str
    key: str
    endpoint: str
    status: Literal["found", "absent", "wrong_type", "not_sampled"]
    seen: str | None = None
    """``text, filled on 18 of 20 records`` when found."""
    looks_like: tuple[str, ...] = ()
    field_keys: str | None = None
    """The suggested ``hris.field_keys`` entry, e.g. ``{manager: manager}``."""


@dataclass(frozen=True, slots=True)
class Paging:
    """How one list was paged and how it ended."""

    endpoint: str
    totals: tuple[str, ...]
    """The meta keys found that give totals, or echo the page and its size."""
    next_url: bool
    """Whether the first page gave ``meta.next_url``."""
    pages: int
    """Pages read to reach the end (0: the end was not reached)."""
    past_end: str | None
    """What a page past the end answered: ``empty``, ``404``, ``the last page again``, …"""
    page_size: int | None
    """The largest page size the server honoured (``None``: the list was too short to tell)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report's verdict, with what to do."""

    level: Level
    what: str
    remedy: str | None = None


@dataclass(frozen=True)
class LedgyContact:
    """What Ledgy said: the key's company, the operations offered, the export's columns."""

    driver: str
    company: str | None = None
    operations_missing: tuple[str, ...] = ()
    introspection: Literal["allowed", "refused", "not_asked"] = "not_asked"
    columns_matched: dict[str, str] = field(default_factory=dict)
    columns_unknown: tuple[str, ...] = ()
    columns_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactReport:
    """Everything ``doctor --apis`` found, and its verdict."""

    endpoints: tuple[EndpointSample, ...]
    roles: tuple[RoleFound, ...]
    paging: Paging | None
    ledgy: LedgyContact | None
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> bool:
        """True when a finding stops a real run."""
        return any(f.level == "error" for f in self.findings)

    def to_dict(self) -> Json:
        """The report as JSON data (``doctor --apis --out``)."""
        return {
            "version": 1,
            "charliehr": {
                "endpoints": [asdict(e) for e in self.endpoints],
                "roles": [asdict(r) for r in self.roles],
                "paging": asdict(self.paging) if self.paging else None,
            },
            "ledgy": asdict(self.ledgy) if self.ledgy else None,
            "findings": [asdict(f) for f in self.findings],
        }

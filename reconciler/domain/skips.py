"""Why a plan leaves an employee alone: the reasons a skip may give.

The config names them (a rule test expects one) and the engine gives them, so they
live below both.
"""

from __future__ import annotations

SKIP_REASONS = (
    "sync_if",
    "terminated",
    "missing_identifier",
    "duplicate_identifier",
    "ambiguous_name_match",
    "duplicate_in_ledgy",
    "invalid_identifier",
    "suspect_match",
    "name_match_outside_groups",
    "name_match_not_adopted",
    "pinned_elsewhere",
)

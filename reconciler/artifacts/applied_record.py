"""The record of applied values, as the saved plan file next to the config holds it.

``company.yaml``'s saved plan is ``company.plan.json``; the sync pull request commits
it, so a fresh checkout on any runner has the record of the last plan merged. The
record is its ``applied`` part (:mod:`reconciler.engine.record`): keyed digests, no
value. No file, or a saved plan without a record (an older one), is no record: the
first run, where nothing is a conflict. A file that cannot be used is said in a
plan warning, never a reason to stop.
"""

from __future__ import annotations

import json
from pathlib import Path

from reconciler.engine.record import Record, Recorded, RecordError

MAX_BYTES = 256 * 1024 * 1024
"""A saved plan of 100,000 creates is about 100 MB; past this the file is not read."""


def saved_plan_file(config: Path) -> Path:
    """The saved plan file next to a config: ``company.yaml`` -> ``company.plan.json``."""
    return config.with_suffix(".plan.json")


def read_record(config: Path) -> Recorded:
    """The record in the config's saved plan file (none when there is no such file)."""
    path = saved_plan_file(config)
    where = str(path)
    try:
        if not path.is_file():
            return Recorded(where=where)
        if path.stat().st_size > MAX_BYTES:
            return Recorded(problem=f"larger than {MAX_BYTES // 2**20} MiB", where=where)
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return Recorded(problem=f"cannot be read: {error.strerror}", where=where)
    except ValueError:
        return Recorded(problem="not JSON; the file may be truncated", where=where)
    if not isinstance(data, dict) or "applied" not in data:
        return Recorded(where=where)
    try:
        return Recorded(Record.from_data(data["applied"]), where=where)
    except RecordError as error:
        return Recorded(problem=str(error), where=where)

"""The hostile corpus: each file states its case, expected exit code and message.

A file's first line reads ``# hostile case: <name> | exit <code> | <message part>``,
so the expectation travels with the data and a new case needs no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import DATA

HOSTILE = DATA / "hostile"
_HEADER = re.compile(rb"^# hostile case: (?P<name>[\w-]+) \| exit (?P<code>\d) \| (?P<needle>.+)$")


@dataclass(frozen=True)
class Case:
    """One hostile file and what the reconciler must answer."""

    path: Path
    code: int
    needle: str

    @property
    def name(self) -> str:
        return self.path.stem


def cases(folder: str, pattern: str = "*") -> list[Case]:
    """Every case in ``tests/data/hostile/<folder>``, checked to be named after itself."""
    found = []
    for path in sorted((HOSTILE / folder).glob(pattern)):
        first = path.read_bytes().split(b"\n", 1)[0]
        match = _HEADER.match(first)
        assert match is not None, f"{path.name}: no '# hostile case:' header"
        assert match["name"].decode() == path.stem, f"{path.name}: header names another case"
        found.append(Case(path, int(match["code"]), match["needle"].decode().strip()))
    return found

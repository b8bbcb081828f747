"""Where each key and value of a YAML file sits, so findings can name line and column."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ConfigPath = tuple[str | int, ...]
"""Where a value sits in a config, as keys and list indexes (``("hris", "provider")``);
not a file path."""


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column."""

    line: int
    col: int


START = Position(1, 1)


@dataclass(frozen=True)
class SourceMap:
    """Positions of every value and every mapping key, by their path in the document."""

    values: Mapping[ConfigPath, Position] = field(default_factory=dict)
    keys: Mapping[ConfigPath, Position] = field(default_factory=dict)
    containers: frozenset[ConfigPath] = frozenset()
    """Paths whose value is a mapping or a list: findings about them point at the key."""

    def value(self, path: ConfigPath) -> Position:
        """Position of the value at ``path``, or of its nearest located ancestor."""
        return self._nearest(path, self.values)

    def key(self, path: ConfigPath) -> Position:
        """Position of the key that holds ``path``, else of the value or an ancestor."""
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    def finding(self, path: ConfigPath, *, at_key: bool = False) -> Position:
        """Where a finding about ``path`` points: the key for a key or a container."""
        if at_key or path in self.containers:
            return self.key(path)
        return self.value(path)

    def holds(self, path: ConfigPath) -> bool:
        """Say whether the document has a value at ``path``."""
        return path in self.values

    @staticmethod
    def _nearest(path: ConfigPath, table: Mapping[ConfigPath, Position]) -> Position:
        for end in range(len(path), -1, -1):
            found = table.get(path[:end])
            if found is not None:
                return found
        return START


def dotted(path: ConfigPath) -> str:
    """Render ``('a', 'b', 0, 'c')`` as ``a.b[0].c``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text

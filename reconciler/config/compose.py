"""Compose YAML events into a node graph, within limits a hostile file cannot escape.

ruamel.yaml's own composer recurses once per nesting level (a file of ten
thousand ``[`` ends in ``RecursionError``) and lets an alias name a node that is
still open (a recursive alias, a merge into itself). This composer reads the
parser's events with an explicit stack, so it stops at :data:`MAX_DEPTH` levels,
refuses recursive aliases and a second document, and counts how many values
aliases add, so that a "billion laughs" file stops at the first alias that
blows the budget instead of after gigabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 40
"""Nesting levels a config may use; the deepest real config needs six."""

MAX_ALIAS_VALUES = 10_000
"""Values that aliases may add to the document by repeating what they name."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass(eq=False)
class Node:
    """A YAML node: a scalar, a sequence (``items``) or a mapping (``pairs``)."""

    kind: str
    """``scalar``, ``sequence`` or ``mapping``."""
    tag: str
    mark: Mark
    value: str = ""
    items: list[Node] = field(default_factory=list)
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    size: int = 1
    """How many values the node holds once every alias in it is expanded."""
    source: ScalarNode | None = field(default=None, repr=False)
    """For a scalar: ruamel's node, which its constructor turns into a value."""


class ComposeError(Exception):
    """The file is not YAML, or breaks a limit; carries a message and a mark."""

    def __init__(self, message: str, mark: Mark, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


def _mark(event: Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1)


@dataclass
class _Open:
    node: Node
    anchor: str | None
    key: Node | None = None
    """For a mapping: the key read, waiting for its value."""


class _Composer:
    def __init__(self, yaml: YAML) -> None:
        self._resolver = yaml.resolver
        self._anchors: dict[str, Node] = {}
        self._open: list[_Open] = []
        self._open_anchors: set[str] = set()
        self._added = 0
        self._first_alias: Mark | None = None
        self.root: Node | None = None
        self._documents = 0

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self._documents += 1
            if self._documents > 1:
                raise ComposeError(
                    "a second YAML document ('---') in the file",
                    _mark(event),
                    "a config is one document; remove the second '---' and what follows",
                )
        elif isinstance(event, ScalarEvent):
            self._scalar(event)
        elif isinstance(event, AliasEvent):
            self._alias(event)
        elif isinstance(event, CollectionStartEvent):
            self._start(event)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            self._end()

    def _tag(self, event: Any, kind: type[Any], value: str | None) -> Any:
        tag = event.ctag
        if tag is None or str(tag) == "!":
            return self._resolver.resolve(kind, value, event.implicit)
        return tag

    def _scalar(self, event: ScalarEvent) -> None:
        tag = self._tag(event, ScalarNode, event.value)
        source = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        node = Node("scalar", str(tag), _mark(event), event.value, source=source)
        self._name(event.anchor, node)
        self._add(node)

    def _start(self, event: Any) -> None:
        if len(self._open) >= MAX_DEPTH:
            raise ComposeError(
                f"nesting deeper than {MAX_DEPTH} levels",
                _mark(event),
                "a config is a few levels deep; check for runaway brackets or indentation",
            )
        sequence = isinstance(event, SequenceStartEvent)
        kind = SequenceNode if sequence else MappingNode
        tag = str(self._tag(event, kind, None))
        node = Node("sequence" if sequence else "mapping", tag, _mark(event))
        if event.anchor is not None:
            self._open_anchors.add(event.anchor)
        self._open.append(_Open(node, event.anchor))

    def _end(self) -> None:
        closing = self._open.pop()
        node = closing.node
        node.size = 1 + sum(n.size for n in node.items)
        node.size += sum(k.size + v.size for k, v in node.pairs)
        if closing.anchor is not None:
            self._open_anchors.discard(closing.anchor)
        self._name(closing.anchor, node)
        self._add(node)

    def _alias(self, event: AliasEvent) -> None:
        mark = _mark(event)
        if self._first_alias is None:
            self._first_alias = mark
        if event.anchor in self._open_anchors:
            raise ComposeError(
                f"the alias *{event.anchor} is inside the value it names (a recursive alias)",
                mark,
                "an alias may only repeat a value that is complete before it",
            )
        node = self._anchors.get(event.anchor)
        if node is None:
            raise ComposeError(f"the alias *{event.anchor} names no anchor", mark)
        self._added += node.size
        if self._added > MAX_ALIAS_VALUES:
            raise ComposeError(
                f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (a 'billion "
                "laughs' file?); the first alias is here",
                self._first_alias,
                "write the values out, or use fewer nested aliases",
            )
        self._add(node)

    def _name(self, anchor: str | None, node: Node) -> None:
        if anchor is not None:
            self._anchors[anchor] = node

    def _add(self, node: Node) -> None:
        if not self._open:
            self.root = node
            return
        parent = self._open[-1]
        if parent.node.kind == "sequence":
            parent.node.items.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.pairs.append((parent.key, node))
            parent.key = None


def compose(yaml: YAML, text: str) -> Node | None:
    """Compose the one document of ``text``; raise :class:`ComposeError` at a limit.

    ruamel.yaml's ``MarkedYAMLError`` still reports text that is not YAML.
    """
    composer = _Composer(yaml)
    for event in yaml.parse(text):
        composer.feed(event)
    return composer.root

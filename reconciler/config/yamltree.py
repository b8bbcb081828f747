"""Read YAML text into plain data plus a :class:`SourceMap`, keeping every problem.

We compose the node graph ourselves from ruamel.yaml's events (within the limits
of :mod:`reconciler.config.compose`) and build the data ourselves, so that
duplicate keys are reported (with both lines) instead of silently collapsed, every
key and value keeps its line and column, and a value that cannot be read (an
impossible date, an unknown ``!tag``, a number of a thousand digits) is a problem
at its place rather than a crash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from reconciler.config.compose import MAX_DEPTH, ComposeError, Node, compose
from reconciler.config.locations import ConfigPath, Position, SourceMap
from reconciler.errors import Problem

_CORE = "tag:yaml.org,2002:"
_MERGE_TAG = _CORE + "merge"
_INT_TAG = _CORE + "int"
_FLOAT_TAG = _CORE + "float"
_TIMESTAMP_TAG = _CORE + "timestamp"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_COLLECTION_TAGS = frozenset((_CORE + "map", _CORE + "seq"))

_UNCLOSED = ("found unexpected end of stream", "found unexpected document separator")
"""What the scanner says when a quoted string runs to the end (not a bad escape inside it)."""

MAX_DIGITS = 18
"""Digits a whole number may have: every count in a config fits in far fewer."""


@dataclass
class Tree:
    """The document as plain data, where each part sits, and what was wrong with it."""

    data: Any
    source_map: SourceMap
    problems: list[Problem] = field(default_factory=list)
    bad_values: frozenset[ConfigPath] = frozenset()
    """Paths whose value was refused while reading (shown once, not again by validation)."""


class YamlSyntaxError(Exception):
    """The text is not YAML; carries the one problem that stopped the parser."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse(text: str, filename: str) -> Tree:
    """Parse one YAML document; raise :class:`YamlSyntaxError` if it is not YAML."""
    yaml = YAML(typ="safe", pure=True)
    try:
        root = compose(yaml, text)
    except MarkedYAMLError as error:
        raise YamlSyntaxError(_syntax_problem(error, filename)) from None
    except ReaderError as error:
        raise YamlSyntaxError(_character_problem(error, text, filename)) from None
    except ComposeError as error:
        problem = Problem(filename, error.mark.line, error.mark.col, error.message, error.hint)
        raise YamlSyntaxError(problem) from None
    builder = _Builder(yaml, filename)
    data = None if root is None else builder.build(root, ())
    source_map = SourceMap(builder.values, builder.keys, frozenset(builder.containers))
    return Tree(data, source_map, builder.problems, frozenset(builder.bad_values))


def _syntax_problem(error: MarkedYAMLError, filename: str) -> Problem:
    problem: str = error.problem or "not valid YAML"
    hint: str | None
    mark = error.problem_mark or error.context_mark
    if "'\\t'" in problem:
        message, hint = "a tab character; YAML indents with spaces only", "replace tabs by spaces"
    elif (
        "quoted scalar" in str(error.context)
        and error.context_mark is not None
        and problem in _UNCLOSED
    ):
        mark = error.context_mark
        message, hint = "a quoted string starts here and is never closed", "add the closing quote"
    else:
        message = f"not valid YAML: {problem}"
        hint = (
            f"{error.context} (line {error.context_mark.line + 1})"
            if (error.context and error.context_mark)
            else None
        )
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(filename, line, col, message, hint)


def _character_problem(error: ReaderError, text: str, filename: str) -> Problem:
    """A character YAML forbids anywhere in the text (a control code such as BEL)."""
    position: int = error.position
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    return Problem(
        filename,
        line,
        col,
        f"a control character (U+{error.character:04X}) that YAML does not allow",
        "delete it; if the value needs it, write it as an escape in double quotes",
    )


class _Builder:
    def __init__(self, yaml: YAML, filename: str) -> None:
        self._constructor = yaml.constructor
        self._filename = filename
        self.values: dict[ConfigPath, Position] = {}
        self.keys: dict[ConfigPath, Position] = {}
        self.containers: set[ConfigPath] = set()
        self.problems: list[Problem] = []
        self.bad_values: set[ConfigPath] = set()

    def build(self, node: Node, path: ConfigPath) -> object:
        self.values.setdefault(path, _position(node))
        if len(path) > MAX_DEPTH:
            return self._bad(node, path, f"nesting deeper than {MAX_DEPTH} levels", None)
        if node.kind != "scalar":
            self.containers.add(path)
            if node.tag not in _COLLECTION_TAGS:
                return self._bad(node, path, *_unknown_tag(node.tag))
        if node.kind == "mapping":
            return self._mapping(node, path)
        if node.kind == "sequence":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.items)]
        return self._scalar(node, path)

    def _scalar(self, node: Node, path: ConfigPath) -> object:
        if node.tag not in _SCALAR_TAGS:
            return self._bad(node, path, *_unknown_tag(node.tag))
        problem = scalar_problem(node.tag, node.value)
        if problem is not None:
            return self._bad(node, path, *problem)
        try:
            value = self._constructor.construct_object(node.source, deep=True)
        # An explicit tag reaches constructors that index the text: `!!int ''` raises
        # IndexError, `!!bool maybe` KeyError.
        except (MarkedYAMLError, ValueError, OverflowError, LookupError):
            return self._bad(node, path, *_unreadable(node.tag))
        if isinstance(value, float) and not math.isfinite(value):
            return self._bad(node, path, "not a finite number", "write an ordinary number")
        return value

    def _bad(self, node: Node, path: ConfigPath, message: str, hint: str | None) -> object:
        """Record the problem; the refused value reads as None."""
        self._problem(node, message, hint)
        self.bad_values.add(path)
        return None

    def _mapping(self, node: Node, path: ConfigPath) -> dict[str, object]:
        result: dict[str, object] = {}
        merged: list[Node] = []
        for key_node, value_node in node.pairs:
            if key_node.tag == _MERGE_TAG:
                merged.extend(_merge_sources(value_node))
                continue
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                self._duplicate(key_node, key, path)
                continue
            self.keys.setdefault((*path, key), _position(key_node))
            result[key] = self.build(value_node, (*path, key))
        for source in merged:
            for key, value in self._mapping(source, path).items():
                result.setdefault(key, value)
        return result

    def _key(self, node: Node) -> str | None:
        if node.kind == "scalar":
            return node.value
        self._problem(node, "a key must be a plain name, not a list or mapping", None)
        return None

    def _duplicate(self, node: Node, key: str, path: ConfigPath) -> None:
        first = self.keys[(*path, key)]
        self._problem(
            node,
            f"duplicate key '{key}' (first at line {first.line})",
            "YAML keeps only one of them; remove or rename one",
        )

    def _problem(self, node: Node, message: str, hint: str | None) -> None:
        where = _position(node)
        self.problems.append(Problem(self._filename, where.line, where.col, message, hint))


def scalar_problem(tag: str, text: str) -> tuple[str, str | None] | None:
    """Say what is wrong with a scalar before it is converted, or ``None``."""
    if tag == _INT_TAG and sum(c.isalnum() for c in text) > MAX_DIGITS + 2:
        return (
            f"a whole number of more than {MAX_DIGITS} digits",
            "no setting needs a number this large",
        )
    if tag == _FLOAT_TAG and len(text) > MAX_DIGITS * 2:
        return ("a number written with too many digits", "no setting needs such a number")
    return None


def _unreadable(tag: str) -> tuple[str, str | None]:
    if tag == _TIMESTAMP_TAG:
        return (
            "not a real date (the day or month is out of range)",
            "write a date that exists, as YYYY-MM-DD",
        )
    return ("this value cannot be read", "quote it to make it text")


def _unknown_tag(tag: str) -> tuple[str, str | None]:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"unknown tag '{shown}'; a config uses plain YAML values only",
        "remove the tag (quote the value if it should be text)",
    )


def _merge_sources(node: Node) -> list[Node]:
    if node.kind == "mapping":
        return [node]
    if node.kind == "sequence":
        return [n for n in node.items if n.kind == "mapping"]
    return []


def _position(node: Node) -> Position:
    return Position(node.mark.line, node.mark.col)

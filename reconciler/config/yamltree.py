"""Read YAML text into plain data plus a :class:`SourceMap`, keeping every problem.

We compose the node graph with ruamel.yaml and build the data ourselves, so that
duplicate keys are reported (with both lines) instead of silently collapsed, and
every key and value keeps its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.config.locations import Path, Position, SourceMap
from reconciler.errors import Problem

_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class Tree:
    """The document as plain data, where each part sits, and what was wrong with it."""

    data: Any
    source_map: SourceMap
    problems: list[Problem] = field(default_factory=list)


class YamlSyntaxError(Exception):
    """The text is not YAML; carries the one problem that stopped the parser."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse(text: str, filename: str) -> Tree:
    """Parse one YAML document; raise :class:`YamlSyntaxError` if it is not YAML."""
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        raise YamlSyntaxError(_syntax_problem(error, filename)) from None
    builder = _Builder(yaml, filename)
    data = None if root is None else builder.build(root, ())
    source_map = SourceMap(builder.values, builder.keys, frozenset(builder.containers))
    return Tree(data, source_map, builder.problems)


def _syntax_problem(error: MarkedYAMLError, filename: str) -> Problem:
    problem: str = error.problem or "not valid YAML"
    hint: str | None
    mark = error.problem_mark or error.context_mark
    if "'\\t'" in problem:
        message, hint = "a tab character; YAML indents with spaces only", "replace tabs by spaces"
    elif "quoted scalar" in f"{problem} {error.context}" and error.context_mark is not None:
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


class _Builder:
    def __init__(self, yaml: YAML, filename: str) -> None:
        self._yaml = yaml
        self._filename = filename
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.containers: set[Path] = set()
        self.problems: list[Problem] = []

    def build(self, node: Node, path: Path) -> Any:
        self.values.setdefault(path, _position(node))
        if isinstance(node, MappingNode | SequenceNode):
            self.containers.add(path)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._yaml.constructor.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(_merge_sources(value_node))
                continue
            key = self._key(key_node, path)
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

    def _key(self, node: Node, path: Path) -> str | None:
        if isinstance(node, ScalarNode):
            return str(node.value)
        self._problem(node, "a key must be a plain name, not a list or mapping", None)
        return None

    def _duplicate(self, node: Node, key: str, path: Path) -> None:
        first = self.keys[(*path, key)]
        self._problem(
            node,
            f"duplicate key '{key}' (first at line {first.line})",
            "YAML keeps only one of them; remove or rename one",
        )

    def _problem(self, node: Node, message: str, hint: str | None) -> None:
        where = _position(node)
        self.problems.append(Problem(self._filename, where.line, where.col, message, hint))


def _merge_sources(node: Node) -> list[MappingNode]:
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [n for n in node.value if isinstance(n, MappingNode)]
    return []


def _position(node: Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)

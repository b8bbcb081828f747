"""The Ledgy GraphQL operations the driver sends, read from one editable file.

Every operation is validated against ``schemas/ledgy.graphql`` with graphql-core
before anything is sent. Write batches are composed from the ``CreateStakeholder``
and ``UpdateStakeholder`` operations: one request holds many aliased copies of
the mutation field (``w0: updateStakeholder(id: $id_0, …)``), so a thousand
writes take tens of requests, not a thousand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    build_schema,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language import ast

from reconciler.errors import TargetError

REQUIRED = ("Auth", "Stakeholders", "CustomFields", "CreateStakeholder", "UpdateStakeholder")
WRITES = ("CreateStakeholder", "UpdateStakeholder")
PACKAGE = "reconciler.targets.ledgy"


@cache
def ledgy_schema() -> GraphQLSchema:
    """The SDL of schemas/ledgy.graphql, built once."""
    return build_schema(resources.files(PACKAGE).joinpath("schema.graphql").read_text("utf-8"))


def default_operations_text() -> str:
    """The built-in operations document."""
    return resources.files(PACKAGE).joinpath("operations.graphql").read_text("utf-8")


@dataclass(frozen=True)
class Operations:
    """The checked operations, by name, and how to batch the writes."""

    by_name: Mapping[str, OperationDefinitionNode]
    origin: str

    def text(self, name: str) -> str:
        """The printed text of one operation."""
        return print_ast(self.by_name[name])

    def root_fields(self) -> frozenset[str]:
        """The root fields the operations select (what the account must offer)."""
        return frozenset(
            selection.name.value
            for operation in self.by_name.values()
            for selection in operation.selection_set.selections
            if isinstance(selection, ast.FieldNode)
        )

    def batch(
        self, writes: Sequence[tuple[str, Mapping[str, object]]]
    ) -> tuple[str, dict[str, object]]:
        """Compose one request of aliased mutations; return its text and variables.

        ``writes`` holds ``(operation name, variables)`` pairs; write ``i`` is
        answered under the alias ``w{i}``.
        """
        definitions: list[ast.VariableDefinitionNode] = []
        selections: list[ast.FieldNode] = []
        variables: dict[str, object] = {}
        for index, (name, values) in enumerate(writes):
            operation = self.by_name[name]
            rename = _Renamer(f"_{index}")
            definitions += [visit(d, rename) for d in operation.variable_definitions or ()]
            field = visit(_only_field(operation), rename)
            selections.append(_aliased(field, f"w{index}"))
            variables |= {f"{key}_{index}": value for key, value in values.items()}
        batch = ast.OperationDefinitionNode(
            operation=OperationType.MUTATION,
            name=ast.NameNode(value="WriteBatch"),
            variable_definitions=tuple(definitions),
            directives=(),
            selection_set=ast.SelectionSetNode(selections=tuple(selections)),
        )
        return print_ast(batch), variables


class _Renamer(Visitor):
    def __init__(self, suffix: str) -> None:
        super().__init__()
        self.suffix = suffix

    def enter_variable(self, node: ast.VariableNode, *_: object) -> ast.VariableNode:
        return ast.VariableNode(name=ast.NameNode(value=node.name.value + self.suffix))


def _only_field(operation: OperationDefinitionNode) -> ast.FieldNode:
    (field,) = operation.selection_set.selections
    assert isinstance(field, ast.FieldNode)
    return field


def _aliased(field: ast.FieldNode, alias: str) -> ast.FieldNode:
    return ast.FieldNode(
        alias=ast.NameNode(value=alias),
        name=field.name,
        arguments=field.arguments,
        directives=field.directives,
        selection_set=field.selection_set,
    )


def load_operations(path: Path | None = None) -> Operations:
    """Read, parse and check the operations file (the built-in one by default)."""
    origin = str(path) if path else "the built-in operations.graphql"
    try:
        text = path.read_text(encoding="utf-8") if path else default_operations_text()
    except OSError as error:
        raise TargetError(f"{origin}: cannot be read ({error.strerror})") from None
    try:
        document = parse(text)
    except GraphQLError as error:
        # Never echo the file's text: a token pasted there by mistake would leak.
        raise TargetError(f"{origin}:{_where(error)}: {_without_quotes(error.message)}") from None
    return check_operations(document, origin)


def _without_quotes(message: str) -> str:
    """GraphQL messages quote the text found (``Unexpected Name 'ghp_…'``); a token
    pasted there by mistake must not be echoed, so only short plain names stay."""
    return _QUOTED.sub(lambda m: m.group(0) if _PLAIN_NAME.match(m.group(2)) else "", message)


_QUOTED = re.compile(r"""(\s*)['"]([^'"]*)['"]""")
_PLAIN_NAME = re.compile(r"^[A-Za-z_]{1,24}$")


def check_operations(document: DocumentNode, origin: str) -> Operations:
    """Validate a document against the Ledgy schema and find the operations we need."""
    errors = validate(ledgy_schema(), document)
    if errors:
        lines = [f"{origin}:{_where(e)}: {_without_quotes(e.message)}" for e in errors]
        raise TargetError(
            "\n".join(lines), remedy="fix the operations so they match schemas/ledgy.graphql"
        )
    found = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    }
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise TargetError(f"{origin}: missing the operation(s) {', '.join(missing)}")
    for name in WRITES:
        if len(found[name].selection_set.selections) != 1:
            raise TargetError(f"{origin}: {name} must select exactly one mutation field")
    return Operations(found, origin)


def printed_file_text() -> str:
    """What ``operations.printed.json`` must hold: the built-in operations, checked,
    each as printed for sending, with the digest of what they were printed from
    (:mod:`reconciler.targets.ledgy.printed`)."""
    from reconciler.targets.ledgy.printed import packaged_digest

    operations = load_operations()
    texts = {name: operations.text(name) for name in sorted(operations.by_name)}
    roots = sorted(operations.root_fields())
    data = {"digest": packaged_digest(), "operations": texts, "root_fields": roots}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _where(error: GraphQLError) -> str:
    if not error.locations:
        return "1:1"
    location = error.locations[0]
    return f"{location.line}:{location.column}"

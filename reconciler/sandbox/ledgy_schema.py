"""The emulator's own view of Ledgy's schema, built from the SDL file and nothing else.

The client validates its operations against the same file through its own code;
the emulator must not share that code, so a drift between what the client sends
and what the SDL allows fails a test instead of passing twice. The ``Date`` scalar
is strict (``YYYY-MM-DD``, a real day), as Ledgy's SpectaQL examples show it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)
from graphql.language import ast

from reconciler.domain.json import Json

SDL_PACKAGE = "reconciler.targets.ledgy"
SDL_FILE = "schema.graphql"
PUBLISHED_QUERIES = ("auth", "companyCaptable", "companyTransactions")
"""The root fields Ledgy's published reference documents; it has no mutations."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def sdl_text() -> str:
    """The SDL file, as shipped (a copy of schemas/ledgy.graphql)."""
    return resources.files(SDL_PACKAGE).joinpath(SDL_FILE).read_text("utf-8")


def parse_day(value: object) -> date:
    """A ``Date`` input: exactly ``YYYY-MM-DD`` and a real day, else a GraphQL error."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise GraphQLError(f"Date must be a string YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"Date {value!r} is not a day of the calendar") from None


def _parse_day_literal(node: ast.ValueNode, _variables: object = None) -> date:
    if not isinstance(node, ast.StringValueNode):
        raise GraphQLError("Date must be a string YYYY-MM-DD")
    return parse_day(node.value)


def _serialize_day(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else parse_day(value).isoformat()


def _require(schema: GraphQLSchema, fields: tuple[str, ...]) -> None:
    stakeholder = schema.type_map["StakeholderInput"]
    assert isinstance(stakeholder, GraphQLInputObjectType)
    for name in fields:
        field = stakeholder.fields[name]
        if not isinstance(field.type, GraphQLNonNull):
            field.type = GraphQLNonNull(field.type)


def _typename(value: Json, *_: object) -> str:
    return str(value["__typename"])


@cache
def emulator_schema(
    *, published_only: bool = False, required: tuple[str, ...] = ()
) -> GraphQLSchema:
    """The full SDL (published and our stakeholder part), or the published part alone.

    ``required`` names ``StakeholderInput`` fields made non-null, a stricter server:
    graphql-core then refuses a write without them before any resolver runs, and its
    message quotes the whole input back, as GraphQL servers do.
    """
    schema = build_schema(sdl_text())
    _require(schema, required)
    day = schema.type_map["Date"]
    assert isinstance(day, GraphQLScalarType)
    # graphql-core 3.3 reads coerce_*; 3.2 reads parse_*/serialize: set both.
    for name, function in (
        ("parse_value", parse_day),
        ("coerce_input_value", parse_day),
        ("parse_literal", _parse_day_literal),
        ("serialize", _serialize_day),
        ("coerce_output_value", _serialize_day),
    ):
        setattr(day, name, function)
    transaction = schema.type_map["Transaction"]
    assert isinstance(transaction, GraphQLUnionType)
    transaction.resolve_type = _typename
    if not published_only:
        return schema
    query = schema.query_type
    assert query is not None
    fields = {name: query.fields[name] for name in PUBLISHED_QUERIES}
    return GraphQLSchema(query=GraphQLObjectType("Query", fields))

"""The JSON Schemas of company.yaml and reconciler.yaml, generated from the models.

Editors (yaml-language-server) use it for completion and hover help; the
committed copy is kept fresh by ``reconciler schema --check`` in CI.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from reconciler.config.schema_extra import Schema
from reconciler.release import REPOSITORY, schema_url

if TYPE_CHECKING:
    from types import ModuleType

# Where the schema of the newest version is published (each release has its own copy);
# no $id while the repository that publishes it is unknown (reconciler.release).
SCHEMA_ID = schema_url(REPOSITORY, "main") if REPOSITORY else None
DEFAULT_PATH = "schemas/company.schema.json"
INDEX_SCHEMA = "reconciler.schema.json"
"""The index's schema, written next to the config's."""


def company_schema() -> Schema:
    """Return the JSON Schema (draft 2020-12) of company.yaml."""
    # The models are imported when a schema is made, not by the parsers that name its path.
    from reconciler.config import model
    from reconciler.config.model import Config

    _describe(model)
    return _schema(Config.model_json_schema(by_alias=True, mode="validation"), SCHEMA_ID)


def index_schema() -> Schema:
    """Return the JSON Schema (draft 2020-12) of reconciler.yaml."""
    from reconciler.config import index_model
    from reconciler.config.index_model import Index

    _describe(index_model)
    index_id = SCHEMA_ID.replace("company.schema.json", INDEX_SCHEMA) if SCHEMA_ID else None
    return _schema(Index.model_json_schema(by_alias=True, mode="validation"), index_id)


def _describe(module: ModuleType) -> None:
    """Give each field of the module's models the docstring written under it as its
    description (what pydantic's ``use_attribute_docstrings`` does, which the models
    leave off: it parses their source at every start), then rebuild them."""
    from pydantic import BaseModel

    models = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
    ]
    for model in models:
        written = {
            name: text
            for klass in reversed(model.__mro__)
            if issubclass(klass, BaseModel) and klass.__module__.startswith("reconciler.")
            for name, text in attribute_docstrings(klass).items()
        }
        for name, field in model.model_fields.items():
            if field.description is None and name in written:
                field.description = written[name]
    for model in models:
        model.model_rebuild(force=True)


def attribute_docstrings(klass: type) -> dict[str, str]:
    """The string written right under each annotated attribute of a class body."""
    import ast
    import inspect
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
    assert isinstance(body, ast.ClassDef)
    found: dict[str, str] = {}
    for field, text in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(text, ast.Expr)
            and isinstance(text.value, ast.Constant)
            and isinstance(text.value.value, str)
        ):
            found[field.target.id] = inspect.cleandoc(text.value.value)
    return found


def _schema(schema: Schema, schema_id: str | None) -> Schema:
    _title_references(schema)
    for definition in schema.get("$defs", {}).values():
        _title_references(definition)
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    return {**head, **({"$id": schema_id} if schema_id else {}), **schema}


def _title_references(definition: Schema) -> None:
    """Give a title to properties that only point at a definition, for hover help."""
    for name, spec in definition.get("properties", {}).items():
        spec.setdefault("title", name.replace("_", " ").capitalize())


def render_schema() -> str:
    """Return the schema as the text committed in ``schemas/``."""
    return json.dumps(company_schema(), indent=2, ensure_ascii=False) + "\n"


def render_index_schema() -> str:
    """Return the index's schema as the text committed in ``schemas/``."""
    return json.dumps(index_schema(), indent=2, ensure_ascii=False) + "\n"

"""The JSON Schema of company.yaml, generated from the models.

Editors (yaml-language-server) use it for completion and hover help; the
committed copy is kept fresh by ``reconciler schema --check`` in CI.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.config.model import Config
from reconciler.release import REPOSITORY, schema_url

# Where the schema of the newest version is published (each release has its own copy);
# no $id while the repository that publishes it is unknown (reconciler.release).
SCHEMA_ID = schema_url(REPOSITORY, "main") if REPOSITORY else None
DEFAULT_PATH = "schemas/company.schema.json"


def company_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of company.yaml."""
    schema = Config.model_json_schema(by_alias=True, mode="validation")
    _title_references(schema)
    for definition in schema.get("$defs", {}).values():
        _title_references(definition)
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    return {**head, **({"$id": SCHEMA_ID} if SCHEMA_ID else {}), **schema}


def _title_references(definition: dict[str, Any]) -> None:
    """Give a title to properties that only point at a definition, for hover help."""
    for name, spec in definition.get("properties", {}).items():
        spec.setdefault("title", name.replace("_", " ").capitalize())


def render_schema() -> str:
    """Return the schema as the text committed in ``schemas/``."""
    return json.dumps(company_schema(), indent=2, ensure_ascii=False) + "\n"

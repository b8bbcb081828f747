from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from reconciler.config.schema import (
    _title_references,
    attribute_docstrings,
    company_schema,
    render_schema,
)
from tests.conftest import DATA, ROOT

CONFIGS = DATA / "configs"
COMMITTED = ROOT / "schemas" / "company.schema.json"

# What JSON Schema cannot say; `reconciler validate` catches these.
NOT_EXPRESSIBLE = {
    "invalid-tab-indent.yaml": "not YAML, so no document to check",
    "invalid-unclosed-quote.yaml": "not YAML, so no document to check",
    "invalid-binary-file.yaml": "not text",
    "invalid-non-utf8.yaml": "not UTF-8 text",
    "invalid-duplicate-key.yaml": "a parsed document keeps one of the two keys",
    "invalid-custom-field-duplicate-to.yaml": "uniqueness of one property across items",
    "invalid-sensitive-custom-field.yaml": "depends on sensitive_exceptions and key normalisation",
    "invalid-sensitive-sync-rule.yaml": "depends on sensitive_exceptions and key normalisation",
    "invalid-sensitive-bank-key.yaml": "depends on sensitive_exceptions and key normalisation",
}


def _json_like(value: Any) -> Any:
    """What an editor's YAML 1.2 reading gives: dates stay strings."""
    if isinstance(value, dict):
        return {str(k): _json_like(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_like(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _document(path: Path) -> Any:
    return _json_like(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = company_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_fresh() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_schema()


def test_schema_accepts_the_example_and_the_valid_cases(validator: Draft202012Validator) -> None:
    for path in [ROOT / "examples" / "company.yaml", *CONFIGS.glob("valid-*.yaml")]:
        errors = [e.message for e in validator.iter_errors(_document(path))]
        assert errors == [], path.name


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(CONFIGS.glob("invalid-*.yaml")) if p.name not in NOT_EXPRESSIBLE],
    ids=lambda p: p.name,
)
def test_schema_rejects_the_invalid_cases(validator: Draft202012Validator, path: Path) -> None:
    assert not validator.is_valid(_document(path))


def test_every_property_has_a_title_and_a_description() -> None:
    schema = company_schema()
    missing = []
    for name, definition in [("Config", schema), *schema["$defs"].items()]:
        for prop, spec in definition.get("properties", {}).items():
            if not spec.get("title") or not spec.get("description"):
                missing.append(f"{name}.{prop}")
    assert missing == []


def test_example_names_the_schema_for_editors() -> None:
    first = (ROOT / "examples" / "company.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/company.schema.json"


def test_properties_that_only_point_at_a_definition_get_a_title() -> None:
    definition: dict[str, Any] = {
        "properties": {
            "sync_if": {"$ref": "#/$defs/Rule"},
            "group": {"title": "Kept", "type": "string"},
        }
    }
    _title_references(definition)
    assert definition["properties"]["sync_if"]["title"] == "Sync if"
    assert definition["properties"]["group"]["title"] == "Kept"


def test_a_definition_without_properties_is_left_alone() -> None:
    definition: dict[str, Any] = {"enum": ["a", "b"]}
    _title_references(definition)
    assert definition == {"enum": ["a", "b"]}


def test_loading_a_config_never_reads_the_models_source() -> None:
    # The descriptions are the schema maker's business: parsing the models' source at
    # every start cost 25 ms before the first request.
    code = (
        "import inspect\n"
        "def refuse(*a, **k): raise AssertionError('source read')\n"
        "inspect.getsource = inspect.getsourcelines = inspect.findsource = refuse\n"
        "import reconciler.config.model, reconciler.config.index_model, reconciler.config.load\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_fields_description_is_the_string_written_under_it() -> None:
    class Example:
        plain: int
        """What it is,
        on two lines."""

        unwritten: str
        other = 1
        """Under an attribute without a type: not a field's."""

        def method(self) -> int:
            inner: int = 1
            """Inside a function: not the class's."""
            return inner

    assert attribute_docstrings(Example) == {"plain": "What it is,\non two lines."}

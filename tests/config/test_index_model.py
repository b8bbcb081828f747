"""The reconciler.yaml models and the naming rules, without files (the index's reading,
with places and the repository's files, is tests/config/test_index.py's)."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from pydantic import ValidationError

from reconciler.config.index_model import (
    MAX_CONFIGS,
    MAX_NAME,
    Entry,
    Index,
    default_name,
    name_problem,
)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("companies/acme/company.yaml", "acme"),  # company.yaml is named by its directory
        ("company.yaml", "company"),  # at the root: the file's stem
        ("extra/zeta.yaml", "zeta"),
        ("holding/other.yml", "other"),
    ],
)
def test_a_config_is_named_by_its_directory_or_its_file(path: str, name: str) -> None:
    assert default_name(PurePosixPath(path)) == name


@pytest.mark.parametrize("name", ["acme", "acme-gmbh", "9lives", "a" * MAX_NAME])
def test_lower_case_letters_digits_and_dashes_make_a_name(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["Acme", "acme_gmbh", "-acme", "acme corp", "", "acmé"])
def test_anything_else_is_not_a_name_and_says_what_is(name: str) -> None:
    assert name_problem(name) == (
        f"'{name}' is not a valid config name: lower-case letters, digits and dashes, "
        "starting with a letter or digit"
    )


def test_a_name_over_40_characters_is_too_long() -> None:
    assert name_problem("a" * (MAX_NAME + 1)) == f"'{'a' * 41}' is longer than 40 characters"


def _refusal(**entry: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Entry.model_validate(entry)
    return str(caught.value)


def test_an_entry_is_a_path_or_a_glob_and_only_a_path_takes_a_name() -> None:
    assert Entry(path="holding/company.yaml", name="holding").name == "holding"
    assert Entry(glob="companies/*/company.yaml").path is None
    assert "give either path or glob" in _refusal()
    assert "give either path or glob" in _refusal(path="a.yaml", glob="*.yaml")
    assert "name goes with path, not with glob" in _refusal(glob="*/company.yaml", name="a")


def test_paths_are_relative_to_the_repository_root() -> None:
    assert "'..' is not allowed" in _refusal(path="../outside.yaml")
    assert "the repository root" in _refusal(glob="/etc/*.yaml")


def test_an_index_has_version_1_and_at_least_one_config() -> None:
    index = Index.model_validate({"version": 1, "configs": [{"path": " a.yaml "}]})
    assert index.configs == [Entry(path="a.yaml")]  # surrounding spaces are dropped
    with pytest.raises(ValidationError):
        Index.model_validate({"version": 2, "configs": [{"path": "a.yaml"}]})
    with pytest.raises(ValidationError):
        Index.model_validate({"version": 1, "configs": []})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Index.model_validate({"version": 1, "configs": [{"path": "a.yaml"}], "other": 1})


def test_the_schema_says_what_a_github_matrix_allows() -> None:
    schema = Index.model_json_schema()
    assert schema["properties"]["configs"]["maxItems"] == MAX_CONFIGS == 256
    name = schema["$defs"]["Entry"]["properties"]["name"]["anyOf"][0]
    assert (name["pattern"], name["maxLength"]) == ("^[a-z0-9][a-z0-9-]*$", MAX_NAME)

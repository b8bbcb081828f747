"""The reconciler.yaml contract: which configs a repository holds, and their names.

Pure: no file access. Field docstrings become the descriptions in
``schemas/reconciler.schema.json``. A config's name names its branches, issues,
labels and environments, so it is short, lower case and unique.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator

from reconciler.config.issues import fail
from reconciler.domain.text_checks import path_text_problem

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
NAME_RE = re.compile(NAME_PATTERN)
MAX_NAME = 40
"""Characters a name may have: it is part of branch names, labels (at most 50 on
GitHub) and environment names."""
MAX_CONFIGS = 256
"""Configs an index may declare, its globs' matches counted: the workflows run a job per
config from one matrix, and GitHub runs at most 256 jobs from a matrix."""
MATRIX_LIMIT_URL = "https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs"
CONFIG_FILE = "company.yaml"
DEFAULT_NAME = "company"
"""The name of the one root ``company.yaml`` when there is no index."""

ConfigName = Annotated[
    StrictStr,
    Field(
        pattern=NAME_PATTERN,
        max_length=MAX_NAME,
        examples=["holding", "acme-gmbh"],
    ),
]


def _relative(value: str) -> str:
    problem = path_text_problem(value, "the repository root")
    if problem is not None:
        fail(problem, hint="write the path relative to the repository root, with / between parts")
    return value


class _Model(BaseModel):
    # The docstring under each field is its description in the JSON Schema. Reading
    # them means reading and parsing this file's source (25 ms at every start), so the
    # schema's maker adds them (reconciler.config.schema), and nothing else needs them.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Entry(_Model):
    """One config by its path, or every config a glob finds."""

    name: ConfigName | None = None
    """The config's name (lower-case letters, digits, dashes). Default: the directory's
    name when the file is company.yaml (companies/acme/company.yaml is acme), else the
    file name without .yaml. Not allowed with glob."""
    path: Annotated[StrictStr, Field(min_length=1, max_length=300)] | None = None
    """The config file, relative to the repository root."""
    glob: Annotated[StrictStr, Field(min_length=1, max_length=300)] | None = None
    """A pattern relative to the repository root (``*`` within a directory, ``**`` across
    directories) whose every match is a config, named by the default rule."""

    @model_validator(mode="after")
    def _one_of(self) -> Entry:
        if (self.path is None) == (self.glob is None):
            fail(
                "give either path or glob",
                hint="path: holding/company.yaml, or glob: companies/*/company.yaml",
            )
        if self.glob is not None and self.name is not None:
            fail(
                "name goes with path, not with glob (a glob finds many configs)",
                hint="list the config by path to give it a name",
            )
        _relative(self.path if self.path is not None else str(self.glob))
        return self


class Index(_Model):
    """reconciler.yaml: the configs this repository holds, each one company in Ledgy."""

    version: Literal[1]
    """The version of this file's format: 1."""
    configs: Annotated[
        list[Entry], Field(min_length=1, json_schema_extra={"maxItems": MAX_CONFIGS})
    ]
    """The configs, each by path or by a glob: 256 at most, globs' matches counted
    (GitHub runs at most 256 jobs from one matrix)."""


def default_name(path: PurePosixPath) -> str:
    """The name a config takes when none is given (``path`` relative to the root)."""
    if path.name == CONFIG_FILE and path.parent != PurePosixPath("."):
        return path.parent.name
    return path.stem


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a config, or ``None``."""
    if not NAME_RE.match(name):
        return (
            f"'{name}' is not a valid config name: lower-case letters, digits and dashes, "
            "starting with a letter or digit"
        )
    if len(name) > MAX_NAME:
        return f"'{name}' is longer than {MAX_NAME} characters"
    return None

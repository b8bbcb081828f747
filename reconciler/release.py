"""Where this release comes from: its distribution name, repository and version."""

from __future__ import annotations

import re
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "ledgy-charliehr-reconciler"
# The repository that publishes the releases, the Action and the reusable workflows.
# `example-org` is a placeholder: a fork that publishes its own releases changes it here.
REPOSITORY = "example-org/ledgy-charliehr-reconciler"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
ISSUES_URL = f"{REPOSITORY_URL}/issues"
# pyproject.toml's fallback_version: what a build without git metadata is called.
FALLBACK_VERSION = "0.0.0"
_RELEASE = re.compile(r"\d+\.\d+\.\d+")
_COMMIT = re.compile(r"[0-9a-f]{40}")


def installed_version() -> str:
    """Return the installed version, or the fallback for a tree never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return FALLBACK_VERSION


def release_tag(text: str) -> str | None:
    """Return the git tag of a released version (``v1.2.3``), or None for a dev build."""
    if text == FALLBACK_VERSION or not _RELEASE.fullmatch(text):
        return None
    return f"v{text}"


def schema_url(tag: str) -> str:
    """Return the URL of the config's JSON Schema as published with ``tag``."""
    return f"https://raw.githubusercontent.com/{REPOSITORY}/{tag}/schemas/company.schema.json"


def build_commit() -> str | None:
    """Return the full commit this installation was built from, when the build knew it."""
    try:
        build = import_module("reconciler._build")
    except ImportError:  # a tree never built by setuptools-scm
        return None
    node = str(getattr(build, "commit", "")).removeprefix("g")
    return node if _COMMIT.fullmatch(node) else None

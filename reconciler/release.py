"""Where this release comes from: its distribution name, repository and version."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "ledgy-charliehr-reconciler"
# The repository that publishes the releases, the Action and the reusable workflows.
# `example-org` is a placeholder: a fork that publishes its own releases changes it here.
REPOSITORY = "example-org/ledgy-charliehr-reconciler"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
ISSUES_URL = f"{REPOSITORY_URL}/issues"
_RELEASE = re.compile(r"\d+\.\d+\.\d+")


def installed_version() -> str:
    """Return the installed version, or ``0.0.0`` for a tree never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0.0.0"


def release_tag(text: str) -> str | None:
    """Return the git tag of a released version (``v1.2.3``), or None for a dev build."""
    return f"v{text}" if _RELEASE.fullmatch(text) else None


def schema_url(tag: str) -> str:
    """Return the URL of the config's JSON Schema as published with ``tag``."""
    return f"https://raw.githubusercontent.com/{REPOSITORY}/{tag}/schemas/company.schema.json"

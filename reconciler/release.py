"""Where this release comes from: its distribution name, repository and version.

``REPOSITORY`` is the one place that names the GitHub repository the Action, the
reusable workflows, the releases and the published schema come from. The project has
no public home that every company can use, so it is ``None``: each company publishes
its own copy (README, "Publish your copy") and either sets it here in that copy, or
installs from it with ``pip install git+https://github.com/OWNER/REPO@vX.Y.Z`` (the
installer records where it came from, and ``installed_source`` reads that), or passes
``reconciler init --action OWNER/REPO@SHA``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import import_module

DISTRIBUTION = "ledgy-charliehr-reconciler"
# The repository (OWNER/REPO on GitHub) this copy of the reconciler is published from.
# A company that hosts its own copy may set it here, in that copy; None means unknown,
# and nothing user-facing then names a repository as if it existed.
REPOSITORY: str | None = None
# pyproject.toml's fallback_version: what a build without git metadata is called.
FALLBACK_VERSION = "0.0.0"
_RELEASE = re.compile(r"\d+\.\d+\.\d+")
_COMMIT = re.compile(r"[0-9a-f]{40}")
# GitHub's rules: an owner is 1-39 letters, digits or single inner hyphens; a repository
# name is letters, digits, '.', '_' and '-' (never '.' or '..' alone).
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/[A-Za-z0-9._-]{1,100}")
_GITHUB = "https://github.com/"


@dataclass(frozen=True, slots=True)
class Source:
    """A GitHub repository the reconciler is published from, and the commit if known."""

    repository: str
    commit: str | None = None


def installed_version() -> str:
    """Return the installed version, or the fallback for a tree never installed."""
    from importlib.metadata import PackageNotFoundError, version  # read only when asked

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return FALLBACK_VERSION


def release_tag(text: str) -> str | None:
    """Return the git tag of a released version (``v1.2.3``), or None for a dev build."""
    if text == FALLBACK_VERSION or not _RELEASE.fullmatch(text):
        return None
    return f"v{text}"


def schema_url(repository: str, tag: str) -> str:
    """Return the URL of the config's JSON Schema as published by ``repository`` at ``tag``."""
    return f"https://raw.githubusercontent.com/{repository}/{tag}/schemas/company.schema.json"


def build_commit() -> str | None:
    """Return the full commit this installation was built from, when the build knew it."""
    try:
        build = import_module("reconciler._build")
    except ImportError:  # a tree never built by setuptools-scm
        return None
    node = str(getattr(build, "commit", "")).removeprefix("g")
    return node if _COMMIT.fullmatch(node) else None


def is_repository(text: str) -> bool:
    """Return whether ``text`` is a GitHub repository's full name, OWNER/REPO."""
    return bool(_REPOSITORY.fullmatch(text)) and text.split("/")[1] not in {".", ".."}


def _github_repository(url: str) -> str | None:
    path = url.removeprefix("git+")
    if not path.startswith(_GITHUB):
        return None
    name = path.removeprefix(_GITHUB).rstrip("/").removesuffix(".git")
    return name if is_repository(name) else None


def source_from_direct_url(text: str) -> Source | None:
    """Return the GitHub repository and commit a ``direct_url.json`` (PEP 610) records.

    pip and uv write it for ``pip install git+https://github.com/OWNER/REPO@REF``: the
    URL, and the commit the ref resolved to. Anything else (a wheel file, a local
    directory, another host) is no GitHub source and gives None.
    """
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("url"), str):
        return None
    repository = _github_repository(record["url"])
    vcs = record.get("vcs_info")
    if repository is None or not isinstance(vcs, dict) or vcs.get("vcs") != "git":
        return None
    commit = vcs.get("commit_id")
    return Source(
        repository, commit if isinstance(commit, str) and _COMMIT.fullmatch(commit) else None
    )


def installed_source() -> Source | None:
    """Return where this installation came from: the repository pip recorded, else
    ``REPOSITORY`` with the build's commit, else None (unknown)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        recorded = distribution(DISTRIBUTION).read_text("direct_url.json")
    except (PackageNotFoundError, OSError, UnicodeDecodeError):
        recorded = None
    found = source_from_direct_url(recorded) if recorded else None
    if found is not None:
        return found
    return Source(REPOSITORY, build_commit()) if REPOSITORY else None


def where_to_report() -> str:
    """Return where a bug is reported: the source repository's issues, when it is known."""
    source = installed_source()
    if source is None:
        return "to whoever maintains your copy of the reconciler"
    return f"at https://github.com/{source.repository}/issues"

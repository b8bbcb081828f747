"""Where the release comes from: one version source, one repository named everywhere."""

from __future__ import annotations

import re
import subprocess
import tomllib

import reconciler
from reconciler import release
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_has_its_own_name_and_the_version_comes_from_git() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == release.DISTRIBUTION != "reconciler"
    assert project["dynamic"] == ["version"] and "version" not in project
    assert project["scripts"] == {"reconciler": "reconciler.main:main"}
    assert any(r.startswith("setuptools-scm==") for r in PYPROJECT["build-system"]["requires"])


def test_a_build_without_git_metadata_has_the_fallback_version() -> None:
    assert PYPROJECT["tool"]["setuptools_scm"]["fallback_version"] == release.FALLBACK_VERSION
    assert release.release_tag(release.FALLBACK_VERSION) is None


def test_the_package_reports_the_installed_version() -> None:
    assert reconciler.__version__ == release.installed_version()
    assert reconciler.__version__ != release.FALLBACK_VERSION  # installed from this checkout


def test_release_tags_only_for_released_versions() -> None:
    assert release.release_tag("1.4.0") == "v1.4.0"
    assert release.release_tag("1.4.1.dev2+g0123abc") is None
    assert release.release_tag("1.4.0rc1") is None


def test_the_editable_build_knows_its_commit() -> None:
    commit = release.build_commit()
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)


def test_bug_reports_and_urls_name_this_repository() -> None:
    assert f"https://github.com/{release.REPOSITORY}/issues" == release.ISSUES_URL
    for url in PYPROJECT["project"]["urls"].values():
        assert url.startswith(release.REPOSITORY_URL)


def test_no_file_names_the_repository_this_is_not() -> None:
    wrong = "/".join(("github.com", "reconciler", "reconciler"))  # not spelt out here
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".py", ".md", ".json", ".yml", ".yaml", ".toml"} and path.is_file():
            assert wrong.encode() not in path.read_bytes(), name


def test_every_mention_of_the_project_on_github_names_the_same_repository() -> None:
    pattern = re.compile(r"github(?:usercontent)?\.com/([\w.-]+)/ledgy-charliehr-reconciler")
    texts = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "action.yml"]
    texts += sorted((ROOT / "docs").glob("*.md"))
    owners = {owner for path in texts for owner in pattern.findall(path.read_text("utf-8"))}
    assert owners == {release.REPOSITORY.split("/")[0]}


def test_license_and_changelog_are_shipped() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

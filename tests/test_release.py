"""Where the release comes from: one version source, one repository named everywhere."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest

import reconciler
from reconciler import release
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_has_its_own_name_and_the_version_comes_from_git() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == release.DISTRIBUTION != "reconciler"
    assert project["dynamic"] == ["version"] and "version" not in project
    assert project["scripts"] == {"reconciler": "reconciler.main:run"}
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


def test_the_package_names_no_home_it_does_not_have() -> None:
    # No public repository every company can use: each publishes its own copy.
    assert release.REPOSITORY is None
    assert "urls" not in PYPROJECT["project"]
    assert "$id" not in json.loads((ROOT / "schemas" / "company.schema.json").read_text())


COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _direct_url(url: str, **vcs: str) -> str:
    return json.dumps({"url": url, "vcs_info": {"vcs": "git", **vcs}})


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        # What `pip install "git+https://github.com/acme/copy@v1.2.0"` records (PEP 610).
        (
            _direct_url(
                "https://github.com/acme/copy", commit_id=COMMIT, requested_revision="v1.2.0"
            ),
            release.Source("acme/copy", COMMIT),
        ),
        (
            _direct_url("https://github.com/acme/copy.git", commit_id=COMMIT),
            release.Source("acme/copy", COMMIT),
        ),
        (
            _direct_url("git+https://github.com/acme/copy/", commit_id="main"),
            release.Source("acme/copy"),
        ),
        (_direct_url("https://gitlab.com/acme/copy", commit_id=COMMIT), None),
        (_direct_url("https://github.com/acme/copy/../../evil", commit_id=COMMIT), None),
        (_direct_url("https://github.com.evil.test/acme/copy", commit_id=COMMIT), None),
        (json.dumps({"url": "file:///tmp/x.whl", "archive_info": {}}), None),
        (json.dumps({"url": "file:///src", "dir_info": {"editable": True}}), None),
        ("not json", None),
        ("[]", None),
    ],
)
def test_the_source_is_read_from_what_pip_recorded(
    recorded: str, expected: release.Source | None
) -> None:
    assert release.source_from_direct_url(recorded) == expected


def test_this_checkout_knows_no_source_and_bugs_are_reported_to_its_maintainers() -> None:
    # Installed from a directory (make): no GitHub repository is recorded, none is set.
    assert release.installed_source() is None
    assert release.where_to_report() == "to whoever maintains your copy of the reconciler"


# Where a user is told what to run, install or call: nothing may name a repository that
# does not exist. `<owner>/<repo>` and `OWNER/REPO` are placeholders the text explains.
USER_FACING = [
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
    ROOT / "action.yml",
    ROOT / "pyproject.toml",
    ROOT / ".pre-commit-hooks.yaml",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "action").iterdir()),
    *sorted((ROOT / "schemas").glob("*.json")),
    *sorted(p for p in (ROOT / "reconciler" / "scaffold" / "templates").rglob("*") if p.is_file()),
    *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
]
PLACEHOLDERS = {"<owner>/<repo>", "OWNER/REPO"}
OUR_REPOSITORY = re.compile(
    r"(?:github(?:usercontent)?\.com/|uses: |--action )([\w<>-][\w<>.-]*/[\w<>.-]*reconciler[\w.-]*|<owner>/<repo>|OWNER/REPO)"
)


def _user_facing_texts() -> dict[str, str]:
    texts = {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in USER_FACING if p.exists()
    }
    from reconciler.scaffold.files import Pin, Scaffold, scaffold_files

    for pin in (
        Pin(COMMIT, "v1.2.0", tag="v1.2.0"),
        Pin(COMMIT, "v1.2.0", tag="v1.2.0", repository="acme/copy"),
    ):
        for file in scaffold_files(Scaffold("company.yaml", "Acme", "main", pin)):
            texts[f"init: {file.path} ({pin.repository})"] = file.text
    return texts


def test_no_user_facing_text_names_the_placeholder_organisation() -> None:
    placeholder = "-".join(("example", "org"))  # not spelt out here
    texts = _user_facing_texts()
    assert len(texts) > 30
    assert [name for name, text in texts.items() if placeholder in text.lower()] == []


def test_every_mention_of_where_the_reconciler_lives_is_a_placeholder_or_the_set_repository() -> (
    None
):
    allowed = PLACEHOLDERS | {release.REPOSITORY, "acme/copy"} - {None}
    mentions = {
        (name, found)
        for name, text in _user_facing_texts().items()
        for found in OUR_REPOSITORY.findall(text)
    }
    assert {found for _, found in mentions} <= allowed, sorted(mentions)
    assert any(found == "<owner>/<repo>" for name, found in mentions if name == "README.md")


def test_the_checks_catch_what_they_should() -> None:
    text = "pip install git+https://github.com/someone/ledgy-charliehr-reconciler@v1"
    assert OUR_REPOSITORY.findall(text) == ["someone/ledgy-charliehr-reconciler"]
    assert OUR_REPOSITORY.findall("uses: bad/reconciler/.github/x.yml@abc") == ["bad/reconciler"]


def test_no_file_names_the_repository_this_is_not() -> None:
    wrong = "/".join(("github.com", "reconciler", "reconciler"))  # not spelt out here
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".py", ".md", ".json", ".yml", ".yaml", ".toml"} and path.is_file():
            assert wrong.encode() not in path.read_bytes(), name


def test_license_and_changelog_are_shipped() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

"""The repository stands on its own: no file points outside it, and docs match the code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from reconciler.domain.fields import CHARLIEHR_KEYS, PAGINATION_KEYS
from tests.conftest import ROOT

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"(?ms)^```.*?^```$|`[^`\n]*`")
# Names of things that live outside this repository and must never be pointed at.
OUTSIDE = re.compile(r"\.\./shared|/work/|DESIGN\.md|reference/(?:charliehr|ledgy)-api\.md")


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = [ROOT / name for name in listed.split("\0") if name]
    return [f for f in files if f.is_file() and f.suffix not in {".xlsx", ".png", ".ambr"}]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def test_no_file_names_a_place_outside_the_repository() -> None:
    this_file = Path(__file__).resolve()
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _tracked_text_files()
        if path.resolve() != this_file
        for match in OUTSIDE.finditer(_text(path))
    ]
    assert not offenders


def test_every_relative_markdown_link_resolves_inside_the_repository() -> None:
    root = ROOT.resolve()
    broken: list[str] = []
    for path in _tracked_text_files():
        if path.suffix != ".md" or "__snapshots__" in path.parts:
            continue
        for target in MARKDOWN_LINK.findall(CODE.sub("", _text(path))):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            if not resolved.is_relative_to(root) or not resolved.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken


def test_the_link_checks_catch_what_they_should() -> None:
    # Built from parts so that this file does not itself point outside the repository.
    assert OUTSIDE.search("see ../" + "shared/reference/ledgy-api.md")
    assert OUTSIDE.search("as DESIGN" + ".md §6 says")
    assert not OUTSIDE.search("see docs/design-decisions.md")
    assert MARKDOWN_LINK.findall(CODE.sub("", "[a](b.md) `[x](y)`")) == ["b.md"]


def test_every_raw_key_is_in_the_config_reference_with_its_confidence() -> None:
    reference = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    for key in CHARLIEHR_KEYS:
        row = next(line for line in reference.splitlines() if line.startswith(f"| `{key.role}` |"))
        assert row.startswith(f"| `{key.role}` | `{key.key}` |")
        assert f"| {key.confidence} |" in row


def test_every_pagination_key_is_in_the_reading_reference_with_its_confidence() -> None:
    reference = (ROOT / "docs" / "charliehr-reads.md").read_text(encoding="utf-8")
    rows = [line for line in reference.splitlines() if line.startswith("| ")]
    for key in PAGINATION_KEYS:
        row = next(line for line in rows if f"| `{key.key}` |" in line)
        assert f"| `{key.key}` | {key.confidence} |" in row


def test_the_github_page_counts_the_workflows_init_writes() -> None:
    from reconciler.scaffold.files import VERBS

    text = (ROOT / "docs" / "github.md").read_text(encoding="utf-8")
    count = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}[len(VERBS)]
    assert f"`reconciler init` writes {count} short workflows" in text
    assert "reusable-{" + ",".join(VERBS) + "}.yml" in text

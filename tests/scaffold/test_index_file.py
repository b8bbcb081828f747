"""The index and CODEOWNERS text ``init --config`` writes: appended, never rewritten."""

from __future__ import annotations

from pathlib import Path

from reconciler.config.index import find_configs
from reconciler.scaffold.index_file import INDEX_HEADER, codeowners_addition, new_index, with_entry


def test_a_new_index_keeps_the_first_config_as_company_and_adds_the_next(
    tmp_path: Path,
) -> None:
    text = new_index("company.yaml", "entities/uk.yaml")
    assert text.startswith(INDEX_HEADER)
    for name in ("company.yaml", "entities/uk.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("version: 1\n")
    (tmp_path / "reconciler.yaml").write_text(text)
    declared = find_configs(tmp_path)
    assert [(c.name, c.path.as_posix()) for c in declared] == [
        ("company", "company.yaml"),
        ("uk", "entities/uk.yaml"),
    ]


def test_an_entry_is_appended_as_the_last_line_whatever_the_last_newline() -> None:
    with_newline = "version: 1\nconfigs:\n  - path: a.yaml\n"
    assert with_entry(with_newline, "b.yaml") == with_newline + "  - path: b.yaml\n"
    assert with_entry(with_newline.rstrip("\n"), "b.yaml") == with_newline + "  - path: b.yaml\n"
    assert with_entry("", "b.yaml") == "  - path: b.yaml\n"


def test_codeowners_gets_only_the_lines_it_lacks_under_a_heading() -> None:
    lines = "/uk.yaml @acme/hr\n/uk.plan.json @acme/hr\n"
    assert codeowners_addition("", lines, "uk") == "# the config uk\n" + lines
    existing = "* @acme/dev\n/uk.yaml @acme/hr"
    assert codeowners_addition(existing, lines, "uk") == (
        "\n# the config uk\n/uk.plan.json @acme/hr\n"
    )
    assert codeowners_addition(existing + "\n  /uk.plan.json @acme/hr \n", lines, "uk") == ""

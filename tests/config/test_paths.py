"""No path in a config makes the reconciler read or write outside the config's directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.config.load import load_config
from reconciler.config.paths import Kind, path_problem, resolve_inside
from reconciler.errors import ConfigError, Problem
from tests.conftest import DATA

MINIMAL = (DATA / "configs" / "valid-minimal.yaml").read_text()


def _config(folder: Path, ledgy_extra: str) -> Path:
    path = folder / "company.yaml"
    path.write_text(
        MINIMAL.replace(
            "  api_key: env/LEDGY_API_KEY\n", "  api_key: env/LEDGY_API_KEY\n" + ledgy_extra
        )
    )
    return path


def _messages(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [p.message for p in caught.value.problems]


def test_a_symbolic_link_pointing_out_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.graphql"
    outside.write_text("query Auth { auth { company } }")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ops.graphql").symlink_to(outside)
    assert _messages(_config(repo, "  operations: ops.graphql\n")) == [
        "ledgy.operations: resolves outside the config's directory (through a symbolic link?)"
    ]


def test_a_symbolic_link_inside_the_directory_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.graphql").write_text("query Auth { auth { company } }")
    (tmp_path / "ops.graphql").symlink_to(tmp_path / "real.graphql")
    loaded = load_config(_config(tmp_path, "  operations: ops.graphql\n"))
    assert (
        loaded.inside(("ledgy", "operations"), "ops.graphql")
        == (tmp_path / "real.graphql").resolve()
    )


def test_a_fifo_is_refused_before_anything_opens_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ops.graphql")
    assert _messages(_config(tmp_path, "  operations: ops.graphql\n")) == [
        "ledgy.operations: must be a regular file, not a directory, device or FIFO"
    ]


def test_a_link_changed_after_loading_is_refused_at_use(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    loaded = load_config(_config(repo, "  operations: ops.graphql\n"))
    (repo / "ops.graphql").symlink_to(tmp_path / "elsewhere.graphql")
    with pytest.raises(ConfigError) as caught:
        loaded.inside(("ledgy", "operations"), "ops.graphql")
    assert "outside the config's directory" in caught.value.diagnostics()


def test_a_config_that_is_a_fifo_is_a_user_error(tmp_path: Path) -> None:
    fifo = tmp_path / "company.yaml"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="not a regular file"):
        load_config(fifo)


@pytest.mark.parametrize(
    ("name", "kind", "problem"),
    [
        ("file", "file", None),
        ("dir", "directory", None),
        (".", "directory", None),
        ("not-yet", "file", None),
        ("file", "directory", "must be a directory; something else has this name"),
        ("dir", "file", "must be a regular file, not a directory, device or FIFO"),
        ("x" * 300, "file", "cannot be checked (File name too long)"),
        (
            "/etc/passwd",
            "file",
            "must be a path relative to the config's directory, not an absolute path",
        ),
    ],
)
def test_a_path_setting_is_checked_against_the_file_system(
    tmp_path: Path, name: str, kind: Kind, problem: str | None
) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir").mkdir()
    assert path_problem(tmp_path, name, kind) == problem


def test_the_base_itself_is_inside(tmp_path: Path) -> None:
    assert resolve_inside(tmp_path, ".") == tmp_path.resolve()


def test_a_path_problem_is_at_its_value_with_a_remedy(tmp_path: Path) -> None:
    (tmp_path / "upload").write_text("a file, not a directory")
    path = tmp_path / "company.yaml"
    path.write_text(
        MINIMAL.replace(
            "  api_key: env/LEDGY_API_KEY\n",
            "  driver: workbook\n  workbook: {export: e.xlsx, out_dir: upload}\n",
        )
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == (
        Problem(
            str(path),
            9,
            39,
            "ledgy.workbook.out_dir: must be a directory; something else has this name",
            "keep every file the config names inside the repository, next to the config",
        ),
    )
    assert caught.value.problems[0].key_path == ("ledgy", "workbook", "out_dir")


@pytest.mark.parametrize("key", ["export", "state"])
def test_the_workbook_files_must_be_files(tmp_path: Path, key: str) -> None:
    (tmp_path / "taken").mkdir()
    other = "state: s.age" if key == "export" else "export: e.xlsx"
    path = tmp_path / "company.yaml"
    path.write_text(
        MINIMAL.replace(
            "  api_key: env/LEDGY_API_KEY\n",
            f"  driver: workbook\n  workbook: {{{key}: taken, {other}}}\n",
        )
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.message == (
        f"ledgy.workbook.{key}: must be a regular file, not a directory, device or FIFO"
    )
    assert (problem.line, problem.col) == (9, 16 + len(key))
    assert problem.key_path == ("ledgy", "workbook", key)

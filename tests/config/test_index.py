from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.index import DeclaredConfig, find_configs, resolve_config
from reconciler.errors import ConfigError, ReconcilerError


def _repo(tmp_path: Path, index: str | None, *configs: str) -> Path:
    for config in configs:
        (tmp_path / config).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / config).write_text("version: 1\n", encoding="utf-8")
    if index is not None:
        (tmp_path / "reconciler.yaml").write_text(index, encoding="utf-8")
    return tmp_path


def _problems(root: Path) -> list[str]:
    with pytest.raises(ConfigError) as error:
        find_configs(root)
    return [f"{p.line}:{p.col}: {p.message}" for p in error.value.problems]


def test_no_index_the_root_company_yaml_is_the_one_config_named_company(tmp_path: Path) -> None:
    root = _repo(tmp_path, None, "company.yaml")
    assert find_configs(root) == (DeclaredConfig("company", Path("company.yaml")),)


def test_no_index_and_no_config_declares_nothing(tmp_path: Path) -> None:
    assert find_configs(tmp_path) == ()


def test_paths_and_globs_in_the_index_order_with_default_names(tmp_path: Path) -> None:
    index = (
        "version: 1\n"
        "configs:\n"
        "  - name: holding\n"
        "    path: holding/company.yaml\n"
        "  - glob: companies/*/company.yaml\n"
        "  - path: extra/zeta.yaml\n"
    )
    root = _repo(
        tmp_path,
        index,
        "holding/company.yaml",
        "companies/beta/company.yaml",
        "companies/acme/company.yaml",
        "extra/zeta.yaml",
    )
    assert find_configs(root) == (
        DeclaredConfig("holding", Path("holding/company.yaml")),
        DeclaredConfig("acme", Path("companies/acme/company.yaml")),
        DeclaredConfig("beta", Path("companies/beta/company.yaml")),
        DeclaredConfig("zeta", Path("extra/zeta.yaml")),
    )


def test_a_duplicate_name_a_missing_path_and_an_empty_glob_are_errors_at_their_place(
    tmp_path: Path,
) -> None:
    index = (
        "version: 1\n"
        "configs:\n"
        "  - glob: companies/*/company.yaml\n"
        "  - name: acme\n"
        "    path: other/company.yaml\n"
        "  - path: missing/company.yaml\n"
        "  - glob: nowhere/*.yaml\n"
    )
    root = _repo(tmp_path, index, "companies/acme/company.yaml", "other/company.yaml")
    assert _problems(root) == [
        "4:11: the name 'acme' is taken (line 3); names must be unique",
        "6:11: missing/company.yaml: no such file",
        "7:11: the glob nowhere/*.yaml matches no file",
    ]


def test_a_derived_name_that_is_not_a_valid_name_is_an_error(tmp_path: Path) -> None:
    index = "version: 1\nconfigs:\n  - path: Acme Corp/company.yaml\n"
    root = _repo(tmp_path, index, "Acme Corp/company.yaml")
    (problem,) = _problems(root)
    assert problem.startswith(
        "3:11: Acme Corp/company.yaml: 'Acme Corp' is not a valid config name"
    )


def test_model_errors_name_line_and_column(tmp_path: Path) -> None:
    index = (
        "version: 2\n"
        "configs:\n"
        "  - path: a.yaml\n"
        "    glob: '*.yaml'\n"
        "  - name: Bad_Name\n"
        "    path: b.yaml\n"
        "  - path: ../outside.yaml\n"
    )
    problems = _problems(_repo(tmp_path, index, "a.yaml", "b.yaml"))
    assert [p.split(":")[0] for p in problems] == ["1", "3", "5", "7"]
    assert "give either path or glob" in problems[1]
    assert "'..' is not allowed" in problems[3]


def test_a_path_through_a_link_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "company.yaml").write_text("version: 1\n", encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "linked").symlink_to(outside)
    (root / "reconciler.yaml").write_text(
        "version: 1\nconfigs:\n  - path: linked/company.yaml\n", encoding="utf-8"
    )
    (problem,) = _problems(root)
    assert "resolves outside" in problem


def test_the_same_file_twice_is_an_error(tmp_path: Path) -> None:
    index = "version: 1\nconfigs:\n  - path: a/company.yaml\n  - name: other\n    path: a/company.yaml\n"
    (problem,) = _problems(_repo(tmp_path, index, "a/company.yaml"))
    assert problem == "5:11: a/company.yaml is declared twice (line 3)"


def test_resolve_by_name_or_by_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n"
    root = _repo(tmp_path, index, "companies/acme/company.yaml", "loose/thing.yaml")
    monkeypatch.chdir(root)
    acme = DeclaredConfig("acme", Path("companies/acme/company.yaml"))
    assert resolve_config(root, "acme") == acme
    assert resolve_config(root, "companies/acme/company.yaml") == acme
    assert resolve_config(root, "loose/thing.yaml") == DeclaredConfig(
        "thing", Path("loose/thing.yaml")
    )


def test_an_unknown_name_lists_the_declared_ones(tmp_path: Path) -> None:
    index = "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n"
    root = _repo(tmp_path, index, "companies/acme/company.yaml")
    with pytest.raises(ReconcilerError) as error:
        resolve_config(root, "acne")
    assert error.value.message == (
        "no config named 'acne'; did you mean 'acme'?; the configs declared in "
        "reconciler.yaml are: acme"
    )


def test_without_an_index_a_path_keeps_working_and_company_is_the_root_config(
    tmp_path: Path,
) -> None:
    root = _repo(tmp_path, None, "company.yaml")
    assert resolve_config(root, "company") == DeclaredConfig("company", Path("company.yaml"))
    assert resolve_config(root, str(root / "company.yaml")).name == "company"


def test_more_configs_than_a_github_matrix_runs_are_refused_at_the_entry_that_passes_it(
    tmp_path: Path,
) -> None:
    many = [f"companies/c{i:03}/company.yaml" for i in range(250)]
    extra = [f"extra/e{i}.yaml" for i in range(7)]
    index = "version: 1\nconfigs:\n  - glob: companies/*/company.yaml\n" + "".join(
        f"  - path: {path}\n" for path in extra
    )
    root = _repo(tmp_path, index, *many, *extra)
    assert _problems(root) == [
        "10:11: extra/e6.yaml is config number 257: the workflows run a job per config from "
        "one matrix, and GitHub runs at most 256 jobs from a matrix "
        "(https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs)"
    ]
    (root / "reconciler.yaml").write_text(index.replace("  - path: extra/e6.yaml\n", ""))
    assert len(find_configs(root)) == 256


def test_index_errors_name_the_index_and_paths_are_relative_to_the_repository_root(
    tmp_path: Path,
) -> None:
    index = "version: 1\nconfigs:\n  - path: ../etc/company.yaml\n  - glob: /tmp/*.yaml\n"
    root = _repo(tmp_path, index)
    with pytest.raises(ConfigError) as caught:
        find_configs(root)
    assert str(caught.value) == "2 problems in the index (reconciler.yaml)"
    texts = [p.message for p in caught.value.problems]
    assert texts == [
        "configs[0]: must stay inside the repository root; '..' is not allowed",
        "configs[1]: must be a path relative to the repository root, not an absolute path",
    ]
    with pytest.raises(ConfigError, match=r"^1 problem in the index \(reconciler.yaml\)$"):
        empty = tmp_path / "empty"
        empty.mkdir()
        find_configs(_repo(empty, ""))

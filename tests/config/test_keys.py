"""A config's key: its path with no index, its declared name with one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.keys import declared_as, key_of
from reconciler.scaffold.index_file import new_index


def _repository(tmp_path: Path) -> Path:
    (tmp_path / "company.yaml").write_text("version: 1\n")
    (tmp_path / "entities").mkdir()
    (tmp_path / "entities" / "uk.yaml").write_text("version: 1\n")
    (tmp_path / "reconciler.yaml").write_text(new_index("company.yaml", "entities/uk.yaml"))
    return tmp_path


def test_without_an_index_a_config_is_keyed_by_its_path_as_given(tmp_path: Path) -> None:
    config = tmp_path / "configs" / "acme.yaml"
    assert declared_as(config, tmp_path) is None
    assert key_of(Path("configs/acme.yaml"), tmp_path) == "configs/acme.yaml"


def test_a_declared_config_is_keyed_by_its_name_and_the_root_company_yaml_by_its_path(
    tmp_path: Path,
) -> None:
    root = _repository(tmp_path)
    uk = declared_as(root / "entities" / "uk.yaml", root)
    assert uk is not None and uk.path == Path("entities/uk.yaml")
    assert key_of(root / "entities" / "uk.yaml", root) == uk.name
    assert key_of(Path("company.yaml"), root) == "company.yaml"


def test_a_config_the_index_does_not_declare_keeps_its_path(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    (root / "other.yaml").write_text("version: 1\n")
    assert declared_as(root / "other.yaml", root) is None
    assert key_of(Path("other.yaml"), root) == "other.yaml"


def test_the_working_directory_is_the_root_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    monkeypatch.chdir(root)
    assert key_of(Path("entities/uk.yaml")) == "uk"

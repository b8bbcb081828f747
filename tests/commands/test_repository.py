"""A config's files and sync branch, named as the repository names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.commands.repository import BRANCH_PREFIX, branch_of, plan_file_of, repo_path
from reconciler.errors import ReconcilerError


def test_the_saved_plan_file_sits_beside_its_config() -> None:
    assert plan_file_of(Path("entities/uk.yaml")) == Path("entities/uk.plan.json")


def test_a_path_is_named_relative_to_the_checkout_and_outside_it_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / "entities").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    assert repo_path(tmp_path / "repo" / "entities" / "uk.yaml") == "entities/uk.yaml"
    assert repo_path(Path("company.yaml")) == "company.yaml"
    with pytest.raises(ReconcilerError, match="is outside the repository checkout") as caught:
        repo_path(tmp_path / "elsewhere.yaml")
    assert caught.value.remedy == "run the reconciler from the repository's root"


def test_a_sync_branch_is_fixed_per_config_and_a_safe_ref_name() -> None:
    assert branch_of("company.yaml") == BRANCH_PREFIX + "company.yaml"
    assert branch_of("entities/uk team.yaml") == BRANCH_PREFIX + "entities-uk-team.yaml"
    assert branch_of("..") == BRANCH_PREFIX + "config"

"""Which configs a change touches, and the names each config's jobs run under."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.index import DeclaredConfig
from reconciler.config.matrix import config_key, environments, ledgy_group, matrix_entry, touched

CONFIGS = (
    DeclaredConfig("company", Path("company.yaml")),
    DeclaredConfig("acme", Path("companies/acme/company.yaml")),
    DeclaredConfig("beta", Path("companies/beta/company.yaml")),
    DeclaredConfig("east", Path("regions/east.yaml")),
    DeclaredConfig("west", Path("regions/west.yaml")),
)


def _names(changed: list[str]) -> list[str]:
    return [config.name for config in touched(CONFIGS, changed)]


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["companies/acme/company.yaml"], ["acme"]),
        (["companies/acme/company.plan.json"], ["acme"]),
        (["companies/acme/company.ledgy.xlsx.age"], ["acme"]),
        (["companies/acme/notes/anything.md"], ["acme"]),  # its own directory
        (["company.plan.json"], ["company"]),
        (["regions/east.plan.json"], ["east"]),  # a shared directory: only its own files
        (["regions/README.md"], []),
        (["README.md", "docs/x.md"], []),
        (["companies/beta/company.yaml", "company.yaml"], ["company", "beta"]),
    ],
)
def test_a_change_plans_the_configs_whose_files_it_changes(
    changed: list[str], expected: list[str]
) -> None:
    assert _names(changed) == expected


@pytest.mark.parametrize(
    "shared", ["reconciler.yaml", ".github/workflows/reconciler-plan.yml", "action.yml"]
)
def test_a_shared_file_plans_every_config(shared: str) -> None:
    assert _names([shared]) == [c.name for c in CONFIGS]


def test_the_company_config_keeps_the_names_it_had_before_the_index() -> None:
    assert config_key("company", Path("company.yaml")) == "company.yaml"
    assert config_key("company", Path("people/company.yaml")) == "people/company.yaml"
    assert environments("company") == ("reconciler-plan", "reconciler-apply")


def test_every_other_config_is_named_after_itself() -> None:
    assert config_key("acme", Path("companies/acme/company.yaml")) == "acme"
    assert environments("acme") == ("reconciler-plan-acme", "reconciler-apply-acme")


def test_configs_of_one_ledgy_company_share_a_concurrency_group_and_no_other() -> None:
    one = ("https://api.ledgy.com/graphql", "acme ltd")
    other = ("https://api.ledgy.com/graphql", "beta gmbh")
    assert ledgy_group(one, "a") == ledgy_group(one, "b")
    assert ledgy_group(one, "a") != ledgy_group(other, "a")
    assert ledgy_group(None, "a") != ledgy_group(None, "b")  # unreadable: alone


def test_a_matrix_entry_holds_what_a_job_needs() -> None:
    entry = matrix_entry("acme", Path("companies/acme/company.yaml"), None).as_json()
    assert entry == {
        "name": "acme",
        "config": "companies/acme/company.yaml",
        "key": "acme",
        "plan_environment": "reconciler-plan-acme",
        "apply_environment": "reconciler-apply-acme",
        "ledgy": "reconciler-apply-config-acme",
    }

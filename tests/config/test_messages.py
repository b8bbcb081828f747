"""How validation errors read: each kind of mistake gets its own plain wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.load import load_config
from reconciler.config.messages import known_keys
from reconciler.config.model import Config
from reconciler.errors import ConfigError

HEAD = """\
version: 1
hris: {provider: charliehr, client_id: env/ID, client_secret: env/SECRET}
ledgy: {company: Acme Ltd, api_key: env/KEY}
"""


def _messages(tmp_path: Path, tail: str) -> list[str]:
    path = tmp_path / "company.yaml"
    path.write_text(HEAD + tail, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return [problem.message for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("~", "empty (null)"),
        ("true", "true/false"),
        ("12", "a number"),
        ("1.5", "a number"),
        ("plain words", "text"),
        ("2024-01-02", "a date"),
        ("{a: 1}", "a mapping"),
    ],
)
def test_a_list_given_something_else_names_what_it_got(
    tmp_path: Path, value: str, kind: str
) -> None:
    messages = _messages(tmp_path, f"stakeholders:\n  optional_fields: {value}\n")
    assert messages == [f"stakeholders.optional_fields: must be a list, not {kind}"]


def test_a_mapping_given_a_list_says_so(tmp_path: Path) -> None:
    assert _messages(tmp_path, "safety: [1, 2]\n") == [
        "safety: must be a mapping (key: value lines), not a list"
    ]


def test_a_missing_nested_key_names_its_parent(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "stakeholders:\n  custom_fields:\n    - {from: job_title}\n")
    assert messages == ["'stakeholders.custom_fields[0]' is missing the required key 'to'"]


def test_an_unknown_nested_key_lists_the_known_ones(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "stakeholders:\n  terminated: {action: skip, grop: x}\n")
    assert messages == ["unknown key 'grop' in 'stakeholders.terminated'; did you mean 'group'?"]


def test_a_literal_choice_lists_every_allowed_value(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "stakeholders:\n  terminated: {action: delete}\n")
    assert messages == [
        "stakeholders.terminated.action: must be 'skip', 'sync' or 'group', not 'delete'"
    ]


def test_bounds_read_as_words(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "safety: {max_update_percent: 120, min_source_percent: -1}\n")
    assert messages == [
        "safety.max_update_percent: must be at most 100",
        "safety.min_source_percent: must be at least 0",
    ]


def test_an_empty_rule_list_asks_for_one_value(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "stakeholders:\n  sync_if:\n    - {field: country, in: []}\n")
    assert messages == ["stakeholders.sync_if[0].in: must list at least one value"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), list(Config.model_fields)),
        (("stakeholders", "custom_fields", 0), ["from", "to"]),
        (("stakeholders", "terminated"), ["action", "group"]),
        (("stakeholders", "sync_if", 3), ["field", "in"]),
        (("stakeholders", "group"), []),
        (("nowhere",), []),
    ],
)
def test_known_keys_follow_the_model_through_lists_and_optionals(
    path: tuple[str | int, ...], expected: list[str]
) -> None:
    assert known_keys(Config, path) == expected

"""How validation errors read: each kind of mistake gets its own plain wording."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
)

from reconciler.config import limits
from reconciler.config.load import load_config
from reconciler.config.locations import Position, SourceMap
from reconciler.config.messages import describe, known_keys
from reconciler.config.model import Config
from reconciler.errors import ConfigError, Problem

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
        f"safety.max_update_percent: must be at most 100: {limits.PERCENT.why}",
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
        (("ledgy", "workbook"), ["export", "recipients", "state", "out_dir", "columns", "headers"]),
        (("tests", 0, "expect"), ["synced", "reason", "rule", "group", "fields"]),
        (("tests", 0, "expect", "rule"), []),
        (("version",), []),
        (("hris", 0), []),
        (("nowhere",), []),
        (("nowhere", "deeper"), []),
    ],
)
def test_known_keys_follow_the_model_through_lists_and_optionals(
    path: tuple[str | int, ...], expected: list[str]
) -> None:
    assert known_keys(Config, path) == expected


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return [replace(p, path="company.yaml") for p in raised.value.problems]


def test_a_value_of_the_wrong_kind_for_a_rule_lists_every_kind_it_may_be(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "stakeholders:\n  sync_if:\n    - {field: country, in: [[1]]}\n")
    assert messages == [
        "stakeholders.sync_if[0].in[0]: must be text, true or false, a whole number, a number "
        "or a date (YYYY-MM-DD), not a list"
    ]


@pytest.mark.parametrize(("value", "kind"), [("[1, 2]", "a list"), ("{a: 1}", "a mapping")])
def test_a_choice_given_a_collection_names_its_kind(tmp_path: Path, value: str, kind: str) -> None:
    messages = _messages(tmp_path, f"stakeholders:\n  email: {value}\n")
    assert messages == [f"stakeholders.email: must be 'work_email' or 'personal_email', not {kind}"]


def test_a_missing_top_level_key_points_at_the_example(tmp_path: Path) -> None:
    assert _problems(tmp_path, "version: 1\nledgy: {company: A, api_key: env/K}\n") == [
        Problem(
            "company.yaml",
            1,
            1,
            "the file is missing the required key 'hris'",
            "examples/company.yaml shows every key",
        )
    ]


def test_a_missing_nested_key_has_no_hint_and_points_at_its_parent(tmp_path: Path) -> None:
    text = HEAD.replace(", client_secret: env/SECRET", "")
    assert _problems(tmp_path, text) == [
        Problem("company.yaml", 2, 1, "'hris' is missing the required key 'client_secret'")
    ]


def test_an_unknown_key_lists_the_known_keys_of_its_place(tmp_path: Path) -> None:
    text = HEAD.replace(
        "ledgy: {company: Acme Ltd, api_key: env/KEY}",
        "ledgy:\n  company: Acme Ltd\n  driver: workbook\n  workbook: {export: e.xlsx, extra: 1}",
    )
    problems = _problems(tmp_path, text + "ledgy2: 1\n")
    assert [p.key_path for p in problems] == [("ledgy", "workbook", "extra"), ("ledgy2",)]
    assert problems == [
        Problem(
            "company.yaml",
            6,
            30,
            "unknown key 'extra' in 'ledgy.workbook'",
            "known keys here: export, recipients, state, out_dir, columns, headers",
        ),
        Problem(
            "company.yaml",
            7,
            1,
            "unknown key 'ledgy2' at the top level; did you mean 'ledgy'?",
            "known keys here: version, hris, ledgy, stakeholders, safety, tests",
        ),
    ]


def test_a_bound_on_a_fraction_reads_as_words(tmp_path: Path) -> None:
    text = HEAD.replace(
        "client_secret: env/SECRET}",
        "client_secret: env/SECRET, requests_per_second: 0, timeout_seconds: 300.5}",
    )
    assert [p.message for p in _problems(tmp_path, text)] == [
        "hris.requests_per_second: must be more than 0",
        f"hris.timeout_seconds: must be at most 300: {limits.TIMEOUT_SECONDS.why}",
    ]


class _Probe(BaseModel):
    """Constraints the config does not use (yet), each with its own wording."""

    model_config = ConfigDict(extra="forbid")

    below: Annotated[int, Field(lt=5)] = 0
    pair: Annotated[list[int], Field(min_length=2)] = [0, 0]
    code: Annotated[str, Field(pattern=r"^[a-z]{3}$")] = "abc"
    odd: int = 1
    count: int = 0
    choice: Literal["auto"] | Annotated[int, Field(ge=0)] = "auto"
    amount: StrictInt | StrictFloat | StrictBool = 0

    @field_validator("odd")
    @classmethod
    def _odd(cls, value: int) -> int:
        if value % 2 == 0:
            raise ValueError("must be odd")
        return value


def _probe(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        _Probe.model_validate(data)
    # Each given key sits in the document, so union-branch names are trimmed off.
    source_map = SourceMap(values={(key,): Position(1, 1) for key in data})
    return [m.text for m in describe(raised.value.errors(), source_map, _Probe)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"below": 5}, "below: must be less than 5"),
        ({"pair": [1]}, "pair: must list at least 2 values"),
        ({"code": "ABCD"}, "code: must be of the form ^[a-z]{3}$"),
        ({"odd": 2}, "odd: must be odd"),
        ({"count": object()}, "count: must be a whole number, not object"),
    ],
)
def test_every_constraint_reads_as_words(data: dict[str, Any], expected: str) -> None:
    assert _probe(data) == [expected]


def test_a_union_merges_what_its_branches_expect_but_keeps_other_findings() -> None:
    assert _probe({"amount": "many"}) == [
        "amount: must be a whole number, a number or true or false, not text"
    ]
    assert _probe({"choice": -1}) == [
        "choice: must be 'auto', not -1",
        "choice: must be at least 0",
    ]


class _Leaf(BaseModel):
    a: int = 0
    b_: int = Field(default=0, alias="b")


class _Root(BaseModel):
    model_first: _Leaf | int = 0
    model_second: int | _Leaf = 0
    annotated: Annotated[_Leaf, Field(description="a model with metadata")] | None = None


@pytest.mark.parametrize("name", ["model_first", "model_second", "annotated"])
def test_known_keys_find_the_model_of_a_union_wherever_it_stands(name: str) -> None:
    assert known_keys(_Root, (name,)) == ["a", "b"]


def test_a_finding_of_a_validator_keeps_its_hint(tmp_path: Path) -> None:
    text = HEAD.replace(
        "ledgy: {company: Acme Ltd, api_key: env/KEY}", "ledgy: {company: Acme Ltd}"
    )
    assert _problems(tmp_path, text) == [
        Problem(
            "company.yaml",
            3,
            1,
            "ledgy: the api driver needs api_key",
            "add api_key: env/LEDGY_API_KEY, or set driver: workbook",
        )
    ]

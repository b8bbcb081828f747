"""Every number of the config has an upper bound, and its error says the bound and why."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from annotated_types import Le
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from reconciler.config import limits
from reconciler.config.load import load_config
from reconciler.config.model import Config
from reconciler.errors import ConfigError

UNBOUNDED = frozenset({"tests.expect.rule", "stakeholders.sync_if.in"})
"""Numbers that are no setting: the index of a sync_if rule a rule test expects, and the
values a rule accepts."""


def _numbers(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every number field of the config, by key, with its ``le`` (``None``: unbounded)."""
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        for annotation in _members(info.annotation):
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from _numbers(annotation, f"{key}.")
            elif annotation in (int, float):
                bounds = [m.le for m in info.metadata if isinstance(m, Le)]
                yield key, bounds[0] if bounds else _inner_bound(info.annotation)


def _members(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _members(get_args(annotation)[0])
    elif origin in (Union, types.UnionType, tuple, list):
        for arg in get_args(annotation):
            if arg is not Ellipsis:
                yield from _members(arg)
    else:
        yield annotation


def _inner_bound(annotation: Any) -> Any:
    """The ``le`` of a number inside ``Annotated[...] | None``."""
    for arg in get_args(annotation) or (annotation,):
        if get_origin(arg) is Annotated:
            found = [m.le for m in _constraints(get_args(arg)[1:]) if isinstance(m, Le)]
            if found:
                return found[0]
    return None


def _constraints(metadata: tuple[Any, ...]) -> Iterator[Any]:
    for item in metadata:
        yield from item.metadata if isinstance(item, FieldInfo) else (item,)


def test_every_number_in_the_config_has_an_upper_bound_with_a_reason() -> None:
    numbers = dict(_numbers(Config))
    assert "hris.concurrency" in numbers and "safety.max_creates" in numbers
    bounded = {key: most for key, most in numbers.items() if key not in UNBOUNDED}
    assert None not in bounded.values(), [k for k, v in bounded.items() if v is None]
    assert {key: limits.LIMITS[key].most for key in bounded} == bounded
    assert set(limits.LIMITS) == set(bounded)


@pytest.mark.parametrize(
    ("section", "line", "expected"),
    [
        (
            "hris",
            "concurrency: 100000",
            "hris.concurrency: must be at most 32: CharlieHR publishes no rate limit and "
            "answers bursts with 429; more connections only earn 429s",
        ),
        (
            "hris",
            "timeout_seconds: 1.0e9",
            f"hris.timeout_seconds: must be at most 300: {limits.TIMEOUT_SECONDS.why}",
        ),
        (
            "hris",
            "read_deadline_seconds: 86400",
            "hris.read_deadline_seconds: must be at most 21600: a job on GitHub's hosted "
            "runners is stopped after 6 hours (21,600 s) anyway",
        ),
        (
            "hris",
            "page_size: 101",
            f"hris.page_size: must be at most 100: {limits.PAGE_SIZE.why}",
        ),
        (
            "hris",
            "requests_per_second: 5000",
            f"hris.requests_per_second: must be at most 1000: {limits.REQUESTS_PER_SECOND.why}",
        ),
        (
            "ledgy",
            "batch_size: 1000000",
            "ledgy.batch_size: must be at most 500: Ledgy allows 20 requests per 5 s per "
            "company and publishes no limit on one request's size; 500 writes a request "
            "already send 2,000 a second, and a larger request only makes one answer longer "
            "to wait for and one failure larger to retry",
        ),
        (
            "safety",
            "max_creates: 1000001",
            "safety.max_creates: must be at most 100000: a run is built and measured for "
            "companies of up to 100,000 employees, so a larger number stops nothing",
        ),
        (
            "safety",
            "required_approvals: 11",
            "safety.required_approvals: must be at most 10: GitHub's own branch protection "
            "can ask for at most 6 approving reviews; 10 leaves room to spare",
        ),
    ],
)
def test_a_number_past_its_bound_is_told_the_bound_and_why(
    tmp_path: Path, section: str, line: str, expected: str
) -> None:
    sections = {
        "hris": "hris:\n  provider: charliehr\n  client_id: env/ID\n  client_secret: env/SECRET\n",
        "ledgy": "ledgy:\n  company: Acme Ltd\n  api_key: env/KEY\n",
        "safety": "safety:\n",
    }
    sections[section] += f"  {line}\n"
    text = "version: 1\n" + "".join(s for s in sections.values() if s != "safety:\n")
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.message for p in caught.value.problems] == [expected]


def test_a_bound_below_is_told_without_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "company.yaml"
    path.write_text(
        "version: 1\nhris: {provider: charliehr, client_id: env/ID, client_secret: env/SECRET,"
        " read_deadline_seconds: 0}\nledgy: {company: Acme Ltd, api_key: env/KEY}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.message for p in caught.value.problems] == [
        "hris.read_deadline_seconds: must be more than 0"
    ]


def test_list_indexes_are_left_out_of_the_key_a_reason_is_found_by() -> None:
    assert limits.key_of(("tests", 3, "expect", "rule")) == "tests.expect.rule"
    assert limits.reason(("hris", "concurrency")) == limits.CONCURRENCY.why
    assert limits.reason(("hris", "provider")) is None


def test_the_config_reference_lists_every_bound_and_its_reason() -> None:
    text = (Path(__file__).parents[2] / "docs" / "config.md").read_text(encoding="utf-8")
    for key, limit in limits.LIMITS.items():
        assert f"| `{key}` |" in text and f"| {limit.most:,} | {limit.why} |" in text, key

"""Validators of the config model: each refusal with its exact wording and remedy."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reconciler.config.model import Expectation, SensitiveException

REASONS = (
    "sync_if, terminated, missing_identifier, duplicate_identifier, ambiguous_name_match, "
    "duplicate_in_ledgy, invalid_identifier"
)


def _finding(model: type[Expectation | SensitiveException], data: dict[str, object]) -> object:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    (error,) = raised.value.errors()
    return error.get("ctx")


@pytest.mark.parametrize(
    ("reason", "suggestion"),
    [("Sync-If", "; did you mean 'sync_if'?"), ("gone", "")],
)
def test_a_skip_reason_is_one_the_plan_gives(reason: str, suggestion: str) -> None:
    assert _finding(Expectation, {"synced": False, "reason": reason}) == {
        "message": f"must be one of {REASONS}, not '{reason}'{suggestion}",
        "hint": "these are the reasons a plan gives for a skipped employee",
    }


def test_a_sensitive_exception_gives_its_reason_in_words() -> None:
    assert _finding(SensitiveException, {"field": "raw.religion", "reason": "1234567890"}) == {
        "message": "the reason must be written in words (at least two words, 8 letters)",
        "hint": "say in words why this data may be copied (legal basis, who asked)",
    }

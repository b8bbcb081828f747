"""Findings raised from validators keep our wording, their place and their hint."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reconciler.config.issues import ERROR_TYPE, raise_all
from reconciler.config.model import Ledgy


def test_a_failed_check_is_our_message_even_to_pydantic() -> None:
    with pytest.raises(ValidationError) as raised:
        Ledgy.model_validate({"company": "Acme Ltd"})
    (error,) = raised.value.errors()
    assert error["type"] == ERROR_TYPE
    assert error["msg"] == "the api driver needs api_key"
    assert error.get("ctx") == {
        "message": "the api driver needs api_key",
        "hint": "add api_key: env/LEDGY_API_KEY, or set driver: workbook",
    }


def test_every_finding_is_raised_at_its_own_place() -> None:
    findings = [(("in", 0), "first", "do this"), (("in", 2), "third", None)]
    with pytest.raises(ValidationError) as raised:
        raise_all("rule", findings, ["a", "b", "c"])
    assert raised.value.title == "rule"
    assert [e["input"] for e in raised.value.errors()] == [["a", "b", "c"]] * 2
    assert [(e["loc"], e["msg"], e.get("ctx")) for e in raised.value.errors()] == [
        (("in", 0), "first", {"message": "first", "hint": "do this"}),
        (("in", 2), "third", {"message": "third", "hint": None}),
    ]


def test_no_findings_raise_nothing() -> None:
    raise_all("rule", [])

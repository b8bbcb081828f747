"""A gap as the plan JSON lists it."""

from __future__ import annotations

from reconciler.domain.gaps import Gap


def test_a_gap_lists_only_what_it_knows() -> None:
    refused = Gap(("pay_rate",), "endpoint_refused", "GET /salaries", "not read", "grant it")
    assert refused.to_dict() == {
        "fields": ["pay_rate"],
        "reason": "endpoint_refused",
        "endpoint": "GET /salaries",
        "message": "not read",
        "remedy": "grant it",
    }
    absent = Gap(
        ("manager",),
        "key_absent",
        "GET /team_members",
        "not read",
        "add it",
        "line_manager",
        ("manager (text, filled on 2 of 2 records)",),
        (("manager", "manager"),),
    )
    assert absent.to_dict() | {"message": "", "remedy": ""} == {
        "fields": ["manager"],
        "reason": "key_absent",
        "endpoint": "GET /team_members",
        "message": "",
        "remedy": "",
        "key": "line_manager",
        "looks_like": ["manager (text, filled on 2 of 2 records)"],
        "field_keys": {"manager": "manager"},
    }

"""The rules that guard an apply come from the base branch's config, setting by setting."""

from __future__ import annotations

from typing import Any

from reconciler.config.guarded import (
    DEFAULT_ENDPOINTS,
    RuleChange,
    rule_changes,
    rules_of,
    under_base_rules,
    untrusted_endpoints,
)
from reconciler.config.load import base_rules
from reconciler.config.model import Config

HRIS = {"provider": "charliehr", "client_id": "env/A", "client_secret": "env/B"}
LEDGY = {"company": "Acme", "api_key": "env/C"}


def _config(**sections: Any) -> Config:
    data: dict[str, Any] = {"version": 1, "hris": dict(HRIS), "ledgy": dict(LEDGY)}
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return Config.model_validate(data)


def test_a_pull_request_that_lowers_its_own_rules_is_judged_by_the_base_branchs() -> None:
    base = rules_of({"safety": {"required_approvals": 2, "max_creates": 40}})
    mine = _config(safety={"required_approvals": 0, "max_creates": 5000})
    assert rule_changes(base, mine) == (
        RuleChange("safety.max_creates", "40", "5000"),
        RuleChange("safety.required_approvals", "2", "0"),
    )
    judged = under_base_rules(mine, base)
    assert judged.safety.required_approvals == 2 and judged.safety.max_creates == 40
    assert judged.stakeholders == mine.stakeholders


def test_a_changed_endpoint_is_replaced_by_the_base_branchs() -> None:
    base = rules_of({"hris": {"base_url": "https://proxy.example.com/charliehr"}})
    mine = _config(
        hris={"base_url": "https://evil.example.net/api"},
        ledgy={"url": "https://evil.example.net/graphql"},
    )
    changes = rule_changes(base, mine)
    assert [(c.key, c.base, c.proposed, c.endpoint) for c in changes] == [
        (
            "hris.base_url",
            "https://proxy.example.com/charliehr",
            "https://evil.example.net/api",
            True,
        ),
        ("ledgy.url", DEFAULT_ENDPOINTS["ledgy.url"], "https://evil.example.net/graphql", True),
    ]
    judged = under_base_rules(mine, base)
    assert judged.hris.base_url == "https://proxy.example.com/charliehr"
    assert judged.ledgy.url == DEFAULT_ENDPOINTS["ledgy.url"]
    assert untrusted_endpoints(base, mine) == ()  # the base's are used: none is untrusted


def test_a_new_config_gets_the_default_rules_and_its_own_endpoints_are_untrusted() -> None:
    new = base_rules(None, "company.yaml")
    assert new.source == "new" and new.safety.required_approvals == 1
    plain = _config(safety={"required_approvals": 0})
    assert untrusted_endpoints(new, plain) == ()
    assert [c.key for c in rule_changes(new, plain)] == ["safety.required_approvals"]
    proxied = _config(ledgy={"url": "https://proxy.example.com/graphql"})
    assert untrusted_endpoints(new, proxied) == ("ledgy.url",)


def test_a_broken_base_gives_what_it_can_and_says_what_it_could_not() -> None:
    text = (
        "version: 1\nhris: {provider: workday}\n"
        "safety: {required_approvals: 3, max_creates: lots, typo: 1}\n"
        "ledgy: {url: 'http://127.0.0.1:9/graphql'}\n"
    )
    rules = base_rules(text, "base/company.yaml", local=False)
    assert rules.source == "base"
    assert rules.safety.required_approvals == 3 and rules.safety.max_creates == 100
    assert rules.endpoints["ledgy.url"] == DEFAULT_ENDPOINTS["ledgy.url"]
    assert rules.notes == (
        "its safety.max_creates is invalid; the default applies",
        "its ledgy.url is not allowed as an endpoint; the default is trusted instead",
    )
    assert (
        base_rules(text, "base", local=True).endpoints["ledgy.url"] == "http://127.0.0.1:9/graphql"
    )


def test_a_base_that_is_not_yaml_gives_the_defaults_and_says_why() -> None:
    rules = base_rules("safety: [unclosed\n", "company.yaml")
    assert rules.source == "unreadable" and rules.safety.required_approvals == 1
    assert rules.notes[0].startswith("it is not valid YAML (line ")

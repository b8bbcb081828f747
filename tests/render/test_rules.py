"""The change-to-the-rules section: first in the comment, and safe with a hostile URL."""

from __future__ import annotations

from reconciler.config.guarded import DEFAULT_RULES, BaseRules, RuleChange, rules_of
from reconciler.render.rules import rules_section


def test_no_change_no_section() -> None:
    assert rules_section((), DEFAULT_RULES) is None


def test_a_hostile_endpoint_is_shown_as_code_and_cut() -> None:
    hostile = "https://evil.example/`x`<!-- reconciler:plan k -->" + "a" * 300
    change = RuleChange("ledgy.url", "https://app.ledgy.com/graphql", hostile)
    text = rules_section((change,), rules_of({})) or ""
    assert "<!-- reconciler" not in text and "a" * 200 not in text and "…" in text
    assert "🔒 **No credentials go to a changed endpoint** (`ledgy.url`)" in text


def test_a_new_config_with_its_own_endpoint_is_not_planned_and_says_whose_rules() -> None:
    change = RuleChange("hris.base_url", "https://charliehr.com/api/v1", "https://p.example")
    text = rules_section((change,), DEFAULT_RULES, untrusted=("hris.base_url",)) or ""
    assert "(the defaults: this config is new on the base branch)" in text
    assert "🔒 **Not planned.**" in text and "No credentials go" not in text


def test_what_the_base_could_not_hold_is_noted() -> None:
    rules = BaseRules(DEFAULT_RULES.safety, DEFAULT_RULES.endpoints, "base", ("its x is bad",))
    change = RuleChange("safety.max_creates", "100", "5000")
    text = rules_section((change,), rules) or ""
    assert "| `safety.max_creates` | `100` | `5000` |" in text
    assert text.endswith("<sub>On the base branch's config: its x is bad.</sub>")

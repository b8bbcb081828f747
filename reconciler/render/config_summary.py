"""A short human summary of a valid config, as ``reconciler validate`` prints it."""

from __future__ import annotations

from reconciler.config.model import Config, Rule
from reconciler.render.escape import term


def _rule(rule: Rule) -> str:
    return f"{term(rule.field)} in [{', '.join(term(str(v)) for v in rule.in_)}]"


def render_config_summary(config: Config) -> str:
    """Describe what the config will do, one line per section."""
    people = config.stakeholders
    leavers = people.terminated
    leaver_text = (
        f"synced into group '{term(str(leavers.group))}'"
        if leavers.action == "group"
        else {"skip": "skipped", "sync": "synced"}[leavers.action]
    )
    writer = (
        "through the GraphQL API"
        if config.ledgy.driver == "api"
        else f"as upload files in {config.ledgy.workbook.out_dir if config.ledgy.workbook else '?'}"
    )
    lines = [
        f"CharlieHR employees -> Ledgy company '{term(config.ledgy.company)}', written {writer}",
        f"  identifier: {people.identifier}; primary email: {people.email}; group: {people.group}",
        f"  optional fields: {', '.join(people.optional_fields) or 'none'}",
        "  custom fields: "
        + (", ".join(f"{term(c.from_)} -> '{term(c.to)}'" for c in people.custom_fields) or "none"),
        "  sync if: " + (" AND ".join(_rule(r) for r in people.sync_if) or "every employee"),
        f"  leavers: {leaver_text}",
        f"  safety: at most {config.safety.max_update_percent}% updates from "
        f"{config.safety.min_existing} stakeholders up",
        f"  rule tests: {len(config.tests)}",
    ]
    return "\n".join(lines)

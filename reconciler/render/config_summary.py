"""A short human summary of a valid config, as ``reconciler validate`` prints it."""

from __future__ import annotations

from reconciler.config.model import Config, Rule, Stakeholders
from reconciler.render.escape import term


def _rule(rule: Rule) -> str:
    return f"{term(rule.field)} in [{', '.join(term(str(v)) for v in rule.in_)}]"


def _adoption(people: Stakeholders) -> str:
    rules = people.adoption
    if rules.groups == "any":
        sources = ["any group"]
    else:
        groups = people.managed_groups if rules.groups == "managed" else rules.groups
        sources = [f"'{term(g)}'" for g in sorted(groups)]
    if rules.ungrouped:
        sources.append("no group")
    said = f"from {' or '.join(sources)}" if rules.by_name and sources else "off"
    pins = f"; pinned matches: {len(people.matches)}" if people.matches else ""
    return f"  adoption by name: {said}{pins}"


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
        _adoption(people),
        f"  safety: at most {config.safety.max_update_percent}% updates from "
        f"{config.safety.min_existing} stakeholders up",
        f"  rule tests: {len(config.tests)}",
    ]
    return "\n".join(lines)

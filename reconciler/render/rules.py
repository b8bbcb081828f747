"""The first section of a plan comment when a pull request changes the rules. Pure.

The rules that guard an apply (the ``safety`` section, the endpoints that receive
the credentials) are the base branch's (:mod:`reconciler.config.guarded`). A pull
request that changes them is told so before anything else, setting by setting, with
what that means for this plan and for its merge.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.config.guarded import BaseRules, RuleChange
from reconciler.render.markdown import code, escape, table

MAX_URL = 120
"""An endpoint longer than this is cut in the table (it is the PR's own text)."""


def rules_section(
    changes: Sequence[RuleChange], rules: BaseRules, *, untrusted: Sequence[str] = ()
) -> str | None:
    """What the pull request changes in the rules, or ``None`` when it changes none."""
    if not changes:
        return None
    where = {
        "base": "the base branch's config",
        "new": "the defaults: this config is new on the base branch",
        "unreadable": "the defaults: the base branch's config cannot be read",
    }[rules.source]
    lines = [
        "⚖️ **This pull request changes the rules that guard an apply.** They are taken "
        f"from the base branch, never from the pull request itself ({where}): this plan and "
        "the apply when it is merged follow the rules in force; the new values count for "
        "the plans after the merge.",
        table(
            ["Setting", "In force", "This pull request"],
            [[code(c.key), _value(c, c.base), _value(c, c.proposed)] for c in changes],
        ),
    ]
    moved = [c.key for c in changes if c.endpoint and c.key not in untrusted]
    if moved:
        lines.append(
            f"🔒 **No credentials go to a changed endpoint** ({_keys(moved)}): this plan read "
            "CharlieHR and Ledgy at the endpoints in force. An endpoint a pull request "
            "introduces receives nothing until the change is on the base branch."
        )
    if untrusted:
        lines.append(
            f"🔒 **Not planned.** This config names endpoints no base branch vouches for "
            f"({_keys(untrusted)}), so nothing was read with the CharlieHR and Ledgy keys. "
            "Merged, it applies nothing; the first plan comes from a run on the base branch "
            "(the sync or drift workflow) once it is there."
        )
    if rules.notes:
        lines.append(
            "<sub>On the base branch's config: "
            + "; ".join(escape(note) for note in rules.notes)
            + ".</sub>"
        )
    return "\n\n".join(lines)


def _keys(keys: Sequence[str]) -> str:
    return ", ".join(code(k) for k in keys)


def _value(change: RuleChange, value: str) -> str:
    if not change.endpoint:
        return code(value)
    shown = value if len(value) <= MAX_URL else value[:MAX_URL] + "…"
    return code(shown)

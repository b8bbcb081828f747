"""Guards against the one-word typos that touch everyone. Pure.

A ``raw.<key>`` that no CharlieHR record carries would blank a custom field (or
fail a rule) for every employee; a group name Ledgy has never seen would move
everyone into a new group. Both look like an ordinary plan, so they are caught
here: a raw key no employee has is a config error with "did you mean" over the
keys CharlieHR returned, a rare one a warning; a new group is a plan warning with
"did you mean" over the groups in use, and the safety check treats it as risky.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from reconciler.config.model import Config
from reconciler.config.reads import field_reads
from reconciler.config.suggest import did_you_mean
from reconciler.domain.employee import Employee
from reconciler.domain.fields import RAW_PREFIX
from reconciler.domain.gaps import Gap
from reconciler.domain.stakeholder import TargetState
from reconciler.engine.desired import PAY, field_sources
from reconciler.engine.values import Change, PlanWarning

RARE_SHARE = 0.10
"""A raw key with a value on fewer than this share of employees is worth a warning."""

NEW_GROUP = "new_group"
RARE_RAW_KEY = "rare_raw_key"

Location = tuple[str | int, ...]
Finding = tuple[Location, str, str | None]


def raw_reads(config: Config) -> list[tuple[Location, str]]:
    """Every raw key the config reads, with where it is written."""
    reads = field_reads(config)
    return [(where, ref[len(RAW_PREFIX) :]) for where, ref in reads if ref.startswith(RAW_PREFIX)]


def missing_raw_keys(config: Config, employees: Sequence[Employee]) -> list[Finding]:
    """Raw keys the config reads that no CharlieHR record has (errors, at their place)."""
    if not employees:
        return []  # an empty read is the safety check's business
    returned = frozenset().union(*(e.raw_keys for e in employees))
    return [
        (
            where,
            f"no CharlieHR employee has the raw key '{key}'{did_you_mean(key, returned)}",
            "raw keys are case-sensitive; check the spelling against a CharlieHR record "
            "(the CharlieHR API's team member record lists every key)",
        )
        for where, key in raw_reads(config)
        if key not in returned
    ]


def named_reads(config: Config) -> list[tuple[Location, str]]:
    """Every HR field the config asks for by name, with where: custom fields, rules, optional
    fields, and the personal email when it is the stakeholder's email."""
    people = config.stakeholders
    reads = field_reads(config)
    for index, name in enumerate(people.optional_fields):
        fields = PAY if name == "pay_rate" else (name,)
        reads += [(("stakeholders", "optional_fields", index), f) for f in fields]
    if people.email != "work_email":
        reads.append((("stakeholders", "email"), people.email))
    reads.append((("stakeholders", "identifier"), "work_email"))
    return reads


def unread_findings(config: Config, gaps: Iterable[Gap]) -> tuple[list[Finding], list[Gap]]:
    """The gaps that touch a field the plan manages, and the errors among them.

    A field the config asks for by name that nobody's record gave is an error at the
    place it is asked for (the work email always is: nobody could be matched); any
    other managed field unread is the plan's warning. Gaps of unmanaged fields are
    nobody's business.
    """
    managed = set(field_sources(config.stakeholders).values()) - {None}
    named = named_reads(config)
    errors: list[Finding] = []
    kept: list[Gap] = []
    for gap in gaps:
        if not managed.intersection(gap.fields):
            continue
        kept.append(gap)
        errors += [(where, gap.message, gap.remedy) for where, f in named if f in gap.fields]
    return errors, kept


def rare_raw_keys(config: Config, employees: Sequence[Employee]) -> list[PlanWarning]:
    """Raw keys that hold a value on fewer than :data:`RARE_SHARE` of employees."""
    if not employees:
        return []
    warnings = []
    for key in dict.fromkeys(key for _, key in raw_reads(config)):
        holders = sum(1 for e in employees if _filled(e.raw.get(key)))
        present = any(key in e.raw_keys for e in employees)
        if present and holders < RARE_SHARE * len(employees):
            message = (
                f"raw.{key} has a value on {holders} of {len(employees)} employees "
                f"(under {RARE_SHARE:.0%}); is it the key you meant?"
            )
            warnings.append(PlanWarning(None, RARE_RAW_KEY, message))
    return warnings


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def new_groups(changes: Iterable[Change], state: TargetState) -> list[PlanWarning]:
    """A warning for each group the plan writes that no Ledgy stakeholder is in yet.

    Only when Ledgy uses groups at all: in a company without any, every group is new
    and there is nothing a name could be a typo of.
    """
    existing = sorted({s.group for s in state.stakeholders if s.group})
    if not existing:
        return []
    moved: Counter[str] = Counter()
    for change in changes:
        for field in change.fields:
            if field.field == "group" and isinstance(field.new, str):
                moved[field.new] += 1
    return [
        PlanWarning(
            None,
            NEW_GROUP,
            f"group '{group}' does not exist in Ledgy yet (no stakeholder is in it); "
            f"{count} stakeholder(s) would go into it{did_you_mean(group, existing)}",
        )
        for group, count in sorted(moved.items())
        if group not in existing
    ]

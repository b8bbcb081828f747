"""What a valid config reads from HR, and the warnings of a valid config.

The findings that do not stop a run: a sensitive read a written exception allows,
and an exception nothing uses. Pure; it reads the model, which the checks of
:mod:`reconciler.config.checks` may not (the model imports them).
"""

from __future__ import annotations

from reconciler.config.checks import Location, Warning, sensitive_of
from reconciler.config.model import Config
from reconciler.domain.sensitive import SensitiveCategory


def field_reads(config: Config) -> list[tuple[Location, str]]:
    """Every HR field the config reads (custom fields and sync rules), with where it is written."""
    stakeholders = config.stakeholders
    reads: list[tuple[Location, str]] = []
    for i, custom in enumerate(stakeholders.custom_fields):
        reads.append((("stakeholders", "custom_fields", i, "from"), custom.from_))
    for i, rule in enumerate(stakeholders.sync_if):
        reads.append((("stakeholders", "sync_if", i, "field"), rule.field))
    return reads


def config_warnings(config: Config) -> list[Warning]:
    """Return the findings of a valid config that do not stop a run."""
    reads = field_reads(config)
    warnings: list[Warning] = []
    for location, field_ref in reads:
        category = sensitive_of(field_ref)
        if category is not None:
            warnings.append((location, *_excepted_message(field_ref, category)))
    used = {field_ref for _, field_ref in reads}
    for index, exception in enumerate(config.stakeholders.sensitive_exceptions):
        if exception.field not in used:
            warnings.append(
                (
                    ("stakeholders", "sensitive_exceptions", index, "field"),
                    f"the exception for '{exception.field}' is not used by any custom "
                    "field or rule",
                    "remove it, so the file shows exactly what sensitive data is copied",
                )
            )
    return warnings


def _excepted_message(field_ref: str, category: SensitiveCategory) -> tuple[str, str | None]:
    message = f"'{field_ref}' reads {category.name}; allowed by a sensitive exception"
    if category.dropped:
        return (
            message,
            "the CharlieHR client never keeps this category of data, so the value "
            "will always be empty",
        )
    return message, None

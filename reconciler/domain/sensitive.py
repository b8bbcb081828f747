"""Sensitive categories of HR data: the one table of what the reconciler refuses.

A custom field or sync rule that reads a raw CharlieHR key in one of these
categories is a config error, unless ``stakeholders.sensitive_exceptions`` lists
the field with a written reason (then it is a warning). The list follows the seed
product's data-protection refusals plus the payroll data CharlieHR's raw API
carries.

Categories marked ``dropped`` are never kept by the CharlieHR client, with or
without an exception: NI numbers, payroll identifiers, bank details, starter
declarations, student loans and notes are dropped while a response is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True, slots=True)
class SensitiveCategory:
    """A refused category and the key-name patterns that fall into it."""

    name: str
    patterns: tuple[str, ...]
    dropped: bool = False
    """Never kept by the CharlieHR client, even with an exception."""
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(self.patterns)
        object.__setattr__(self, "_regex", re.compile(rf"(?:^|_)(?:{joined})"))

    def matches(self, raw_key: str) -> bool:
        """Say whether a raw key name falls into this category."""
        return self._regex.search(normalise_key(raw_key)) is not None


_C = SensitiveCategory

# Order matters: the first matching category names the finding, so the specific
# ones come before the general ones ("id_card" is an identity document, not a
# payment card; "credit_card" is banking, not a credit rating).
SENSITIVE_CATEGORIES: tuple[SensitiveCategory, ...] = (
    _C(
        "national insurance or social security number",
        (
            "national_insurance",
            "ni_number",
            "nino(?:_|$)",
            "ssn(?:_|$)",
            "social_security",
            "tax_id",
            "utr(?:_|$)",
            "tin(?:_|$)",
        ),
        dropped=True,
    ),
    _C(
        "payroll identifier or statutory payroll data",
        (
            "payroll",
            "starter_declaration",
            "student_loan",
            "postgrad_loan",
            "tax_code",
            "p45",
            "p60",
        ),
        dropped=True,
    ),
    _C(
        "licence, passport or identity document",
        (
            "passport",
            "licen[cs]e",
            "driving",
            "drivers",
            "id_card",
            "identity_card",
            "visa(?:_|$)",
            "right_to_work",
        ),
    ),
    _C(
        "banking or payment data",
        (
            "bank",
            "iban",
            "bic(?:_|$)",
            "swift",
            "sort_code",
            "account_number",
            "routing",
            "card(?:_|$)",
            "card_number",
            "credit_card",
            "payment_details",
        ),
        dropped=True,
    ),
    _C("free-text HR notes", ("notes?(?:_|$)",), dropped=True),
    _C("racial or ethnic origin", ("ethnic", "race(?:_|$)", "racial")),
    _C("political affiliation", ("politic", "party_membership")),
    _C(
        "religious affiliation (including church tax elections)",
        ("relig", "faith", "church", "kirchensteuer", "konfession", "confession", "denomination"),
    ),
    _C("trade union membership", ("union", "trade_union")),
    _C(
        "genetic or health data",
        (
            "health",
            "medical",
            "disab",
            "sick",
            "illness",
            "genetic",
            "allerg",
            "pregnan",
            "diagnos",
            "medication",
            "vaccin",
            "mental",
            "blood",
        ),
    ),
    _C("biometric data", ("biometric", "fingerprint", "face_id", "facial", "retina")),
    _C("sex life or sexual orientation", ("sexual", "orientation", "sex_life")),
    _C(
        "criminal record or background check",
        (
            "criminal",
            "conviction",
            "offen[cs]e",
            "background_check",
            "dbs(?:_|$)",
            "disclosure_barring",
        ),
    ),
    _C("credit rating", ("credit",)),
)


def normalise_key(raw_key: str) -> str:
    """Lower-case a key and turn every run of non-alphanumerics into ``_``.

    camelCase is split too, so ``niNumber`` and ``ni-number`` read as ``ni_number``.
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw_key)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


@cache
def sensitive_category(raw_key: str) -> SensitiveCategory | None:
    """Return the refused category a raw key falls into, or ``None``.

    Cached: the client asks once per key of every parsed JSON object.
    """
    return next((c for c in SENSITIVE_CATEGORIES if c.matches(raw_key)), None)


def is_dropped(raw_key: str) -> bool:
    """Say whether the CharlieHR client must drop this key while parsing."""
    category = sensitive_category(raw_key)
    return category is not None and category.dropped

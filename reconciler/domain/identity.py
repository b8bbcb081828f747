"""One person, one identifier: work emails normalised once, the same way on both sides. Pure.

Both the CharlieHR work email and the Ledgy stakeholder identifier go through
:func:`normal_identifier` before they are compared, so a full-width letter, a
trailing dot, surrounding spaces or a capital letter never makes a second
stakeholder. What normalisation cannot make safe (an invisible or control
character inside the value, a word that mixes scripts with look-alike letters, a
value that is not an email address) is reported by :func:`identifier_problem`;
the engine then neither matches nor creates that employee.

Messages name what is wrong (the code point, the script mix, the address rule),
never the value around it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from email_validator import EmailNotValidError, validate_email

from reconciler.config.text_checks import hidden_character

_TRAILING = " .\t\r\n"


def normal_identifier(value: str | None) -> str | None:
    """NFKC, surrounding whitespace and trailing dots removed, case folded (``None``: empty)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    while text and text[-1] in _TRAILING:
        text = text.rstrip(_TRAILING).strip()
    text = text.casefold()
    return text or None


def normal_email(value: str | None) -> str | None:
    """An email for display: NFKC and trimmed like an identifier, but its case kept."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    return text.rstrip(_TRAILING).strip() or None


@lru_cache(maxsize=1 << 18)
def identifier_problem(identifier: str) -> str | None:
    """Say why a normalised identifier cannot be trusted, or ``None`` when it can.

    Cached: the CharlieHR source checks each work email as soon as the team
    members are read, while the longer lists are still arriving, and the engine's
    own check of the same value then costs nothing.
    """
    hidden = hidden_character(identifier)
    if hidden is not None:
        return f"the work email holds {hidden}"
    if any(char.isspace() for char in identifier):
        return "the work email holds a space"
    mixed = _confusable_part(identifier)
    if mixed is not None:
        return f"the work email mixes scripts with look-alike letters in its {mixed}"
    try:
        validate_email(
            identifier,
            check_deliverability=False,
            globally_deliverable=False,
            test_environment=True,
        )
    except EmailNotValidError as error:
        return f"the work email is not a valid address: {error}"
    return None


def _confusable_part(identifier: str) -> str | None:
    if identifier.isascii():
        # ASCII holds one script (Latin) plus common signs: nothing to mistake for another
        # script, and skipping the lookup halves the identity check of a large company.
        return None
    local, _, domain = identifier.rpartition("@")
    parts = [("local part", local), *(("domain", label) for label in domain.split("."))]
    for name, part in parts:
        if part and confusables.is_dangerous(part):
            return name
    return None


def load_tables() -> None:
    """Load what checking an internationalised address reads on its first use.

    About 40 ms (email-validator's Unicode rules, IDNA's tables): done in a thread
    while the first request travels, it no longer stalls the read in one block.
    """
    identifier_problem.__wrapped__("zoë@exämple.com")

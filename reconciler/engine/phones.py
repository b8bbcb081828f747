"""Mobile numbers to E.164 with Google's rules (phonenumbers).

A number written without its country code is refused rather than guessed: the
seed product reports it invalid and leaves that one field unsynced.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)  # a plan and its base-config twin parse the same numbers
def to_e164(raw: str | None) -> str | None:
    """The number in E.164, or ``None`` when it has no country code or is not a number."""
    if raw is None:
        return None
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        return None
    import phonenumbers  # on first use: a run reaches its first request without it

    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def load_rules() -> None:
    """Import phonenumbers, as the first number would (for a thread that loads ahead)."""
    import phonenumbers  # noqa: F401 - imported for later

"""One person, one identifier: work emails normalised once, the same way on both sides. Pure.

Both the CharlieHR work email and the Ledgy stakeholder identifier go through
:func:`normal_identifier` before they are compared, so a full-width letter, a
trailing dot, surrounding spaces or a capital letter never makes a second
stakeholder. What normalisation cannot make safe (an invisible or control
character inside the value, a word that mixes scripts with look-alike letters, a
value that is not an email address) is reported by :func:`identifier_problem`;
the engine then neither matches nor creates that employee.

Ledgy's side is typed by hand and never refused, so an identifier there may hold
what CharlieHR's may not. :func:`skeleton` is how a person would read either value
(invisible characters gone, look-alike letters read as the Latin letters they look
like): two identifiers with one skeleton but different normal forms are a *suspect*
match. The skeleton is never used to match, only to flag, on whichever side the odd
character is; :func:`visible_identifier` shows such a value with its odd characters
spelled out.

Messages name what is wrong (the code point, the script mix, the address rule),
never the value around it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reconciler.domain.text_checks import hidden_character, is_hidden

_TRAILING = " .\t\r\n"

# confusable-homoglyphs and email-validator are imported where used: together a
# twentieth of a second, which load_tables() spends in a thread while the first
# request travels, not before it.


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


# An address whose local part email-validator accepts without a second look: ASCII
# letters, digits and the signs RFC 5322 allows unquoted, in dot-separated runs; one @;
# nothing (a quote, space, bracket or display name) that would make it read the text
# another way. Printable ASCII holds no hidden character, no space and one script.
_PLAIN = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9.-]+"
)
_PLAIN_LOCAL_MAX = 64
_ADDRESS_MAX = 254


@lru_cache(maxsize=1 << 18)
def identifier_problem(identifier: str) -> str | None:
    """Say why a normalised identifier cannot be trusted, or ``None`` when it can.

    Cached: the CharlieHR source checks each work email as soon as the team
    members are read, while the longer lists are still arriving, and the engine's
    own check of the same value then costs nothing.

    A plain ASCII address is judged by its domain alone, once per domain (a company's
    addresses share a few): email-validator took 57 µs an address, 0.6 s of CPU at
    10,000 employees while the reads were in flight. Anything else, and any address
    whose domain is refused, gets the whole check, and its message.
    """
    if (
        _plain_address(identifier)
        and _address_problem("a@" + identifier.rpartition("@")[2]) is None
    ):
        return None
    return _problem(identifier)


def _plain_address(identifier: str) -> bool:
    return (
        len(identifier) <= _ADDRESS_MAX
        and identifier.find("@") <= _PLAIN_LOCAL_MAX
        and _PLAIN.fullmatch(identifier) is not None
    )


def _problem(identifier: str) -> str | None:
    hidden = hidden_character(identifier)
    if hidden is not None:
        return f"the work email holds {hidden}"
    if any(char.isspace() for char in identifier):
        return "the work email holds a space"
    mixed = _confusable_part(identifier)
    if mixed is not None:
        return f"the work email mixes scripts with look-alike letters in its {mixed}"
    return _address_problem(identifier)


@lru_cache(maxsize=1 << 10)
def _address_problem(address: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(
            address,
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
    from confusable_homoglyphs import confusables

    local, _, domain = identifier.rpartition("@")
    parts = [("local part", local), *(("domain", label) for label in domain.split("."))]
    for name, part in parts:
        if part and confusables.is_dangerous(part):
            return name
    return None


_IGNORABLE = frozenset(
    (
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x3164, 0xFFA0),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    )
)
"""Default-ignorable code points that are not format characters (variation selectors,
Hangul fillers, the combining grapheme joiner): invisible all the same."""


def _unseen(char: str) -> bool:
    return is_hidden(char) or char.isspace() or ord(char) in _IGNORABLE


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each non-ASCII letter or sign that looks like ASCII letters or digits, and those.

    From the Unicode confusables table as confusable-homoglyphs ships it; an ASCII
    character is never mapped (``1`` and ``l`` are different addresses people type).
    """
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [e["c"] for e in entries if e["c"].isascii() and e["c"].isalnum()]
        if targets:
            best = min(targets, key=lambda t: (len(t), not t.isalpha(), t.casefold()))
            table[char] = best.casefold()
    return table


def _plain(text: str) -> bool:
    """ASCII, printable and without spaces: its own skeleton (the common case)."""
    return text.isascii() and text.isprintable() and " " not in text


def skeleton(value: str | None) -> str | None:
    """The identifier as a person reads it, for flagging look-alikes; never for matching.

    The normal form (:func:`normal_identifier`), with invisible characters and
    spaces removed and every non-ASCII look-alike read as the ASCII letters it looks
    like: ``ada\\u200b@acme.test``, ``\\u0430da@acme.test`` (a Cyrillic a) and
    ``ada@acme.test`` have one skeleton.
    """
    if value is not None and _plain(value) and not value.endswith("."):
        return value.lower() or None  # plain ASCII: its normal form is its skeleton
    text = normal_identifier(value)
    if text is None or _plain(text):
        return text
    table = _prototypes()
    return normal_identifier("".join(table.get(c, c) for c in text if not _unseen(c)))


def _odd(char: str) -> bool:
    return (char != " " and _unseen(char)) or char in _prototypes()


def _escaped(char: str) -> str:
    point = ord(char)
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def visible_identifier(value: str) -> str:
    """The value with each invisible or look-alike character spelled as ``\\u200b``."""
    if _plain(value):
        return value
    return "".join(_escaped(c) if _odd(c) else c for c in value)


def visible_text(value: str) -> str:
    """The text with each character that reads as a space or as nothing (a no-break space,
    a zero-width space) spelled as ``\\u00a0``; a plain space and every letter kept (a
    name may be written in Cyrillic: its letters are no look-alikes there)."""
    if value.isascii() and value.isprintable():
        return value
    return "".join(_escaped(c) if c != " " and _unseen(c) else c for c in value)


def odd_characters(value: str) -> tuple[str, ...]:
    """The invisible, space or look-alike characters inside a value, named: ``U+0430
    CYRILLIC SMALL LETTER A`` (each once, in order)."""
    if _plain(value):
        return ()
    table = _prototypes()
    found = dict.fromkeys(c for c in value.strip() if _unseen(c) or c in table)
    return tuple(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in found)


def load_tables() -> None:
    """Load what checking an internationalised address reads on its first use.

    About 40 ms (email-validator's Unicode rules, IDNA's tables): done in a thread
    while the first request travels, it no longer stalls the read in one block.
    """
    identifier_problem.__wrapped__("zoë@exämple.com")

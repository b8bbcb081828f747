"""What an error from an API may show: its message, with any echoed input masked. Pure.

Servers quote what they were sent back in their errors: graphql-js and graphql-core
print a whole variable value (``Variable '$input' got invalid value {...}``), Rails
and Ruby GraphQL servers put the value in parentheses, and a REST server may quote
the record it refused. An error message reaches stderr, the journal, the apply
result, pull request comments and the log, so a birthdate or an address in it would
be published. :func:`reduced` keeps the server's words and masks, in this order:

1. every value we sent, wherever it appears (whole words only; case ignored);
2. anything inside ``{…}`` or ``[…]`` (a list index like ``[0]`` stays), and a
   parenthesised group right after "value", "found", "got" and the like;
3. anything quoted, unless it is a plain name (a field, type or variable name such
   as ``'nationality'``, ``"StakeholderInput"`` or ``'$input_0'``) that we did not send;
4. e-mail addresses, dates, phone numbers and long numbers (pay, ids).

The result is one line of at most :data:`LIMIT` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

MASK = "(masked)"
LIMIT = 200
"""Longest message shown; a longer one is cut at a word and ends with ``…``."""
READ = 20_000
"""Characters of a message read at all (a server may send megabytes)."""
SCAN = 2000
"""Characters searched for brackets and quotes once the values we sent are masked.
At a cut the last, perhaps partial, word goes and a mask stands in for the rest; a
quote or bracket left open there masks everything after it."""
SHORTEST_SENT = 3
"""Shorter values we sent are masked only where quoted: ``GB`` is in too many words."""

_INDEX = re.compile(r"\[\d{1,4}\]")
_QUOTED_TYPE = re.compile(r"""\[[A-Za-z_]\w{0,39}!?\]!?(?=['"])""")
_ECHO_BEFORE = re.compile(
    r"\b(?:value|values|found|got|received|given|input|was|is|saw)\s*:?\s*$", re.IGNORECASE
)
_QUOTED = re.compile(
    r"""(?<!\w)(?:
        '((?:\\.|[^\\])*?)'(?!\w)
      | "((?:\\.|[^\\"])*)"
      | `([^`]*)`
      | “([^”]*)”
      | ‘([^’]*)’(?!\w)
    )""",
    re.VERBOSE | re.DOTALL,
)
_QUOTES = "'\"`“‘"
_OPENING = re.compile(r"""(?<!\w)['"`“‘]""")
_PLAIN_NAME = re.compile(
    r"""\$?[A-Za-z_]\w{0,39}!?                          # nationality, $input_0, String!
      | \[[A-Za-z_]\w{0,39}!?\]!?                       # [String!]!
      | [A-Za-z_]\w{0,39}(?:\.[A-Za-z_]\w{0,39}|\[\d{1,4}\]){1,6}  # input.hris[0].value
    """,
    re.VERBOSE | re.ASCII,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EMAIL = re.compile(r"[\w.+'%-]+@[\w-]+(?:\.[\w-]+)+")
_DATES = (
    re.compile(
        r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    ),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.IGNORECASE),
)
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().\-/]{5,}\d(?!\w)")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,']*(?:\.\d+)?(?!\w)")


def reduced(message: object, sent: Iterable[object] = (), *, limit: int = LIMIT) -> str:
    """A server's error message that is safe to show anywhere; ``""`` for no text.

    ``sent`` holds the values of the request that failed (strings, numbers, dates),
    so that an echo of any of them is masked even when it looks like nothing.
    """
    if not isinstance(message, str):
        return ""
    texts = sent_texts(sent)
    text = _cut(" ".join(_cut(message, READ).split()), READ)
    text = _cut(_mask_sent(text, texts), SCAN)
    text = _mask_structures(text)
    text = _mask_quoted(text, {t.casefold() for t in texts})
    text = _EMAIL.sub(MASK, text)
    for pattern in _DATES:
        text = pattern.sub(MASK, text)
    text = _PHONE.sub(lambda m: MASK if _digits(m.group()) >= 7 else m.group(), text)
    text = _NUMBER.sub(_long_number, text)
    return _capped(text, limit)


def sent_texts(values: Iterable[object]) -> frozenset[str]:
    """Every text form in which a value we sent may come back."""
    texts: set[str] = set()
    for value in values:
        texts |= _forms(value)
    return frozenset(t for t in texts if t.strip())


def _forms(value: object) -> set[str]:
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, str):
        return {value, value.strip()}
    if isinstance(value, datetime | date):
        return {value.isoformat()}
    if isinstance(value, float):
        forms = {repr(value), f"{value:.2f}", f"{value:,.2f}"}
        return forms | ({str(int(value))} if value.is_integer() else set())
    if isinstance(value, int):
        return {str(value)}
    if isinstance(value, dict):
        return {t for v in value.values() for t in _forms(v)}
    if isinstance(value, list | tuple | set | frozenset):
        return {t for v in value for t in _forms(v)}
    return {str(value)}


def _mask_sent(text: str, texts: frozenset[str]) -> str:
    long_enough = sorted((t for t in texts if len(t) >= SHORTEST_SENT), key=len, reverse=True)
    if not long_enough:
        return text
    # Longest first, so a value holding another is masked whole.
    alternatives = "|".join(re.escape(" ".join(t.split())) for t in long_enough)
    return re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", MASK, text, flags=re.IGNORECASE)


def _cut(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0] + " " + MASK


def _mask_structures(text: str) -> str:
    """``{…}``, ``[…]`` and an echoed ``(…)`` become :data:`MASK`; one left open masks the
    rest. Quoted text is passed over whole: its brackets are the quote pass's to mask."""
    out: list[str] = []
    at = 0
    while at < len(text):
        char = text[at]
        kept = _QUOTED.match(text, at) if char in _QUOTES else None
        if char == "[":
            kept = _INDEX.match(text, at)
            if at and text[at - 1] in "'\"":  # a type: "[String!]!"
                kept = _QUOTED_TYPE.match(text, at)
        if kept is not None:
            out.append(kept.group())
            at = kept.end()
        elif char in "{[" or (char == "(" and _ECHO_BEFORE.search("".join(out[-40:]))):
            out.append(MASK)
            at = _after_closing(text, at)
        else:
            out.append(char)
            at += 1
    return "".join(out)


def _after_closing(text: str, start: int) -> int:
    """The index after the bracket that closes the one at ``start`` (quotes respected)."""
    depth = 0
    quote: str | None = None
    at = start
    while at < len(text):
        char = text[at]
        if quote is not None:
            if char == "\\":
                at += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return len(text)


def _mask_quoted(text: str, sent: set[str]) -> str:
    """Quoted text becomes :data:`MASK` unless a plain name; a quote never closed masks
    everything after it."""
    out: list[str] = []
    at = 0
    for match in _QUOTED.finditer(text):
        between = text[at : match.start()]
        opened = _OPENING.search(between)
        if opened is not None:
            return "".join([*out, between[: opened.start()], MASK])
        inside = next(g for g in match.groups() if g is not None)
        plain = _PLAIN_NAME.fullmatch(inside) and inside.casefold() not in sent
        out += [between, match.group() if plain else MASK]
        at = match.end()
    rest = text[at:]
    opened = _OPENING.search(rest)
    return "".join([*out, rest if opened is None else rest[: opened.start()] + MASK])


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _long_number(match: re.Match[str]) -> str:
    """Amounts and ids: five digits or more, or three with a decimal part (12.50)."""
    found = match.group()
    digits = _digits(found)
    return MASK if digits >= 5 or ("." in found and digits >= 3) else found


def _capped(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"

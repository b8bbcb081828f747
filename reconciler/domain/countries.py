"""Country names and codes to ISO 3166-1 alpha-2, whatever form a human wrote.

CharlieHR may hold a country as a name ("United Kingdom") or a code; Ledgy wants
the alpha-2 code. pycountry knows the official and common names and the codes;
the alias table adds the everyday names it does not (UK, England, Holland, …).

pycountry is imported on the first lookup the alias table cannot answer: it takes a
tenth of a second to import, and a run that never converts a country never needs it.
"""

from __future__ import annotations

import re

_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "the united kingdom": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "deutschland": "DE",
    "russia": "RU",
    "turkey": "TR",
    "south korea": "KR",
    "north korea": "KP",
    "ivory coast": "CI",
    "czech republic": "CZ",
    "schweiz": "CH",
    "suisse": "CH",
    "españa": "ES",
    "espana": "ES",
    "österreich": "AT",
    "osterreich": "AT",
    "uae": "AE",
}

_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")


def to_alpha2(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code or name, or ``None``."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    alias = _ALIASES.get(cleaned.lower())
    if alias is not None:
        return alias
    import pycountry

    try:
        country = pycountry.countries.lookup(cleaned)
    except LookupError:
        return None
    code: str = country.alpha_2
    return code


def is_alpha2(text: str) -> bool:
    """Say whether ``text`` is an assigned alpha-2 code, in any letter case."""
    if not _ALPHA2.match(text):
        return False
    import pycountry

    return pycountry.countries.get(alpha_2=text.upper()) is not None


def load_table() -> None:
    """Import pycountry and load its country table, as the first lookup would.

    A tenth of a second: done in a thread while the first request travels (see
    :func:`reconciler.domain.identity.load_tables`), it never stalls the read.
    """
    to_alpha2("Switzerland")

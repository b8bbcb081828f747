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

_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM
    BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX
    CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG
    GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
    IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV
    LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE
    NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
    RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF
    WS YE YT ZA ZM ZW
"""
ASSIGNED = frozenset(_CODES.split())
"""The assigned alpha-2 codes, as pycountry lists them (a test holds the two equal): a
config's country rule written in codes is checked without importing pycountry."""


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
    if text.upper() in ASSIGNED:
        return True
    import pycountry

    return pycountry.countries.get(alpha_2=text.upper()) is not None


def load_table() -> None:
    """Import pycountry and load its country table, as the first lookup would.

    A tenth of a second: done in a thread while the first request travels (see
    :func:`reconciler.domain.identity.load_tables`), it never stalls the read.
    """
    to_alpha2("Switzerland")

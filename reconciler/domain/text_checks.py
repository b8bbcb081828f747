"""Checks of free text in a config: names without hidden characters, reasons in words. Pure."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_WORD = re.compile(r"[^\W\d_]{2,}")
_ALLOWED_IN_TEXT = frozenset("\n\t")


def is_hidden(char: str) -> bool:
    """True for a control, format (zero-width, bidi), private, unassigned or line/paragraph
    separator character: one a reader cannot see, or cannot see for what it is."""
    return unicodedata.category(char) in _HIDDEN


def hidden_character(text: str, *, allowed: frozenset[str] = frozenset()) -> str | None:
    """Describe the first control, invisible or unassigned character in ``text``, if any.

    The description names the code point (``U+200B``), never the surrounding text.
    """
    for position, char in enumerate(text, start=1):
        if char in allowed:
            continue
        if is_hidden(char):
            return f"a control or invisible character (U+{ord(char):04X} at position {position})"
    return None


def reason_problem(text: str) -> str | None:
    """Say why a written reason is not one, or ``None`` when it has real words."""
    hidden = hidden_character(text, allowed=_ALLOWED_IN_TEXT)
    if hidden is not None:
        return f"the reason holds {hidden}"
    words = _WORD.findall(text)
    if len(words) < 2 or sum(len(w) for w in words) < 8:
        return "the reason must be written in words (at least two words, 8 letters)"
    return None


def path_text_problem(value: str, base: str = "the config's directory") -> str | None:
    """Say what is wrong with a path setting's text, or ``None``; ``base`` names what the
    path is relative to. Pure."""
    hidden = hidden_character(value)
    if hidden is not None:
        return f"a path cannot hold {hidden}"
    windows = PureWindowsPath(value)
    if PurePosixPath(value).is_absolute() or windows.drive or windows.root:
        return f"must be a path relative to {base}, not an absolute path"
    if ".." in PurePosixPath(value.replace("\\", "/")).parts:
        return f"must stay inside {base}; '..' is not allowed"
    return None

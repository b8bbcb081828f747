"""How a string that came from outside is made inert in everything we print. Pure.

Names, emails, identifiers, group names, custom field names and values, the Ledgy
company name and error details from the APIs all come from systems anyone with an
HR or Ledgy login can write to. Every renderer passes them through this module:

- :func:`visible` (terminal, logs): control characters, ANSI escapes, bidi
  overrides and zero-width characters are shown as ``\\x1b``, ``\\u202e``, … so a
  value can neither repaint the terminal nor hide what it is.
- :func:`term` (one value on a terminal line) adds: no workflow command. GitHub's
  runner treats a line starting with ``::`` (after spaces) and ``##[`` anywhere
  as a command; values never produce either.
- :func:`md_text` and :func:`md_code` (Markdown): a value cannot open a block,
  break a table cell or code span, form a link, image, autolink, mention, issue
  reference or HTML, and cannot forge a reconciler marker (``<!--``).

docs/hostile-input.md says why each rule is there.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata

JOINER = "\u2060"
"""WORD JOINER: invisible, and it breaks what GitHub would turn into a link or mention."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
# Characters that change what Markdown means; escaped with a backslash. `<`, `>`
# and `&` become entities instead, so the raw body never holds `<!--`.
_MD_PUNCT = frozenset("\\`*_[]|~$")
_BLOCK_START = re.compile(r"^(?:[-+=#]|(\d+)[.)])")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# GitHub turns these into links or notifications after rendering, so an escape
# does not stop them; a word joiner inside them does.
_GH_REFERENCE = re.compile(r"(?i)(?<=gh)-(?=\d)|(?<=www)\.")
_WORKFLOW_PREFIX = re.compile(r"^(\s*):(?=:)")


def _shown(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES


def visible(value: str) -> str:
    """Show control, format (bidi, zero-width) and separator characters as escapes."""
    if value.isprintable():  # the common case: nothing to do
        return value
    return "".join(_shown(c) if _hidden(c) else c for c in value)


def term(value: str) -> str:
    """One outside value for a terminal or log line: visible, never a workflow command."""
    shown = visible(value).replace("##[", "##\\x5b")
    return _WORKFLOW_PREFIX.sub(lambda m: m.group(1) + "\\x3a", shown, count=1)


def term_block(text: str) -> str:
    """Several lines we composed around outside values (an error, a log record).

    Line breaks stay; everything else is treated as :func:`term` treats a value,
    line by line.
    """
    return "\n".join(term(line) for line in text.split("\n"))


def md_text(value: str) -> str:
    """An outside value as inline Markdown text, safe in a paragraph or a table cell."""
    out = []
    for char in _GH_REFERENCE.sub(lambda m: JOINER + m.group(0), visible(value)):
        if char == "@":  # joined on both sides: neither a mention nor an email autolink
            out.append(JOINER + "@" + JOINER)
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _MD_PUNCT:
            out.append("\\" + char)
        else:
            out.append(char)
        if char in "#:":  # issue refs (`#1`, `o/r#1`) and `scheme:` autolinks
            out.append(JOINER)
    text = "".join(out)
    # A value that starts a line must not start a heading, list or setext underline.
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text, count=1)


def md_code(value: str) -> str:
    """An outside value as an inline code span, safe in a paragraph or a table cell.

    The fence is longer than any run of backticks in the value, so the value
    cannot close it. A code span cannot carry a pipe inside a table cell (GFM
    splits the row before it sees the span), so such a value is shown as
    :func:`md_text` instead.
    """
    # A code span is literal to Markdown, but the raw body is still read by us (a
    # forged `<!--` marker) and, printed in a log, by the runner (`##[`).
    shown = visible(value).replace("<!--", "<!-" + JOINER + "-").replace("##[", "#" + JOINER + "#[")
    if not shown:
        return ""
    if "|" in shown:
        return md_text(value)
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _json_escape(char: str) -> str:
    point = ord(char)
    if point < 0x10000:
        return f"\\u{point:04x}"
    high, low = divmod(point - 0x10000, 0x400)  # JSON spells astral characters as a pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_text(data: object) -> str:
    """JSON for people and machines: letters stay readable, hidden characters are escaped.

    ``json.dumps`` escapes control characters but would print a bidi override or a
    zero-width space as it is; here those become ``\\u202e``, which every JSON
    reader decodes back to the same string. Printed in a CI log, no line is a
    workflow command (``##[`` is spelled ``##\\u005b``).
    """
    # `#` is never JSON syntax, so `##[` is inside a string: there, `\u005b` is `[`.
    text = json.dumps(data, indent=2, ensure_ascii=False).replace("##[", "##\\u005b")
    if text.replace("\n", "").isprintable():  # the common case, at C speed
        return text
    return "".join(_json_escape(c) if c != "\n" and _hidden(c) else c for c in text)


class TerminalLogFormatter(logging.Formatter):
    """Log records with every outside value shown as :func:`term_block` shows it."""

    def format(self, record: logging.LogRecord) -> str:
        """The usual record, then made inert (tracebacks keep their line breaks)."""
        return term_block(super().format(record))

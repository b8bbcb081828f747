"""What a rendered document is made of, to compare a hostile rendering with a harmless one.

Markdown is parsed by markdown-it-py as CommonMark with GFM tables. GitHub also
turns bare URLs and emails into links (linkify-it-py with GFM's rules: a scheme
or ``www.``, no fuzzy domains), ``@name`` and ``@org/team`` into mentions and
``#1``, ``GH-1``, ``owner/repo#1`` into issue references, after rendering and
outside code: :func:`references` finds all of those in the rendered text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from linkify_it import LinkifyIt  # type: ignore[import-untyped]
from markdown_it import MarkdownIt
from markdown_it.token import Token

JOINER = "\u2060"
_MD = MarkdownIt("commonmark").enable("table")
_LINKIFY = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": True})
_WWW = re.compile(r"(?i)(?<![\w.])www\.[\w-]")
_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
_STATE = re.compile(r"(<!-- reconciler:state ).*( -->)", re.S)  # its data differs by value
_ISSUE = re.compile(r"#\d|(?i:gh-\d)")  # stricter than GitHub: any `#1`, `o/r#1`, `GH-1`


@dataclass(frozen=True)
class Shape:
    """The parts of a Markdown document that only the reconciler may decide."""

    blocks: tuple[tuple[str, str], ...]
    headings: tuple[str, ...]
    cells: int
    links: tuple[str, ...]
    html: tuple[str, ...]
    markers: int


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak", "code_inline"):
            parts.append(" ")  # GitHub never links or mentions inside code
    return "".join(parts)


def shape(markdown: str) -> Shape:
    """The structure of a Markdown document, without the text of its values."""
    tokens = _MD.parse(markdown)
    inline = [t for t in tokens if t.type == "inline"]
    children = [c for t in inline for c in t.children or []]
    headings = tuple(
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"
    )
    return Shape(
        blocks=tuple((t.type, t.tag) for t in tokens if t.type != "inline"),
        headings=headings,
        cells=sum(1 for t in tokens if t.type in ("td_open", "th_open")),
        links=tuple(
            str(c.attrs.get("href") or c.attrs.get("src"))
            for c in children
            if c.type in ("link_open", "image")
        ),
        html=tuple(
            _STATE.sub(r"\1…\2", t.content.strip())
            for t in [*tokens, *children]
            if t.type in ("html_block", "html_inline")
        ),
        markers=markdown.count("<!--"),
    )


def references(markdown: str) -> list[str]:
    """Autolinks, mentions and issue references GitHub would make of the rendered text."""
    found: list[str] = []
    for token in _MD.parse(markdown):
        if token.type != "inline":
            continue
        text = _inline_text(token)
        found += [m.raw for m in _LINKIFY.match(text) or []]
        for pattern in (_WWW, _MENTION, _ISSUE):
            found += pattern.findall(text)
    return found


def hidden_characters(text: str, *, allowed: str = "\n") -> list[str]:
    """Control, format (bidi, zero-width) and separator characters, as escapes."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if c not in allowed and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
    ]


def workflow_commands(text: str) -> list[str]:
    """Lines GitHub's runner would take as a workflow command (``::x``, ``##[x``)."""
    return [line for line in text.split("\n") if line.lstrip().startswith("::") or "##[" in line]

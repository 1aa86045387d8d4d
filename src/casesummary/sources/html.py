"""Portal HTML -> visible text, split into sections at its headings (selectolax/lexbor).

One-line text extraction runs list items together and keeps `<title>` text, so the tree is
walked instead: a new line at every block tag, list items as their own lines ("1. …" in an
`<ol>`, "- …" in a `<ul>`), table cells joined by " | ", `<script>`/`<style>`/`<title>`/`<meta>`
left out. The walk is iterative (no recursion, linear in the size of the HTML).

A section heading is an `<h1>`–`<h3>` that sits outside the body of a section: the portals put
each body in a `<span>` (often a whole Word-converted page), and headings *inside* a body
("<h3><span>Om Grenhusene</span></h3>") are sub-headings that stay in the text as lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from casesummary.sources._text import clean_line, normalise_text

_SKIP = frozenset(
    {
        "script",
        "style",
        "title",
        "meta",
        "head",
        "link",
        "noscript",
        "template",
        "object",
        "iframe",
        "svg",
        "math",
        "button",
        "select",
    }
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_SECTION_HEADINGS = frozenset({"h1", "h2", "h3"})
# Inside these a heading belongs to a section body, not to the item's outline.
_BODY = frozenset({"span", "li", "td", "th", "table", "p", "blockquote"})
_CELL = "\x1f"
_TABLE_ROWS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})


#: Deeper than this is junk, not a document: HTML parsers slow down with depth (lexbor checks
#: the stack of open elements at each end tag), so such input is refused before parsing.
MAX_DEPTH = 2000
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
# Void and self-closing-by-context tags do not make the tree deeper.
_FLAT = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"),
        *("track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"),
    }
)
_FLAT = _FLAT | {name.upper() for name in _FLAT}


class TooDeeplyNested(ValueError):
    """The HTML nests elements deeper than `MAX_DEPTH`."""


def _check_depth(html: str) -> None:
    if html.count("<") <= MAX_DEPTH:
        return  # fewer tags than the limit cannot nest deeper than it
    depth = 0
    # Tag names only (attributes are not scanned): a self-closing `<x/>` counts as opening,
    # which can only overestimate the depth.
    for closing, name in _TAG_TOKEN.findall(html):
        if name in _FLAT or name.lower() in _FLAT:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            raise TooDeeplyNested(f"HTML nested more than {MAX_DEPTH} elements deep")


@dataclass(frozen=True, slots=True)
class HtmlSection:
    """Visible text under one heading; `heading` is None for text before the first heading.

    `hint` is the class of the first classed `<span>` in the section ("indstilling", "resume"…),
    which portals use to mark what a body is; only a hint, the heading text decides.
    """

    heading: str | None
    text: str
    hint: str | None = None


class _Text:
    """Builds the text of one section: soft line breaks, pending list-item prefixes."""

    __slots__ = ("hint", "line_has_text", "need_break", "pieces", "prefix")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.line_has_text = False
        self.need_break = False
        self.prefix: str | None = None
        self.hint: str | None = None

    def text(self, value: str, keep_newlines: bool = False) -> None:
        if not keep_newlines:
            value = value.replace("\r", " ").replace("\n", " ")
        if not value.strip():
            if self.line_has_text and not self.need_break:
                self.pieces.append(" ")
            return
        if self.need_break and self.line_has_text:
            self.pieces.append("\n")
            self.line_has_text = False
        self.need_break = False
        if self.prefix is not None:
            if self.line_has_text:
                self.pieces.append("\n")
            self.pieces.append(self.prefix)
            self.prefix = None
        self.pieces.append(value)
        self.line_has_text = True

    def cell(self) -> None:
        if self.line_has_text and not self.need_break:
            self.pieces.append(_CELL)

    def brk(self) -> None:
        if self.line_has_text:
            self.need_break = True

    def finish(self) -> str:
        raw = "".join(self.pieces)
        if _CELL in raw:
            raw = "\n".join(_join_cells(line) for line in raw.split("\n"))
        return normalise_text(raw)


def _join_cells(line: str) -> str:
    if _CELL not in line:
        return line
    return " | ".join(c for c in (clean_line(p) for p in line.split(_CELL)) if c)


def _list_marker(kind: str, index: int) -> str:
    if kind == "ul":
        return "- "
    if kind in ("a", "A") and 1 <= index <= 26:
        letter = chr(ord("a") + index - 1)
        return f"{letter.upper() if kind == 'A' else letter}. "
    return f"{index}. "


_LIST_STYLES = {"upper-alpha": "A", "upper-latin": "A", "lower-alpha": "a", "lower-latin": "a"}


def _style_list_type(style: str | None) -> str | None:
    """The `<ol type>` a CSS `list-style-type` stands for ("upper-alpha" -> "A")."""
    if not style or "list-style-type" not in style:
        return None
    match = re.search(r"list-style-type\s*:\s*([a-z\-]+)", style)
    return _LIST_STYLES.get(match.group(1)) if match else None


def _int_attr(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _walk(root: Any, *, split: bool) -> list[HtmlSection]:
    """Depth-first walk with parent pointers: enter/leave events without recursion."""
    sections: list[HtmlSection] = []
    heading: str | None = None
    out = _Text()
    lists: list[list[Any]] = []  # [kind, next index] per open <ol>/<ul>
    body_depth = 0
    pre_depth = 0
    cell_depth = 0

    def block(tag: str) -> None:
        # Inside a table cell, paragraphs and breaks only separate words: a row stays one line.
        if cell_depth and tag not in _TABLE_ROWS:
            out.text(" ")
        else:
            out.brk()

    def leave(tag: str) -> None:
        nonlocal body_depth, pre_depth, cell_depth
        if tag in _BODY:
            body_depth -= 1
        if tag == "pre":
            pre_depth -= 1
        elif tag in ("td", "th"):
            cell_depth -= 1
        elif tag in ("ol", "ul") and lists:
            lists.pop()
        if tag in _BLOCK:
            block(tag)

    node = root.child
    depth = 1
    while node is not None:
        tag = node.tag
        if tag == "-text":
            out.text(node.text_content or "", keep_newlines=pre_depth > 0)
        elif tag in _SKIP or tag.startswith(("-", "!")):
            pass
        elif split and tag in _SECTION_HEADINGS and body_depth == 0:
            if heading is not None or out.pieces:
                sections.append(HtmlSection(heading, out.finish(), out.hint))
            heading = clean_line(node.text(deep=True, separator=" ")) or None
            out = _Text()
        else:
            if tag in _BLOCK:
                block(tag)
            if tag in _BODY:
                body_depth += 1
                if tag == "span" and out.hint is None:
                    out.hint = node.attributes.get("class") or None
            if tag == "pre":
                pre_depth += 1
            if tag == "ol":
                attrs = node.attributes
                kind = attrs.get("type") or _style_list_type(attrs.get("style")) or "1"
                lists.append([kind, _int_attr(attrs.get("start"), 1)])
            elif tag == "ul":
                lists.append(["ul", 1])
            elif tag == "li":
                kind, index = lists[-1] if lists else ("ul", 1)
                if lists:
                    lists[-1][1] = index + 1
                out.prefix = _list_marker(kind, index)
            elif tag in ("td", "th"):
                out.cell()
                cell_depth += 1
            child = node.child
            if child is not None:
                node = child
                depth += 1
                continue
            leave(tag)
        # Next node: the sibling, else climb (leaving each parent) until one has a sibling.
        while True:
            sibling = node.next
            if sibling is not None:
                node = sibling
                break
            depth -= 1
            if depth == 0:
                node = None
                break
            node = node.parent
            leave(node.tag)
    if heading is not None or out.pieces:
        sections.append(HtmlSection(heading, out.finish(), out.hint))
    return sections


def _body(html: str) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    _check_depth(html)
    return LexborHTMLParser(html).body


def html_sections(html: str) -> list[HtmlSection]:
    """The visible text of portal HTML, one entry per section heading (see module docstring)."""
    body = _body(html)
    if body is None:
        return []
    return [s for s in _walk(body, split=True) if s.heading or s.text]


def node_sections(node: Any) -> list[HtmlSection]:
    """Like `html_sections`, for a node of a page already parsed (a portal page's item body)."""
    return [s for s in _walk(node, split=True) if s.heading or s.text]


def check_depth(html: str) -> None:
    """Raise TooDeeplyNested for HTML nested deeper than `MAX_DEPTH` (check before parsing)."""
    _check_depth(html)


def html_text(html: str) -> str:
    """All visible text of an HTML fragment, headings kept as lines."""
    body = _body(html)
    if body is None:
        return ""
    return "\n".join(s.text for s in _walk(body, split=False) if s.text)

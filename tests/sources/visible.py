"""An independent measure of how much of a source's visible text an item kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from casesummary.item import AgendaItem


def reference_html_text(html: str) -> str:
    """Visible text by the simplest route: lexbor's own text(), minus <title>/<meta>/scripts."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("title, meta, script, style"):
        node.decompose()
    body = tree.body
    return body.text(separator=" ") if body is not None else ""


def item_text(items: Iterable[AgendaItem]) -> str:
    """Every string an item carries about its content (title, meta, headings, text, bilag)."""
    parts: list[str] = []
    for item in items:
        parts += [item.title, item.number or "", item.case_type or "", item.case_number or ""]
        parts += [item.committee or "", item.meeting_place or ""]
        for section in item.sections:
            parts += [section.heading, section.text]
        for attachment in item.attachments:
            parts += [attachment.title, attachment.document_id or ""]
    return "\n".join(parts)


def coverage(source: str, kept: str) -> float:
    """Share of the source's non-whitespace characters (as a multiset) found in `kept`."""
    want = Counter(c for c in source if not c.isspace())
    have = Counter(c for c in kept if not c.isspace())
    total = sum(want.values())
    if not total:
        return 1.0
    return sum(min(n, have[c]) for c, n in want.items()) / total


def word_coverage(source: str, kept: str) -> float:
    """Share of the source's words (each occurrence) that the kept text contains somewhere.

    Unlike `coverage`, a line the source repeats (a title printed twice) counts once as kept.
    """
    import re

    have = {w.casefold() for w in re.findall(r"\w+", kept)}
    words = [w.casefold() for w in re.findall(r"\w+", source)]
    if not words:
        return 1.0
    return sum(1 for w in words if w in have) / len(words)

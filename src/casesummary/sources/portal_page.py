"""A rendered FirstAgenda portal page (HTML): the same items the portal's JSON gives.

The page (Aarhus's and every other FirstAgenda Publication site) lists one `tr.punktrow` per
item: the number in `.punkt-tabel .label`, the title in `.overskrift`, the case number in
`.sagsnummer`, the body in `#sagsfremstillingContainer` (the JSON's `Html` field, rendered),
and the attachments as `a.bilag-link` under a "Bilag" heading. The meeting's committee, date
and place stand in `table.dagsordeninfo` (`.udvalg`, `.dato`, `.sted`). The body is split into
sections exactly as the JSON's HTML is (`firstagenda.html_blocks`), so both give the same
sections and kinds; an item is closed when its title says "Lukket" or the page marks it
"Lukket punkt" and shows no text, as in the JSON.
"""

from __future__ import annotations

from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, SourceFormat
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._input import HtmlInput
from casesummary.sources._text import clean_line, split_title
from casesummary.sources.firstagenda import html_blocks
from casesummary.sources.html import TooDeeplyNested, check_depth, node_sections

NAMES = ("firstagenda-page",)

_MARKERS = ("punktrow", "sagsfremstillingContainer")


def detect(data: object) -> bool:
    """An HTML page with FirstAgenda's agenda rows or item bodies."""
    return isinstance(data, HtmlInput) and any(marker in data.text for marker in _MARKERS)


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per agenda row, each with the meeting's committee, date and place."""
    if not isinstance(data, HtmlInput):
        raise InvalidAgendaItem("expected an HTML page", source=origin)
    from selectolax.lexbor import LexborHTMLParser

    try:
        check_depth(data.text)
    except TooDeeplyNested as exc:
        raise InvalidAgendaItem(str(exc), source=origin) from exc
    tree = LexborHTMLParser(data.text)
    rows = tree.css("tr.punktrow")
    if not rows and len(tree.css("#sagsfremstillingContainer")) == 1:
        # One item's own page: its title, number and body without the agenda table.
        rows = [tree.body] if tree.body is not None else []
    if not rows:
        raise InvalidAgendaItem(
            "a FirstAgenda page without agenda rows (tr.punktrow): save the meeting's page "
            "once its items have loaded",
            source=origin,
        )
    meeting = {
        "committee": _first_text(tree, ".dagsordeninfo .udvalg", ".title .udvalg", ".udvalg"),
        "meeting_place": _first_text(tree, ".dagsordeninfo .sted", ".title .sted", ".sted"),
        "meeting_date": _meeting_date(tree),
    }
    drafts = [_row(row, index, origin) for index, row in enumerate(rows)]
    found = municipality or guess_municipality(
        t for d in drafts for t in [d["title"], *(s.text for s in d["sections"])]
    )
    items = []
    for draft in drafts:
        draft.update(meeting, source_format=SourceFormat.FIRSTAGENDA_PAGE, municipality=found)
        items.append(make_item(draft, origin=origin))
    return items


def _first_text(tree: Any, *selectors: str) -> str | None:
    for selector in selectors:
        for node in tree.css(selector):
            text = clean_line(node.text(deep=True, separator=" "))
            if text:
                return text
    return None


def _meeting_date(tree: Any) -> Any:
    for selector in (".dagsordeninfo .dato", "h1.dato", ".dato"):
        for node in tree.css(selector):
            found = parse_danish_date(clean_line(node.text(deep=True, separator=" ")))
            if found:
                return found
    return None


def _row(row: Any, index: int, origin: str | None) -> dict[str, Any]:
    label = row.css_first(".punkt-tabel .label") or row.css_first(".label")
    number = clean_line(label.text(deep=True)) if label is not None else str(index + 1)
    heading = row.css_first(".overskrift") or row.css_first("h1") or row.css_first("h2")
    raw_title = clean_line(heading.text(deep=True, separator=" ")) if heading is not None else ""
    if not raw_title:
        raise InvalidAgendaItem(f"agenda row {index + 1} has no title (.overskrift)", source=origin)
    title, case_type, closed_by_title = split_title(raw_title)
    case = row.css_first(".sagsnummer")
    body = row.css_first("#sagsfremstillingContainer")
    sections = make_sections(html_blocks(node_sections(body))) if body is not None else []
    marked_closed = not sections and any(
        clean_line(node.text(deep=True)).casefold() == "lukket punkt" for node in row.css("span")
    )
    return {
        "number": number or str(index + 1),
        "title": title,
        "case_type": case_type,
        "case_number": clean_line(case.text(deep=True)) or None if case is not None else None,
        "sections": sections,
        "attachments": tuple(_attachments(row)),
        "is_open": not (closed_by_title or (marked_closed and not sections)),
    }


def _attachments(row: Any) -> list[Attachment]:
    out = []
    for link in row.css("a.bilag-link"):
        title = clean_line(link.text(deep=True, separator=" "))
        if not title:
            continue
        attributes = link.attributes
        document_id = (attributes.get("id") or "").removeprefix("enclosure-") or None
        sibling = link.prev
        while document_id is None and sibling is not None:
            document_id = (sibling.attributes or {}).get("data-id") or None
            sibling = sibling.prev
        out.append(Attachment(title=title, url=attributes.get("href"), document_id=document_id))
    return out

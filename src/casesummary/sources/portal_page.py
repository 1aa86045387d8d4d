"""A rendered FirstAgenda portal page (HTML): the same items the portal's JSON gives.

The page (Aarhus's and every other FirstAgenda Publication site) lists one `tr.punktrow` per
item: the number in `.punkt-tabel .label`, the title in `.overskrift`, the case number in
`.sagsnummer`, the body in `#sagsfremstillingContainer` (the JSON's `Html` field, rendered),
and the attachments as `a.bilag-link` under a "Bilag" heading. The meeting's committee, date
and place stand in `table.dagsordeninfo` (`.udvalg`, `.dato`, `.sted`). The body is split into
sections exactly as the JSON's HTML is (`firstagenda.html_blocks`), so both give the same
sections and kinds; an item is closed when its title says "Lukket" or the page marks it
"Lukket punkt" and shows no text, as in the JSON. Every customer's site runs the same app, so
these classes are the same everywhere. The app's pages that hold no agenda (the front page's
list of meetings, the document viewer, a meeting page saved before its items loaded) are
detected as its pages and refused saying what they are.
"""

from __future__ import annotations

import re
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, SourceFormat
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._input import HtmlInput
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._text import clean_line, split_title
from casesummary.sources.firstagenda import html_blocks
from casesummary.sources.html import TooDeeplyNested, check_depth, node_sections

NAMES = ("firstagenda-page",)

_MARKERS = ("punktrow", "sagsfremstillingContainer")
#: A page of the FirstAgenda Publication app, whatever it shows: its scripts, styles and API.
_APP = re.compile(
    r"""(?:src|href|value)=["'][^"']*firstagenda|id=["']dagsordenDetaljer["']""", re.IGNORECASE
)
_SCAN = 200_000
_ITEM_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,3})*[a-zA-Z]?$")


def detect(data: object) -> bool:
    """An HTML page with FirstAgenda's agenda rows or item bodies, or another page of its app
    (a front page, a document viewer, a page saved before its items loaded): parse says which."""
    if not isinstance(data, HtmlInput):
        return False
    return any(marker in data.text for marker in _MARKERS) or (
        _APP.search(data.text[:_SCAN]) is not None
    )


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
    own_page = not rows and len(tree.css("#sagsfremstillingContainer")) == 1
    if own_page:
        # One item's own page: its title, number and body without the agenda table.
        rows = [tree.body] if tree.body is not None else []
    if not rows:
        raise InvalidAgendaItem(_without_rows(tree), source=origin)
    meeting = {
        "committee": _first_text(tree, ".dagsordeninfo .udvalg", ".title .udvalg", ".udvalg"),
        "meeting_place": _first_text(tree, ".dagsordeninfo .sted", ".title .sted", ".sted"),
        "meeting_date": _meeting_date(tree),
    }
    drafts = [_row(row, None if own_page else index, origin) for index, row in enumerate(rows)]
    found = municipality or guess_municipality(
        t for d in drafts for t in [d["title"], *(s.text for s in d["sections"])]
    )
    items = []
    for draft in drafts:
        draft.update(meeting, source_format=SourceFormat.FIRSTAGENDA_PAGE, municipality=found)
        items.append(make_item(draft, origin=origin))
    return items


def _without_rows(tree: Any) -> str:
    """What a FirstAgenda page without agenda rows is, and what to load instead."""
    meetings = [
        link.attributes.get("href") or ""
        for link in tree.css("a[href]")
        if re.search(r"/vis\?[^\s\"']*\bid=", link.attributes.get("href") or "")
    ]
    if meetings:
        return (
            f"a FirstAgenda portal's list of {len(meetings)} meetings (its front page or search "
            f"results, e.g. {meetings[0]}), not one meeting: load one meeting's address "
            f"(https://HOST/vis?id=MEETING) or its saved page. Supported: {SUPPORTED}"
        )
    if tree.css_first("iframe#pdfframe") is not None or tree.css_first("iframe[src]") is not None:
        return (
            "a FirstAgenda document viewer page: it only frames a PDF (an attachment or the "
            f"agenda); download that PDF and load it instead. Supported: {SUPPORTED}"
        )
    return (
        "a FirstAgenda meeting page without its agenda rows (tr.punktrow): the page was saved "
        "before its scripts had loaded the items; save it again once they show, or load the "
        "meeting's address (https://HOST/vis?id=MEETING)"
    )


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


def _row(row: Any, index: int | None, origin: str | None) -> dict[str, Any]:
    """One agenda row's item (`index` None: an item's own page, which may show no number)."""
    number = _number(row) or (str(index + 1) if index is not None else None)
    heading = row.css_first(".overskrift") or _item_heading(row)
    raw_title = clean_line(heading.text(deep=True, separator=" ")) if heading is not None else ""
    if not raw_title:
        where = f"agenda row {index + 1}" if index is not None else "the item's page"
        raise InvalidAgendaItem(f"{where} has no title (.overskrift)", source=origin)
    title, case_type, closed_by_title = split_title(raw_title)
    case = row.css_first(".sagsnummer")
    body = row.css_first("#sagsfremstillingContainer")
    sections = make_sections(html_blocks(node_sections(body))) if body is not None else []
    marked_closed = not sections and any(
        clean_line(node.text(deep=True)).casefold() == "lukket punkt" for node in row.css("span")
    )
    return {
        "number": number,
        "title": title,
        "case_type": case_type,
        "case_number": clean_line(case.text(deep=True)) or None if case is not None else None,
        "sections": sections,
        "attachments": tuple(_attachments(row)),
        "is_open": not (closed_by_title or (marked_closed and not sections)),
    }


def _number(row: Any) -> str | None:
    """The row's item number: its number label, never an attachment's "PDF" label."""
    label = row.css_first(".punkt-tabel .label")
    labels = [label] if label is not None else row.css(".label")
    for node in labels:
        text = clean_line(node.text(deep=True))
        if _ITEM_NUMBER.match(text):
            return text
    return None


def _item_heading(row: Any) -> Any:
    """An item page's first h1/h2 that is not the meeting's date or committee line."""
    for node in row.css("h1, h2"):
        classes = f" {node.attributes.get('class') or ''} "
        parent = node.parent
        in_title = False
        while parent is not None and not in_title:
            in_title = "title" in (parent.attributes.get("class") or "").split()
            parent = parent.parent
        if " dato " not in classes and not in_title:
            return node
    return None


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

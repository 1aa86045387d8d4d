"""SBSYS agenda exports (eDagsorden), in both shapes the OS2 importers read.

- The publication export (os2dagsorden's os2web_sbsys_esdh): `<Publication><Agendas><Agenda>`
  with the committee (`Committee/Name`), the meeting (`Meeting/When`, `Meeting/Where`) and
  `Items/Item`: `Number`, `Caption`, `IsPublic`, `Case/Number`, the text fields
  `Fields/ItemField` (`Caption`, `Index`, `Content` as HTML in CDATA) and the files
  `Enclosures/Enclosure` (`Name`, `FileName`, `DownloadUrl`).
- The newer export (os2web_meetings_sbsys): `<Dagsorden Åben=… Dagsordentype=…>` with
  `<Møde Udvalg=… Mødedato=… Mødetid=… Mødested=…>` and `Dagsordenpunkter/Dagsordenpunkt`
  (`Åbent`, `Overskrift`, the text in `Indhold`, the files in `Bilagsliste/Bilag` with
  `Navn`, `BilagID`, `BilagUrl`, `MaaPubliceres`).

Element names are matched without their namespace. Items come in agenda order (by number, when
the export numbers every item). A closed item (`IsPublic`/`Åbent` false) loads with its title
only, without its text or its files' names: the export's own rule is that they are not
published; a closed item without a title is "Lukket punkt".
"""

from __future__ import annotations

import re
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, SectionKind, SourceFormat
from casesummary.sources._build import (
    CLOSED_TITLE,
    body_blocks,
    fields_blocks,
    in_agenda_order,
    make_item,
    make_sections,
)
from casesummary.sources._text import split_title
from casesummary.sources._xml import (
    XmlInput,
    attribute,
    child,
    children,
    descend,
    flag,
    local_name,
    raw_text,
    text,
)

NAMES = ("sbsys-xml",)

_HTML_TAGS = frozenset(
    {
        "p",
        "div",
        "span",
        "table",
        "ul",
        "ol",
        "br",
        "b",
        "strong",
        "h1",
        "h2",
        "h3",
        "h4",
        "i",
        "em",
        "font",
        "li",
    }
)


def detect(data: object) -> bool:
    """XML rooted in <Publication> with agendas, or in <Dagsorden> with <Dagsordenpunkter>."""
    if not isinstance(data, XmlInput):
        return False
    root = data.root
    if data.root_name == "Publication":
        return child(root, "Agendas") is not None
    return data.root_name == "Dagsorden" and child(root, "Dagsordenpunkter") is not None


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per agenda item, each with the meeting's committee, date and place."""
    if not isinstance(data, XmlInput):
        raise InvalidAgendaItem("expected SBSYS XML", source=origin)
    if data.root_name == "Publication":
        drafts = [
            d
            for agenda in children(child(data.root, "Agendas"), "Agenda")
            for d in _numbered(_agenda(agenda, origin))
        ]
    elif data.root_name == "Dagsorden":
        drafts = _numbered(_dagsorden(data.root, origin))
    else:
        raise InvalidAgendaItem(
            f"not SBSYS XML: the root element is <{data.root_name}>", source=origin
        )
    if not drafts:
        raise InvalidAgendaItem("the SBSYS export lists no agenda items", source=origin)
    found = municipality or guess_municipality(
        t for d in drafts for t in [d["title"], *(s.text for s in d["sections"])]
    )
    items = []
    for draft in drafts:
        draft.update(source_format=SourceFormat.SBSYS_XML, municipality=found)
        items.append(make_item(draft, origin=origin))
    return items


def _numbered(drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In agenda order when the export numbers every item; an unnumbered item is numbered by
    its place in the export."""
    drafts = in_agenda_order(drafts)
    for draft in drafts:
        position = draft.pop("position")
        draft["number"] = draft["number"] or position
    return drafts


def _untitled(number: str, is_open: bool, has_text: bool, origin: str | None) -> str | None:
    """The title of an item the export gives none: "Lukket punkt" for a closed one, none (the
    row is blank and left out) for an open one without text; open text without a title is an
    error, not text to drop."""
    if not is_open:
        return CLOSED_TITLE
    if has_text:
        raise InvalidAgendaItem(f"SBSYS agenda item {number} has text but no title", source=origin)
    return None


# --- <Publication> -------------------------------------------------------------------------


def _agenda(agenda: Any, origin: str | None) -> list[dict[str, Any]]:
    meeting = child(agenda, "Meeting")
    common = {
        "committee": text(agenda, "Committee", "Name") or text(agenda, "Name"),
        "meeting_date": _date(text(meeting, "When") if meeting is not None else None),
        "meeting_place": text(meeting, "Where") if meeting is not None else None,
    }
    items = child(agenda, "Items")
    out = []
    for index, item in enumerate(children(items, "Item") if items is not None else ()):
        number = text(item, "Number")
        public = flag(text(item, "IsPublic")) is not False
        fields = child(item, "Fields")
        ordered = sorted(
            children(fields, "ItemField") if fields is not None else (),
            key=lambda f: _int(text(f, "Index")),
        )
        raw_title = text(item, "Caption") or text(item, "Title") or text(item, "Case", "Title")
        if not raw_title:
            has_text = any(raw_text(child(f, "Content")).strip() for f in ordered)
            raw_title = _untitled(number or str(index + 1), public, has_text, origin)
            if raw_title is None:
                continue
        title, case_type, closed = split_title(raw_title)
        is_open = public and not closed
        blocks = []
        if is_open:
            blocks = fields_blocks(
                (text(field, "Caption"), raw_text(child(field, "Content")), None)
                for field in ordered
            )
        case = text(item, "Case", "Number")
        out.append(
            {
                **common,
                "number": number,
                "position": str(index + 1),
                "title": title,
                "case_type": case_type,
                "case_number": case if case and case != "-" else None,
                "sections": make_sections(blocks),
                # A closed item is published with its title only: its files' names too are not.
                "attachments": tuple(_enclosures(item)) if is_open else (),
                "is_open": is_open,
            }
        )
    return out


def _enclosures(item: Any) -> list[Attachment]:
    found = child(item, "Enclosures")
    out = []
    for enclosure in children(found, "Enclosure") if found is not None else ():
        title = text(enclosure, "Name") or text(enclosure, "FileName")
        if title:
            out.append(
                Attachment(
                    title=title,
                    url=text(enclosure, "DownloadUrl"),
                    document_id=text(enclosure, "FileName"),
                )
            )
    return out


# --- <Dagsorden> ---------------------------------------------------------------------------


def _dagsorden(root: Any, origin: str | None) -> list[dict[str, Any]]:
    meeting = child(root, "Møde")
    when = " ".join(v for v in (attribute(meeting, "Mødedato"), attribute(meeting, "Mødetid")) if v)
    common = {
        "committee": attribute(meeting, "Udvalg") or text(meeting, "Udvalg")
        if meeting is not None
        else None,
        "meeting_date": _date(when or (text(meeting, "Mødedato") if meeting is not None else None)),
        "meeting_place": attribute(meeting, "Mødested")
        or (text(meeting, "Mødested") if meeting is not None else None),
    }
    closed_agenda = flag(attribute(root, "Åben", "Aaben")) is False
    out = []
    for index, point in enumerate(children(child(root, "Dagsordenpunkter"), "Dagsordenpunkt")):
        number = (
            attribute(point, "Nummer", "Punktnummer", "Nr", "Punktnr")
            or text(point, "Nummer")
            or text(point, "Punktnummer")
        )
        access = flag(attribute(point, "Åbent", "Åben", "Aabent"))
        public = not closed_agenda and access is not False
        raw_title = text(point, "Overskrift") or attribute(point, "Overskrift", "Titel")
        if not raw_title:
            has_text = any(raw_text(content).strip() for content in children(point, "Indhold"))
            raw_title = _untitled(number or str(index + 1), public, has_text, origin)
            if raw_title is None:
                continue
        title, case_type, closed = split_title(raw_title)
        is_open = public and not closed
        blocks = []
        if is_open:
            for content in children(point, "Indhold"):
                blocks += _indhold(content)
        out.append(
            {
                **common,
                "number": number,
                "position": str(index + 1),
                "title": title,
                "case_type": case_type,
                "case_number": attribute(point, "Sagsnummer", "Sagsnr")
                or text(point, "Sagsnummer"),
                "sections": make_sections(blocks),
                "attachments": tuple(_bilag(point)) if is_open else (),
                "is_open": is_open,
            }
        )
    return out


def _indhold(content: Any) -> list[tuple[str, str, SectionKind | None]]:
    """One <Indhold>: its named child fields, or its own (HTML) text under its heading."""
    heading = attribute(content, "Overskrift", "Titel", "Navn", "Type", "Felt")
    fields = [c for c in content if isinstance(c.tag, str)]
    if fields and all(local_name(c).lower() not in _HTML_TAGS for c in fields):
        blocks = []
        for field in fields:
            name = attribute(field, "Overskrift", "Titel", "Navn") or _spelled(local_name(field))
            blocks += body_blocks(name, _inner(field))
        return blocks
    return body_blocks(heading, _inner(content))


_CAMEL = re.compile(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])")


def _spelled(name: str) -> str:
    """An element name as the heading it stands for: "Økonomiske_konsekvenser" and
    "ØkonomiskeKonsekvenser" are "Økonomiske konsekvenser" (XML names hold no spaces)."""
    words = _CAMEL.sub(" ", name.replace("_", " ").replace("-", " ")).split()
    if not words:
        return name
    return " ".join([words[0], *(w.lower() if w[1:].islower() else w for w in words[1:])])


def _inner(element: Any) -> str:
    """An element's content as text, or as markup where it holds XHTML elements."""
    from lxml import etree

    if not any(isinstance(c.tag, str) for c in element):
        return raw_text(element)
    parts = [element.text or ""]
    parts += [etree.tostring(c, encoding="unicode", with_tail=True) for c in element]
    return "".join(parts)


def _bilag(point: Any) -> list[Attachment]:
    listing = child(point, "Bilagsliste")
    out = []
    for bilag in children(listing, "Bilag") if listing is not None else ():
        title = attribute(bilag, "Navn", "Titel") or text(bilag)
        if not title or flag(attribute(bilag, "MaaPubliceres")) is False:
            continue
        out.append(
            Attachment(
                title=title,
                url=attribute(bilag, "BilagUrl", "Url"),
                document_id=attribute(bilag, "BilagID", "Id"),
            )
        )
    return out


def _date(value: str | None) -> Any:
    return parse_danish_date(value) if value else None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


__all__ = ["NAMES", "descend", "detect", "parse"]

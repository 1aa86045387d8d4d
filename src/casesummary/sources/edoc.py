"""eDoc agenda publishing XML, plain and in Fujitsu's namespace, as the OS2 importers read it.

- Plain eDoc (os2web_edoc_esdh, os2web_meetings_edoc): `<Meeting>` with `Committee`,
  `MeetingDate` ("04-12-2012 13:00:00") and `MeetingAgendaTypes/MeetingAgendaType` (its
  `AgendaType` says "Åben dagsorden" or "Lukket …"), whose `MeetingAgendaItems/MeetingAgendaItem`
  carry `AgendaItemNumber`, `Document/Title`, `Document/PublishingType` ("SKAL PUBLICERES" is
  public), `Document/Attachments/Attachment` and the item's whole text in `FullText`, laid out
  like one item as text ("2.<tab>Title", "Sagsnr.: …", headings): `itemtext` reads it.
- Fujitsu's eDoc (`http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/`, os2web_meetings_
  edoc_fujitsu): `<Root>` with `Committee/Name` and `Committee/Meeting` (`MeetingDateTime`,
  `MeetingLocation`, `Agenda/AgendaElements/AgendaElement`); each element's `AccessIsPublic` and
  `HandlingItem` (`SerialNo`, `Title`, `CaseNumber`, `CasePresentations/CasePresentation` with
  `Title`, HTML `Content`, `IsDecision`; `Attachments/Attachment`). Elements without a title
  (breaks) are no items.

Items come in the agenda's order (by number: 2 < 2a < 2.1 < 10). Names are matched without
their namespace, so either shape may carry one. A closed item loads with its title only (eDoc's
`NeutralTitle`, the title written for publishing a closed item, where there is one), without
its text or its files; a file marked non-public is left out of an open item.
"""

from __future__ import annotations

from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, SectionKind, SourceFormat
from casesummary.sources import itemtext
from casesummary.sources._build import (
    CLOSED_TITLE,
    fields_blocks,
    make_item,
    make_sections,
    number_order,
)
from casesummary.sources._text import split_title
from casesummary.sources._xml import XmlInput, child, children, descend, flag, raw_text, text

NAMES = ("edoc-xml",)

FUJITSU = "http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/"
_PUBLIC = "skal publiceres"


def detect(data: object) -> bool:
    """<Meeting> with agenda types, or <Root> with a committee's meeting agenda."""
    if not isinstance(data, XmlInput):
        return False
    if data.root_name == "Meeting":
        return child(data.root, "MeetingAgendaTypes") is not None
    return data.root_name == "Root" and descend(data.root, "Committee", "Meeting") is not None


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per agenda item, in the agenda's order."""
    if not isinstance(data, XmlInput):
        raise InvalidAgendaItem("expected eDoc XML", source=origin)
    if data.root_name == "Meeting":
        drafts = _plain(data.root, origin)
    elif data.root_name == "Root":
        drafts = _fujitsu(data.root)
    else:
        raise InvalidAgendaItem(
            f"not eDoc XML: the root element is <{data.root_name}>", source=origin
        )
    if not drafts:
        raise InvalidAgendaItem("the eDoc export lists no agenda items", source=origin)
    drafts.sort(key=lambda d: number_order(d["number"]))
    found = municipality or guess_municipality(
        t for d in drafts for t in [d["title"], *(s.text for s in d["sections"])]
    )
    items = []
    for draft in drafts:
        draft.update(source_format=SourceFormat.EDOC_XML, municipality=found)
        items.append(make_item(draft, origin=origin))
    return items


def _closed_title(title: str | None, neutral: str | None) -> str:
    """A closed item's public title: eDoc's neutral title, written to be published in place of
    one that may name a person or a price; else its title, else "Lukket punkt"."""
    return neutral or title or CLOSED_TITLE


# --- plain eDoc ----------------------------------------------------------------------------


def _plain(root: Any, origin: str | None) -> list[dict[str, Any]]:
    committee = text(root, "Committee")
    meeting_date = _date(text(root, "MeetingDate"))
    types = child(root, "MeetingAgendaTypes")
    drafts = []
    for agenda_type in children(types, "MeetingAgendaType") if types is not None else ():
        closed_type = "lukket" in (text(agenda_type, "AgendaType") or "").casefold()
        listing = child(agenda_type, "MeetingAgendaItems")
        for index, entry in enumerate(
            children(listing, "MeetingAgendaItem") if listing is not None else ()
        ):
            drafts.append(_plain_item(entry, index, closed_type, origin))
    for draft in drafts:
        draft.setdefault("committee", committee)
        if draft.get("meeting_date") is None:
            draft["meeting_date"] = meeting_date
    return drafts


def _plain_item(entry: Any, index: int, closed_type: bool, origin: str | None) -> dict[str, Any]:
    document = child(entry, "Document")
    full_text = raw_text(child(entry, "FullText"))
    fields: dict[str, Any] = {}
    if full_text.strip():
        fields = itemtext.item_fields(full_text.replace("\f", "\n"), origin=origin)
    number = text(entry, "AgendaItemNumber") or fields.get("number") or str(index + 1)
    raw_title = text(document, "Title") if document is not None else None
    raw_title = raw_title or fields.get("title")
    publishing = (text(document, "PublishingType") or _PUBLIC) if document is not None else _PUBLIC
    public = not closed_type and publishing.casefold() == _PUBLIC
    if not public:
        raw_title = _closed_title(raw_title, text(document, "NeutralTitle"))
    if not raw_title:
        raise InvalidAgendaItem(f"eDoc agenda item {number} has no title", source=origin)
    title, case_type, closed = split_title(raw_title)
    is_open = public and not closed
    attachments = _plain_attachments(document) or list(fields.get("attachments", ()))
    return {
        "number": number,
        "title": title,
        "case_type": case_type or fields.get("case_type"),
        "case_number": fields.get("case_number"),
        "meeting_date": None,
        "sections": list(fields.get("sections", ())) if is_open else [],
        "attachments": tuple(attachments) if is_open else (),
        "is_open": is_open,
    }


def _plain_attachments(document: Any) -> list[Attachment]:
    listing = child(document, "Attachments") if document is not None else None
    out = []
    for attachment in children(listing, "Attachment") if listing is not None else ():
        title = text(attachment, "Title") or text(attachment, "NeutralTitle")
        if title:
            out.append(
                Attachment(
                    title=title,
                    url=text(attachment, "UrlShowAttachment"),
                    document_id=attachment.get("attachmentid") or text(attachment, "PDFDocument"),
                )
            )
    return out


# --- Fujitsu eDoc --------------------------------------------------------------------------


def _fujitsu(root: Any) -> list[dict[str, Any]]:
    committee = child(root, "Committee")
    meeting = child(committee, "Meeting")
    common = {
        "committee": text(committee, "Name"),
        "meeting_date": _date(text(meeting, "MeetingDateTime")),
        "meeting_place": text(meeting, "MeetingLocation") or text(committee, "DefaultLocation"),
    }
    elements = descend(meeting, "Agenda", "AgendaElements")
    drafts = []
    for element in children(elements, "AgendaElement") if elements is not None else ():
        handling = child(element, "HandlingItem")
        if handling is None:
            continue  # a break or a heading row in the agenda, not an item
        raw_title = text(handling, "Title")
        public = flag(text(element, "AccessIsPublic")) is not False
        if not public:
            raw_title = _closed_title(raw_title, text(handling, "NeutralTitle"))
        if not raw_title:
            continue  # an untitled open row: a break, as the importer reads it
        title, case_type, closed = split_title(raw_title)
        is_open = public and not closed
        presentations = child(handling, "CasePresentations")
        blocks = fields_blocks(
            (
                text(presentation, "Title"),
                raw_text(child(presentation, "Content")),
                SectionKind.DECISION if flag(text(presentation, "IsDecision")) else None,
            )
            for presentation in (children(presentations, "CasePresentation") if is_open else ())
        )
        drafts.append(
            {
                **common,
                "number": text(handling, "SerialNo") or text(element, "SortOrder"),
                "title": title,
                "case_type": case_type,
                "case_number": text(handling, "CaseNumber"),
                "sections": make_sections(blocks),
                "attachments": tuple(_fujitsu_attachments(handling)) if is_open else (),
                "is_open": is_open,
            }
        )
    return drafts


def _fujitsu_attachments(handling: Any) -> list[Attachment]:
    listing = child(handling, "Attachments")
    out = []
    for attachment in children(listing, "Attachment") if listing is not None else ():
        title = text(attachment, "Title")
        if title and _public_file(attachment):
            out.append(
                Attachment(
                    title=title,
                    url=text(attachment, "Link"),
                    document_id=text(attachment, "Identifier"),
                )
            )
    return out


def _public_file(attachment: Any) -> bool:
    """Whether a file may be published: `AccessEnumName` "Public" (or `AccessName` "Offentlig");
    a file that says neither is taken as its item's."""
    enum = text(attachment, "AccessEnumName")
    if enum is not None:
        return enum.casefold() == "public"
    return flag(text(attachment, "AccessName")) is not False


def _date(value: str | None) -> Any:
    return parse_danish_date(value) if value else None

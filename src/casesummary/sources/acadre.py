"""Acadre (Prepare) agenda XML, as os2dagsorden's os2web_acadre_esdh reads it.

The export is a tree of `<table name="…">` rows, each with `<fields><field name="…">`:
`agenda` (its `name`: "Dagsorden"/"Referat"), `committee` (`name`), `meeting` (`date`,
`location`, `address`) and one `agendaitemparents` per item (`sort`) holding the `agendaitem`
(`name`, `caseno`, `access` 1 = open, 2 = closed, 3 = personal data, and `accessname`
"Åben"/"Lukket"), its text as `bullet` rows (`bulletname`, `bulletsortorder`, and
`bulletcontent`: HTML, escaped inside the XML) and its files as `enclosure` rows (`name`,
`access` 1 = open, `filename`) and as the case's `Case`/`Files`/`File` rows (`Title`,
`FileName`, `PublicAccessLevelName` "Åben"). The publication manifest beside the agenda
(`XML_<id>.xml`, `producedAgenda` rows) only names agenda files, and is refused saying so.
Items are numbered by their place in the agenda (`sort` orders them; its values are not the
printed numbers). An item may carry the decisions of earlier meetings ("Beslutning i … den
10-04-2013"): the decision is the one made at this meeting, else the latest. A closed item
loads with its title only, without its files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, SectionKind, SourceFormat
from casesummary.sources._build import fields_blocks, make_item, make_sections
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._text import clean_line, split_title
from casesummary.sources._xml import XmlInput, flag, raw_text

NAMES = ("acadre-xml",)


def _tables(element: Any, name: str) -> list[Any]:
    return [t for t in element.iterchildren("{*}table") if t.get("name") == name]


def _all_tables(element: Any, name: str) -> list[Any]:
    return [t for t in element.iter("{*}table") if t.get("name") == name]


def _fields(table: Any) -> dict[str, str]:
    """A row's fields by name (the first `fields` element directly under the table)."""
    fields = table.find("{*}fields")
    if fields is None:
        return {}
    return {str(f.get("name")): raw_text(f) for f in fields.iterchildren("{*}field")}


def detect(data: object) -> bool:
    """XML rooted in <root> with a <table name="agenda">."""
    return (
        isinstance(data, XmlInput)
        and data.root_name == "root"
        and bool(_tables(data.root, "agenda"))
    )


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per agenda item, in the agenda's order."""
    if not isinstance(data, XmlInput) or not detect(data):
        raise InvalidAgendaItem(
            'expected Acadre XML (<root> with <table name="agenda">)', source=origin
        )
    agenda = _tables(data.root, "agenda")[0]
    committee = next(iter(_all_tables(agenda, "committee")), None)
    meeting = next(iter(_all_tables(agenda, "meeting")), None)
    meeting_fields = _fields(meeting) if meeting is not None else {}
    meeting_date = parse_danish_date(meeting_fields.get("date", ""))
    place = clean_line(meeting_fields.get("location", "")) or _address(
        meeting_fields.get("address", "")
    )
    common = {
        "committee": clean_line(_fields(committee).get("name", "")) or None
        if committee is not None
        else None,
        "meeting_date": meeting_date,
        "meeting_place": place or None,
    }
    parents = sorted(
        _all_tables(agenda, "agendaitemparents"), key=lambda t: _int(_fields(t).get("sort"))
    )
    if not parents and _tables(data.root, "producedAgenda"):
        raise InvalidAgendaItem(_manifest_message(data.root), source=origin)
    drafts = []
    for parent in parents:
        item = next(iter(_tables(parent, "agendaitem")), None)
        if item is None:
            continue
        draft = _item(item, meeting_date)
        if draft is not None:
            drafts.append(draft)
    if not drafts:
        raise InvalidAgendaItem("the Acadre export lists no agenda items", source=origin)
    found = municipality or guess_municipality(
        t for d in drafts for t in [d["title"], *(s.text for s in d["sections"])]
    )
    items = []
    for number, draft in enumerate(drafts, start=1):
        draft.update(
            common, number=str(number), source_format=SourceFormat.ACADRE_XML, municipality=found
        )
        items.append(make_item(draft, origin=origin))
    return items


def _item(item: Any, meeting_date: date | None) -> dict[str, Any] | None:
    fields = _fields(item)
    raw_title = clean_line(fields.get("name", ""))
    if not raw_title:
        return None
    title, case_type, closed = split_title(raw_title)
    # `access` 1 is open; 2 (Lukket) and 3 (personal data) are closed, as the importer reads it.
    access = clean_line(fields.get("access", ""))
    is_open = not closed and access in ("", "1") and flag(fields.get("accessname")) is not False
    blocks: list[tuple[str, str, SectionKind | None]] = []
    if is_open:
        bullets = sorted(
            _tables(item, "bullet"), key=lambda t: _int(_fields(t).get("bulletsortorder"))
        )
        rows = [_fields(bullet) for bullet in bullets]
        blocks = fields_blocks(
            (clean_line(row.get("bulletname", "")) or None, row.get("bulletcontent", ""), None)
            for row in rows
        )
    sections = make_sections(blocks)
    decisions = [s for s in sections if s.kind is SectionKind.DECISION]
    this_meeting = [
        s for s in decisions if meeting_date and parse_danish_date(s.heading) == meeting_date
    ]
    chosen = this_meeting or decisions[-1:]
    decision = chosen[0] if chosen else None
    recommendations = [s for s in sections if s.kind is SectionKind.RECOMMENDATION]
    return {
        "title": title,
        "case_type": case_type,
        "case_number": clean_line(fields.get("caseno", "")) or None,
        "sections": sections,
        "decision": decision.text if decision is not None else None,
        "recommendation": recommendations[-1].text if recommendations else None,
        "attachments": tuple(_enclosures(item) + _case_files(item)) if is_open else (),
        "is_open": is_open,
    }


def _enclosures(item: Any) -> list[Attachment]:
    out = []
    for enclosure in _tables(item, "enclosure"):
        fields = _fields(enclosure)
        title = clean_line(fields.get("name", ""))
        if not title or fields.get("access", "1").strip() not in ("1", ""):
            continue  # a closed enclosure is not published
        out.append(
            Attachment(title=title, document_id=clean_line(fields.get("filename", "")) or None)
        )
    return out


def _case_files(item: Any) -> list[Attachment]:
    """The case's own documents an item lists (`Case` > `Files` > `File`), where published."""
    out = []
    for case in _tables(item, "Case"):
        for files in _tables(case, "Files"):
            for file in _tables(files, "File"):
                fields = _fields(file)
                title = clean_line(fields.get("Title", "")) or clean_line(
                    fields.get("FileName", "")
                )
                level = fields.get("PublicAccessLevelName")
                if title and (level is None or flag(level) is True):
                    name = clean_line(fields.get("FileName", ""))
                    out.append(Attachment(title=title, document_id=name or None))
    return out


def _manifest_message(root: Any) -> str:
    """An Acadre publication manifest names the agenda files it published; say which."""
    files = []
    for produced in _tables(root, "producedAgenda"):
        for row in produced.iterchildren("{*}fields"):
            values = {
                str(key): str(value)
                for field in row.iterchildren("{*}field")
                for key, value in field.attrib.items()
            }
            if values.get("publish", "1") != "0" and values.get("xmlfilename"):
                folder = values.get("filesfolder")
                name = values["xmlfilename"]
                files.append(f"{folder}/{name}" if folder else name)
    named = f" ({', '.join(files)})" if files else ""
    return (
        "an Acadre publication manifest: it lists the agendas it published, not their items; "
        f"load the agenda XML it names{named}. Supported: {SUPPORTED}"
    )


def _address(value: str) -> str:
    return ", ".join(
        p for p in (clean_line(x) for x in value.replace("<br>", "\n").splitlines()) if p
    )


def _int(value: str | None) -> int:
    try:
        return int((value or "0").strip())
    except ValueError:
        return 0

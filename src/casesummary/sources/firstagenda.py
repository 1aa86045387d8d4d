"""FirstAgenda portal JSON: one agenda item, or a whole meeting (`api/agenda/dagsorden/{id}`).

An item holds its title (`Navn`/`Caption`), number (`Punktnummer`/`Number`), case number
(`SagsNummer`/`CaseNumber`), text fields (`Felter[]`, each `Html` or `Tekst`), attachments
(`Bilag[]`) and perhaps a decision (`ItemDecision`). The portal serves both spellings of a key;
the first one present and non-empty wins. A meeting wraps items in `Dagsordenpunkter` with the
committee (`Udvalg.Navn`) and meeting (`Moede.Dato`, `Moede.Sted`).

Open or closed (`is_open`): the portal's `IsOpen` flag is not reliable on its own (the published
Odense item says `IsOpen: false` and carries its full text). An item is closed when its title
says "Lukket:", or when `IsOpen` is false and it has no text; every other item is open. Closed
and empty items load as items, so a whole meeting always loads.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Attachment, Section, SectionKind, SourceFormat
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._text import (
    clean_line,
    normalise_text,
    split_title,
)
from casesummary.sources.html import HtmlSection, TooDeeplyNested, html_sections, html_text

NAMES = ("firstagenda-item", "firstagenda-meeting")

_TITLE = ("Navn", "Caption", "Titel", "Title", "Overskrift")
_NUMBER = ("Punktnummer", "Number", "Nummer")
_CASE_NUMBER = ("SagsNummer", "CaseNumber", "Sagsnummer", "Sagsnr")
_FIELDS = ("Felter", "Fields")
_ATTACHMENTS = ("Bilag", "Attachments")
_DECISION = ("ItemDecision", "Decision", "Beslutning")
_IS_OPEN = ("IsOpen", "Aaben", "Åben", "Open")
_HTML = ("Html", "HTML")
_TEXT = ("Tekst", "Text")
_ID = ("Id", "DocumentId", "DokumentId")
_LINK = ("Link", "Url", "URL")
_ITEMS = ("Dagsordenpunkter", "AgendaItems", "Punkter")
_COMMITTEE = ("Udvalg", "Committee")
_MEETING = ("Moede", "Møde", "Meeting")
_DATE = ("Dato", "Date", "MeetingBeginUtc", "MeetingBegin")
_PLACE = ("Sted", "Location", "Place")

# Keys only an agenda item has; any of them (or a title) makes a dict an item.
_ITEM_MARKERS = frozenset(
    k.casefold()
    for k in (*_TITLE, *_NUMBER, *_CASE_NUMBER, *_FIELDS, *_DECISION, "AgendaUid", "IsOpen")
)
_NULL_ID = re.compile(r"^[0-]*$")
_TAG = re.compile(r"<[A-Za-z!/]")

# Portal span classes -> the heading a body without one gets, and its kind.
_HINTS: dict[str, tuple[str, SectionKind]] = {
    "resume": ("Resumé", SectionKind.SUMMARY),
    "sagsresume": ("Sagsresumé", SectionKind.SUMMARY),
    "beslutningstema": ("Beslutningstema", SectionKind.SUMMARY),
    "indstilling": ("Indstilling", SectionKind.RECOMMENDATION),
    "sagsfremstilling": ("Sagsfremstilling", SectionKind.PRESENTATION),
    "oekonomi": ("Økonomi", SectionKind.ECONOMY),
    "okonomi": ("Økonomi", SectionKind.ECONOMY),
    "beslutning": ("Beslutning", SectionKind.DECISION),
}


# --- typed access to untrusted JSON --------------------------------------------------------


def _lookup(obj: dict[str, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    """(key, value) for the first spelling present with a value; case-insensitive fallback."""
    for name in names:
        value = obj.get(name)
        if value is not None and value != "":
            return name, value
    folded = {name.casefold() for name in names}
    for key, value in obj.items():
        if isinstance(key, str) and key.casefold() in folded and value not in (None, ""):
            return key, value
    return names[0], None


class _Reader:
    """Reads typed values out of untrusted JSON; every error names the source and field path."""

    def __init__(self, origin: str | None) -> None:
        self.origin = origin

    def error(self, message: str, field: str) -> InvalidAgendaItem:
        return InvalidAgendaItem(message, source=self.origin, field=field)

    def wrong_type(self, field: str, expected: str, value: Any) -> InvalidAgendaItem:
        return self.error(f"expected {expected}, got {type(value).__name__}", field)

    def text(
        self, obj: dict[str, Any], names: tuple[str, ...], path: str, *, numbers: bool = False
    ) -> str | None:
        """A one-line text value (numbers allowed where portals send them as ints)."""
        key, value = _lookup(obj, names)
        if value is None:
            return None
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.wrong_type(path + key, "text", value)
        return clean_line(value) or None

    def raw_text(self, obj: dict[str, Any], names: tuple[str, ...], path: str) -> str | None:
        """A text value as given (HTML or multi-line text), None when blank."""
        key, value = _lookup(obj, names)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.wrong_type(path + key, "text", value)
        return value if value.strip() else None

    def sequence(
        self, obj: dict[str, Any], names: tuple[str, ...], path: str
    ) -> tuple[str, list[Any]]:
        key, value = _lookup(obj, names)
        if value is None:
            return path + key, []
        if not isinstance(value, list):
            raise self.wrong_type(path + key, "a list", value)
        return path + key, value

    def flag(self, obj: dict[str, Any], names: tuple[str, ...], path: str) -> bool | None:
        key, value = _lookup(obj, names)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self.wrong_type(path + key, "true or false", value)


# --- detection -------------------------------------------------------------------------------


_MEETING_MARKERS = frozenset(k.casefold() for k in _ITEMS)


def _is_meeting(data: object) -> bool:
    return isinstance(data, dict) and any(
        isinstance(k, str) and k.casefold() in _MEETING_MARKERS for k in data
    )


def _is_item(data: object) -> bool:
    return isinstance(data, dict) and any(
        isinstance(k, str) and k.casefold() in _ITEM_MARKERS for k in data
    )


def detect(data: object) -> bool:
    """A decoded JSON object that is a portal item or meeting."""
    return _is_meeting(data) or _is_item(data)


def detected_name(data: object) -> str:
    """The format name of a detected input: a meeting or one item."""
    return NAMES[1] if _is_meeting(data) else NAMES[0]


# --- parsing ---------------------------------------------------------------------------------


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem for an item object; one per `Dagsordenpunkter` entry for a meeting."""
    r = _Reader(origin)
    if not isinstance(data, dict):
        raise InvalidAgendaItem("expected a JSON object", source=origin)
    if _is_meeting(data):
        return _parse_meeting(r, data, municipality=municipality)
    draft = _item_fields(r, data, "")
    draft["source_format"] = SourceFormat.FIRSTAGENDA_ITEM
    draft["municipality"] = municipality or guess_municipality(_texts(draft))
    return [make_item(draft, origin=origin)]


def _parse_meeting(
    r: _Reader, data: dict[str, Any], *, municipality: str | None
) -> list[AgendaItem]:
    items_field, raw_items = r.sequence(data, _ITEMS, "")
    if not raw_items:
        raise r.error("the meeting lists no agenda items", items_field)
    committee = None
    key, udvalg = _lookup(data, _COMMITTEE)
    if isinstance(udvalg, dict):
        committee = r.text(udvalg, ("Navn", "Name"), f"{key}.")
    elif udvalg is not None:
        committee = r.text(data, _COMMITTEE, "")
    meeting_date = place = None
    key, moede = _lookup(data, _MEETING)
    if moede is not None:
        if not isinstance(moede, dict):
            raise r.wrong_type(key, "an object", moede)
        when = r.text(moede, _DATE, f"{key}.")
        meeting_date = parse_danish_date(when) if when else None
        place = r.text(moede, _PLACE, f"{key}.")
    drafts = []
    for index, raw in enumerate(raw_items):
        path = f"{items_field}[{index}]"
        if not isinstance(raw, dict):
            raise r.wrong_type(path, "an object", raw)
        draft = _item_fields(r, raw, path + ".")
        draft.update(
            source_format=SourceFormat.FIRSTAGENDA_MEETING,
            committee=committee,
            meeting_date=meeting_date,
            meeting_place=place,
        )
        drafts.append(draft)
    found = municipality or guess_municipality(t for d in drafts for t in _texts(d))
    items = []
    for draft in drafts:
        draft["municipality"] = found
        items.append(make_item(draft, origin=r.origin))
    return items


def _texts(draft: dict[str, Any]) -> list[str]:
    return [draft["title"], *(s.text for s in draft.get("sections", ()))]


def _item_fields(r: _Reader, raw: dict[str, Any], path: str) -> dict[str, Any]:
    """The AgendaItem fields of one portal item (everything but where it came from)."""
    raw_title = r.text(raw, _TITLE, path)
    if not raw_title:
        raise r.error("the item has no title", path + "/".join(_TITLE[:2]))
    title, case_type, closed_by_title = split_title(raw_title)
    sections = _sections(r, raw, path)
    decision = _decision(r, raw, path)
    if decision and not any(s.kind is SectionKind.DECISION for s in sections):
        sections.append(Section(heading="Beslutning", kind=SectionKind.DECISION, text=decision))
    is_open_flag = r.flag(raw, _IS_OPEN, path)
    has_text = bool(sections)
    is_open = not (closed_by_title or (is_open_flag is False and not has_text))
    return {
        "title": title,
        "case_type": case_type,
        "number": r.text(raw, _NUMBER, path, numbers=True),
        "case_number": r.text(raw, _CASE_NUMBER, path, numbers=True),
        "sections": sections,
        "attachments": _attachments(r, raw, path),
        "is_open": is_open,
    }


def _body_text(r: _Reader, value: str, field: str) -> str:
    """Visible text of a field that may be HTML or plain text."""
    if _TAG.search(value):
        try:
            return html_text(value)
        except TooDeeplyNested as exc:
            raise r.error(str(exc), field) from exc
    return normalise_text(unescape(value))


def _sections(r: _Reader, raw: dict[str, Any], path: str) -> list[Section]:
    fields_path, felter = r.sequence(raw, _FIELDS, path)
    blocks: list[tuple[str, str, SectionKind | None]] = []
    for index, felt in enumerate(felter):
        here = f"{fields_path}[{index}]."
        if isinstance(felt, str):  # a bare HTML/text string instead of an object
            felt = {"Html": felt}
        if not isinstance(felt, dict):
            raise r.wrong_type(here.rstrip("."), "an object", felt)
        name = r.text(felt, ("Navn", "Name", "Caption", "Overskrift"), here)
        body = r.raw_text(felt, _HTML, here)
        if body is None:
            tekst = r.raw_text(felt, _TEXT, here)
            if tekst is None:
                continue
            if not _TAG.search(tekst):
                blocks.append((name or "Tekst", _body_text(r, tekst, here + "Tekst"), None))
                continue
            body = tekst
        try:
            parts = html_sections(body)
        except TooDeeplyNested as exc:
            raise r.error(str(exc), here + "Html") from exc
        blocks += html_blocks(parts, name)
    return make_sections(blocks)


def html_blocks(
    parts: list[HtmlSection], name: str | None = None
) -> list[tuple[str, str, SectionKind | None]]:
    """(heading, text, hinted kind) blocks of portal HTML split at its headings.

    A part without a heading is named by the field (`name`), else by its span class's hint,
    else "Tekst"; the class hint gives the kind only where the heading's wording does not.
    """
    blocks: list[tuple[str, str, SectionKind | None]] = []
    for part in parts:
        hint = _HINTS.get((part.hint or "").casefold())
        heading = part.heading or name or (hint[0] if hint else "Tekst")
        blocks.append((heading, part.text, hint[1] if hint else None))
    return blocks


def _decision(r: _Reader, raw: dict[str, Any], path: str) -> str | None:
    """The decision text an item carries outside its fields (`ItemDecision`), if any."""
    key, value = _lookup(raw, _DECISION)
    if value is None:
        return None
    if isinstance(value, str):
        return _body_text(r, value, path + key) or None
    if isinstance(value, dict):
        body = r.raw_text(value, (*_HTML, *_TEXT, "Beslutning", "Decision"), path + key + ".")
        return (_body_text(r, body, path + key) or None) if body else None
    raise r.wrong_type(path + key, "text or an object", value)


def _attachments(r: _Reader, raw: dict[str, Any], path: str) -> tuple[Attachment, ...]:
    field, bilag = r.sequence(raw, _ATTACHMENTS, path)
    out = []
    for index, entry in enumerate(bilag):
        here = f"{field}[{index}]"
        if isinstance(entry, str):
            if entry.strip():
                out.append(Attachment(title=clean_line(entry)))
            continue
        if not isinstance(entry, dict):
            raise r.wrong_type(here, "an object", entry)
        title = r.text(entry, _TITLE, here + ".")
        if not title:
            raise r.error("the attachment has no title", f"{here}.Navn")
        doc_id = r.text(entry, _ID, here + ".", numbers=True)
        if doc_id and _NULL_ID.match(doc_id):
            doc_id = None
        url = r.text(entry, _LINK, here + ".")
        out.append(Attachment(title=title, url=url, document_id=doc_id))
    return tuple(out)

"""Meeting minutes as text: a header, a table of contents, then "Punkt N: <title>" per item.

The header gives the committee ("REFERAT <udvalg> <periode> d. 22-11-2016"), the date
("Mødedato …") and the place ("Mødested …"); the table of contents is skipped. Under each
"Punkt" line comes the case number, then the minutes' own headings (Resume, INDSTILLING,
Beslutning, Sagsfremstilling, Text, Økonomi, Bilag). Other short lines ("Baggrund", "Formål")
are sub-headings inside Sagsfremstilling and stay in its text. "Bilag" lists attachments.
"""

from __future__ import annotations

import re
from datetime import date

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, SectionKind, SourceFormat
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._lines import blocks_and_attachments
from casesummary.sources._text import (
    clean_line,
    split_title,
)
from casesummary.sources.headings import is_known_heading, normalise_heading

_PUNKT = re.compile(r"^Punkt\s+(\d{1,4}[a-zA-Z]?)\s*[:.]\s*(\S.*)$")
_ANY_PUNKT = re.compile(r"^[ \t]*Punkt[ \t]+\d{1,4}[a-zA-Z]?[ \t]*[:.][ \t]*\S", re.MULTILINE)
_CASE_NUMBER = re.compile(r"^(?=[^ ]*\d)[0-9A-ZÆØÅa-zæøå][0-9A-ZÆØÅa-zæøå.\-/]{3,40}$")
_TITLE_LINE = re.compile(
    r"^(?:REFERAT|DAGSORDEN|Referat|Dagsorden)\s*[:\-–]?\s+(.+?)"
    r"(?:\s+\d{4}\s*-\s*\d{4})?(?:\s+(?:d\.|den)\s+(\S+))?$"
)
_FIELD = re.compile(r"^(Mødedato|Mødested|Udvalg|Dato|Sted)\s*:?\s+(.+)$")

_KINDS = frozenset(
    {
        SectionKind.SUMMARY,
        SectionKind.RECOMMENDATION,
        SectionKind.PRESENTATION,
        SectionKind.ECONOMY,
        SectionKind.DECISION,
    }
)
_OTHER = frozenset({"bilag", "text", "effekt"})


def _is_heading(line: str) -> bool:
    return is_known_heading(line, _KINDS) or normalise_heading(line) in _OTHER


def detect(data: object) -> bool:
    """Text with at least one "Punkt N: title" line."""
    return isinstance(data, str) and _ANY_PUNKT.search(data) is not None


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per "Punkt", each with the meeting's committee, date and place."""
    if not isinstance(data, str):
        raise InvalidAgendaItem("expected text", source=origin)
    lines = [clean_line(line) for line in data.splitlines()]
    starts = [i for i, line in enumerate(lines) if _PUNKT.match(line)]
    if not starts:
        raise InvalidAgendaItem('no "Punkt N: <title>" line', source=origin, line=1)
    committee, meeting_date, place = _header(lines[: starts[0]])
    found = municipality or guess_municipality([data])
    items = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        fields = _item(lines, start, end)
        fields.update(
            source_format=SourceFormat.MINUTES_TEXT,
            municipality=found,
            committee=committee,
            meeting_date=meeting_date,
            meeting_place=place,
        )
        items.append(make_item(fields, origin=origin))
    return items


def _header(lines: list[str]) -> tuple[str | None, date | None, str | None]:
    committee: str | None = None
    meeting_date: date | None = None
    place: str | None = None
    for line in lines:
        title = _TITLE_LINE.match(line)
        if title and committee is None:
            committee = title.group(1).strip() or None
            if title.group(2):
                meeting_date = meeting_date or parse_danish_date(title.group(2))
            continue
        field = _FIELD.match(line)
        if field:
            name, value = field.group(1), field.group(2).strip()
            if name in ("Mødedato", "Dato"):
                meeting_date = parse_danish_date(value) or meeting_date
            elif name in ("Mødested", "Sted"):
                place = place or value
            else:
                committee = committee or value
    return committee, meeting_date, place


def _item(lines: list[str], start: int, end: int) -> dict[str, object]:
    match = _PUNKT.match(lines[start])
    assert match is not None  # `start` was found by this pattern
    number, raw_title = match.group(1), match.group(2)
    title, case_type, closed = split_title(raw_title)
    body = start + 1
    while body < end and not lines[body]:
        body += 1
    case_number = None
    if body < end and _CASE_NUMBER.match(lines[body]) and not _is_heading(lines[body]):
        case_number = lines[body]
        body += 1
    blocks, attachments = blocks_and_attachments(lines[body:end], _is_heading)
    return {
        "number": number,
        "title": title,
        "case_type": case_type,
        "case_number": case_number,
        "sections": make_sections(blocks),
        "attachments": tuple(attachments),
        "is_open": not closed,
    }

"""One agenda item as text with its own headings (Slagelse's export, among others).

The first line is the title ("JobFokus - … (B)"); a short header may follow with the number
("7. <title>", "3.1. <title>"), "Sagsnr.: …", "Dok.nr.: …", "Åbent"/"Lukket" and "Kompetence:
<udvalg>". The body is split at lines that are known headings (Beslutningstema, Baggrund,
Retligt grundlag, Indstilling, "Beslutning i <udvalg> den <dato>:", …), also where the text
follows on the heading's line; unknown short lines stay in the text.
"Bilag" lists attachments. The decision heading's date is the meeting date.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, SectionKind, SourceFormat
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._lines import blocks_and_attachments, split_inline_headings
from casesummary.sources._text import clean_line, split_title
from casesummary.sources.headings import classify, is_known_heading

NAMES = ("item-text",)

# "7. <title>", "7a. <title>", "3.1. <title>", "3.1 <title>" (eDoc writes "2.<tab><title>").
_NUMBER_TITLE = re.compile(
    r"^(\d{1,4}(?:\.\d{1,3})*[a-z]?)\.\s+([^\s\d].{0,300})$"
    r"|^(\d{1,4}(?:\.\d{1,3})+[a-z]?)\s+([A-ZÆØÅ].{0,300})$"
)
_CASE_NUMBER = re.compile(r"^Sags?\s*nr\.?\s*:?\s*(\S.*)$", re.IGNORECASE)
_DOC_NUMBER = re.compile(r"^Dok(?:ument)?\.?\s*nr\.?\s*:?\s*(\S.*)$", re.IGNORECASE)
_OPENNESS = re.compile(r"^(Åbent|Åben|Lukket)(?:\s+punkt)?$", re.IGNORECASE)
_COMMITTEE = re.compile(r"^(?:Kompetence|Udvalg|Beslutningskompetence)\s*:\s*(\S.*)$")
_DATE = re.compile(r"^(?:Mødedato|Dato)\s*:?\s+(\S.*)$")
_HEADER_LINES = 15
# One header line carrying several fields: "Sagsnr.: 330-2015-51128 Dok.nr.: 330-… Åbent".
_LABEL = re.compile(
    r"(?:(?<=\s)|^)(Sags?\s*nr\.?|Dok(?:ument)?\.?\s*nr\.?|Kompetence|Udvalg|Mødedato)\s*:\s*",
    re.IGNORECASE,
)
_TRAILING_OPENNESS = re.compile(r"\s+(Åbent|Åben|Lukket)(?:\s+punkt)?$", re.IGNORECASE)
_CORE = frozenset(
    {
        SectionKind.SUMMARY,
        SectionKind.RECOMMENDATION,
        SectionKind.PRESENTATION,
        SectionKind.DECISION,
        SectionKind.BACKGROUND,
    }
)


def _is_meta(line: str) -> bool:
    return any(
        p.match(line)
        for p in (_NUMBER_TITLE, _CASE_NUMBER, _DOC_NUMBER, _OPENNESS, _COMMITTEE, _DATE)
    )


def detect(data: object) -> bool:
    """Text with a case-number line and a heading, or headings of two core kinds."""
    if not isinstance(data, str):
        return False
    kinds: set[SectionKind] = set()
    has_case_number = False
    for raw in data.splitlines():
        line = raw.strip()
        if not line or len(line) > 120:
            continue
        if _CASE_NUMBER.match(line):
            has_case_number = True
        elif is_known_heading(line):
            kinds.add(classify(line))
        if len(kinds & _CORE) >= 2 or (has_case_number and kinds):
            return True
    return False


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """Exactly one AgendaItem."""
    if not isinstance(data, str):
        raise InvalidAgendaItem("expected text", source=origin)
    fields = item_fields(data, origin=origin)
    fields.update(
        source_format=SourceFormat.ITEM_TEXT,
        municipality=municipality or guess_municipality([data]),
    )
    return [make_item(fields, origin=origin)]


def item_fields(data: str, *, origin: str | None) -> dict[str, Any]:
    """The AgendaItem fields one item's text gives (header, sections, attachments)."""
    lines = [clean_line(line) for line in data.splitlines()]
    fields, body = _header(lines, origin)
    body_lines = split_inline_headings(lines[body:], is_known_heading, _CORE)
    blocks, attachments = blocks_and_attachments(body_lines, is_known_heading)
    for heading, _, _ in blocks:
        if fields.get("meeting_date") is None and classify(heading) is SectionKind.DECISION:
            fields["meeting_date"] = parse_danish_date(heading)
    fields.update(sections=make_sections(blocks), attachments=tuple(attachments))
    return fields


def _header(lines: list[str], origin: str | None) -> tuple[dict[str, Any], int]:
    """The fields the header gives, and the index of the first body line."""
    raw_title: str | None = None
    fields: dict[str, Any] = {}
    open_: bool | None = None
    seen = 0
    index = 0
    body = len(lines)
    for index, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _HEADER_LINES:
            break
        if (several := _several_fields(line)) is not None:
            for name, value in several.items():
                if name == "open":
                    open_ = value == "yes"
                elif name == "meeting_date":
                    fields.setdefault(name, _date(value))
                else:
                    fields.setdefault(name, value)
            continue
        if match := _NUMBER_TITLE.match(line):
            fields.setdefault("number", match.group(1) or match.group(3))
            raw_title = raw_title or match.group(2) or match.group(4)
        elif match := _CASE_NUMBER.match(line):
            fields.setdefault("case_number", match.group(1).strip())
        elif _DOC_NUMBER.match(line):
            pass
        elif match := _OPENNESS.match(line):
            open_ = match.group(1).casefold() != "lukket"
        elif match := _COMMITTEE.match(line):
            fields.setdefault("committee", match.group(1).strip())
        elif match := _DATE.match(line):
            fields.setdefault("meeting_date", _date(match.group(1)))
        elif is_known_heading(line):
            if _is_meta(_next_line(lines, index)):
                continue  # a label above the header ("Sagsfremstilling" then "7. <title>")
            return _finish(fields, raw_title, open_, origin), index
        elif raw_title is None:
            raw_title = line
        else:
            return _finish(fields, raw_title, open_, origin), index
    else:
        index = body
    return _finish(fields, raw_title, open_, origin), index


def _several_fields(line: str) -> dict[str, str] | None:
    """The fields of a line holding two or more of them, or None for an ordinary line."""
    labels = list(_LABEL.finditer(line))
    openness = _TRAILING_OPENNESS.search(line)
    if not labels or labels[0].start() != 0 or (len(labels) < 2 and openness is None):
        return None
    end = openness.start() if openness else len(line)
    out: dict[str, str] = {}
    for index, label in enumerate(labels):
        stop = labels[index + 1].start() if index + 1 < len(labels) else end
        value = line[label.end() : stop].strip()
        name = label.group(1).casefold().replace(" ", "")
        if not value:
            continue
        if name.startswith("sag"):
            out.setdefault("case_number", value)
        elif name in ("kompetence", "udvalg"):
            out.setdefault("committee", value)
        elif name == "mødedato":
            out.setdefault("meeting_date", value)
    if openness is not None:
        out["open"] = "no" if openness.group(1).casefold() == "lukket" else "yes"
    return out


def _next_line(lines: list[str], index: int) -> str:
    return next((line for line in lines[index + 1 :] if line), "")


def _date(text: str) -> date | None:
    return parse_danish_date(text)


def _finish(
    fields: dict[str, Any], raw_title: str | None, open_: bool | None, origin: str | None
) -> dict[str, Any]:
    if not raw_title:
        raise InvalidAgendaItem("no title line before the first heading", source=origin, line=1)
    title, case_type, closed = split_title(raw_title)
    fields.update(title=title, case_type=case_type, is_open=not closed and open_ is not False)
    return fields

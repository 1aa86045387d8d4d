"""Meeting minutes as text: a header, a table of contents, then "Punkt N: <title>" per item.

This is FirstAgenda's printed layout (agenda or minutes), whether copied as text or read from
its PDF (`sources.pdf` hands its lines to `parse_lines`). The header gives the committee
("REFERAT <udvalg> <periode> d. 22-11-2016"), the date ("Mødedato …") and the place
("Mødested …"); the table of contents is skipped but lends its full titles. Under each "Punkt"
line come the rest of a title wrapped over lines, the case number, then the item's headings:
Resume, Indstilling/Beslutningspunkter/"Det indstilles", Beslutning(er), Sagsfremstilling,
Sagsforløb, Økonomi, "… påtegning", all-capital headings ("BESLUTNINGSFORSLAG FRA DD"), and
Bilag. Other short lines ("Baggrund", "Formål") are sub-headings and stay in the text. "Bilag"
lists attachments: a line there that merely reads like a heading ("Indstilling" is also the name
of an attachment) stays an attachment unless prose follows it. A heading may share its line with
its text ("Beslutning: Godkendt."). Items are "Punkt 12: …", "Punkt 3.1: …", "PUNKT 3a. …" or
"Punkt 4 - …". Text whose "Punkt" lines come with nothing else an agenda has (no header, case
number, Bilag or agenda heading: a policy's numbered points) is refused, not read as items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from casesummary.danish import guess_municipality, parse_danish_date
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, SectionKind, SourceFormat
from casesummary.sources import _hyphens
from casesummary.sources._build import make_item, make_sections
from casesummary.sources._lines import (
    GAP_MARK,
    HEADING_MARK,
    block_text,
    blocks_and_attachments,
    reflow,
    split_inline_headings,
)
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._text import (
    clean_line,
    split_title,
)
from casesummary.sources.headings import (
    classify,
    is_known_heading,
    is_known_other,
    normalise_heading,
)

NAMES = ("minutes-text",)

# "Punkt 12: …", "PUNKT 3a. …", "Punkt 3.1: …", "Punkt 4 - …": the number, then ":", a full
# stop before a space, or a dash between spaces.
_NUMBER = r"\d{1,4}(?:\.\d{1,3})*[a-zA-Z]?"
_SEPARATOR = r"(?:[ \t]*:|\.(?=[ \t])|[ \t]+[-–](?=[ \t]+\D))"
_PUNKT = re.compile(rf"^(?:Punkt|PUNKT)\s+({_NUMBER}){_SEPARATOR}\s*(\S.*)$")
_ANY_PUNKT = re.compile(rf"^[ \t]*(?:Punkt|PUNKT)[ \t]+{_NUMBER}{_SEPARATOR}[ \t]*\S", re.MULTILINE)
_TOC_ENTRY = re.compile(r"^(.*?\S)\s*\.{3,}\s*\d{1,4}$")
_CASE_NUMBER = re.compile(r"^(?=[^ ]*\d)[0-9A-ZÆØÅa-zæøå][0-9A-ZÆØÅa-zæøå.\-/]{3,40}$")
_CASE_FIELD = re.compile(r"^Sags?\s*nr\.?\s*:?\s*(\S+)", re.IGNORECASE)
_CLOSED_FIELD = re.compile(r"\bLukket(?:\s+punkt)?$", re.IGNORECASE)
_TITLE_LINE = re.compile(
    r"^(?:REFERAT|DAGSORDEN|Referat|Dagsorden)\s*[:\-–]?\s+(.+?)"
    r"(?:\s+\d{4}\s*-\s*\d{4})?(?:\s+(?:d\.|den)\s+(\S+))?$"
)
_FIELD = re.compile(
    r"^(Mødedato|Mødetidspunkt|Tidspunkt|Mødested|Mødelokale|Udvalg|Dato|Sted)\s*:?\s+(.+)$"
)
# "Dagsorden for Økonomiudvalget", "Referat af mødet i Teknisk Udvalg": the committee follows.
_COMMITTEE_LEAD = re.compile(r"^(?:(?:for|til|fra|af)\s+)?(?:(?:det\s+)?møde(?:t)?\s+i\s+)?", re.I)

_KINDS = frozenset(
    {
        SectionKind.SUMMARY,
        SectionKind.RECOMMENDATION,
        SectionKind.PRESENTATION,
        SectionKind.ECONOMY,
        SectionKind.DECISION,
    }
)
_OTHER = frozenset({"bilag", "text", "effekt", "sagsforløb", "tidligere behandling"})
_TITLE_LOOKAHEAD = 3


def _is_capital_heading(line: str) -> bool:
    """ "BESLUTNINGSFORSLAG FRA DD", "INDSTILLING FRA MAGISTRATSAFDELINGEN FOR TEKNIK OG MILJØ"."""
    if len(line) > 100 or line.endswith((".", ",", ";")) or _CASE_NUMBER.match(line):
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and not any(c.islower() for c in letters)


def is_item_line(line: str) -> bool:
    """A "Punkt N: <title>" line that starts an item (not a table-of-contents entry)."""
    return _PUNKT.match(line) is not None and _TOC_ENTRY.match(line) is None


@lru_cache(maxsize=8192)
def is_heading(line: str) -> bool:
    """Whether a line of minutes starts a section (a PDF's styled headings are marked)."""
    if line.startswith(HEADING_MARK):
        return not is_item_line(line[1:])
    if len(line) > 120 or line[-1] in ".,;":
        return False  # no heading is this long or ends a sentence: the common case, fast
    if is_known_heading(line, _KINDS):
        return True
    folded = normalise_heading(line)
    if folded in _OTHER or (folded.endswith("påtegning") and is_known_other(line)):
        return True
    return _is_capital_heading(line)


def detect(data: object) -> bool:
    """Text with at least one "Punkt N: title" line."""
    return isinstance(data, str) and _ANY_PUNKT.search(data) is not None


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per "Punkt", each with the meeting's committee, date and place."""
    if not isinstance(data, str):
        raise InvalidAgendaItem("expected text", source=origin)
    lines = [clean_line(line) for line in data.splitlines()]
    vocabulary = _hyphens.Vocabulary(lines) if "-" in data else None
    lines = _hyphens.join_line_ends(lines, vocabulary)
    if "- " in data:
        lines = [_hyphens.join_inline(line, vocabulary) for line in lines]
    return parse_lines(
        lines,
        origin=origin,
        municipality=municipality or guess_municipality([data]),
        source_format=SourceFormat.MINUTES_TEXT,
    )


def parse_lines(
    lines: Sequence[str],
    *,
    origin: str | None,
    municipality: str | None,
    source_format: SourceFormat,
    width: int | None = None,
) -> list[AgendaItem]:
    """Items from cleaned lines; `width` (a laid-out page's line length) turns on reflow."""
    starts = [i for i, line in enumerate(lines) if is_item_line(line)]
    if not starts:
        raise InvalidAgendaItem('no "Punkt N: <title>" line', source=origin, line=1)
    preamble = [line.lstrip(HEADING_MARK) for line in lines[: starts[0]] if line != GAP_MARK]
    committee, meeting_date, place = _header(preamble)
    toc = [m.group(1) for m in map(_TOC_ENTRY.match, preamble) if m]
    drafts = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        drafts.append(_item(lines, start, end, toc, width))
    if not (committee or meeting_date or place) and not any(map(_agenda_like, drafts)):
        kind = "a PDF" if source_format is SourceFormat.FIRSTAGENDA_PDF else "text"
        raise InvalidAgendaItem(
            f"{kind} with 'Punkt N:' lines but nothing else an agenda has (no Dagsorden/Referat "
            "header or Mødedato, no case numbers or Bilag, no headings such as Indstilling or "
            f"Beslutning): another kind of document. Supported: {SUPPORTED}",
            source=origin,
            line=starts[0] + 1,
        )
    items = []
    for fields in drafts:
        fields.update(
            source_format=source_format,
            municipality=municipality,
            committee=committee,
            meeting_date=meeting_date,
            meeting_place=place,
        )
        items.append(make_item(fields, origin=origin))
    return items


def _agenda_like(fields: dict[str, Any]) -> bool:
    """An item with a case number, a Bilag list or a section under an agenda's own heading."""
    return bool(fields["case_number"] or fields["attachments"]) or any(
        classify(s.heading) is not SectionKind.OTHER or is_known_other(s.heading)
        for s in fields["sections"]
    )


def _header(lines: Sequence[str]) -> tuple[str | None, date | None, str | None]:
    committee: str | None = None
    meeting_date: date | None = None
    place: str | None = None
    for line in lines:
        title = _TITLE_LINE.match(line)
        if title and committee is None:
            committee = _COMMITTEE_LEAD.sub("", title.group(1)).strip() or None
            if title.group(2):
                meeting_date = meeting_date or parse_danish_date(title.group(2))
            continue
        field = _FIELD.match(line)
        if field:
            name, value = field.group(1), field.group(2).strip()
            if name in ("Mødedato", "Mødetidspunkt", "Tidspunkt", "Dato"):
                meeting_date = parse_danish_date(value) or meeting_date
            elif name in ("Mødested", "Mødelokale", "Sted"):
                place = place or value
            else:
                committee = committee or value
    return committee, meeting_date, place


def _case_number(line: str) -> str | None:
    if _CASE_NUMBER.match(line) and not is_heading(line):
        return line
    field = _CASE_FIELD.match(line)
    return field.group(1) if field else None


def _title_and_case(
    lines: Sequence[str], start: int, end: int, toc: Sequence[str], width: int | None
) -> tuple[str, str | None, int]:
    """(the whole raw title, the case number, the first body line) of the item at `start`."""
    match = _PUNKT.match(lines[start])
    assert match is not None  # `start` was found by this pattern
    title = match.group(2)
    ahead: list[int] = []
    for i in range(start + 1, end):
        if not lines[i]:
            continue
        if is_heading(lines[i]) or len(ahead) == _TITLE_LOOKAHEAD:
            break
        ahead.append(i)
    # The case number closes the title: every line before it continues the title (the last
    # candidate wins: a wrapped "2026-2029" looks like a case number too).
    found = [(p, case) for p, i in enumerate(ahead) if (case := _case_number(lines[i]))]
    if found:
        position, case = found[-1]
        return _joined(title, [lines[j] for j in ahead[:position]]), case, ahead[position] + 1
    # No case number: the table of contents, or a full-width line, says the title goes on.
    taken: list[str] = []
    for i in ahead:
        longer = _joined(title, [*taken, lines[i]])
        if any(entry.startswith(longer) for entry in toc) and not any(
            entry == _joined(title, taken) for entry in toc
        ):
            taken.append(lines[i])
            continue
        if width and not taken and len(title) + 9 >= 0.85 * width and len(lines[i]) < 0.6 * width:
            following = next((lines[j] for j in range(i + 1, end) if lines[j]), "")
            if not following or is_heading(following):
                taken.append(lines[i])
        break
    body = ahead[len(taken)] if len(taken) < len(ahead) else (ahead[-1] + 1 if ahead else start + 1)
    return _joined(title, taken), None, body


def _joined(title: str, more: Sequence[str]) -> str:
    for line in more:
        title = _hyphens.join(title[:-1], line, None) if title.endswith("-") else f"{title} {line}"
    return title


def _item(
    lines: Sequence[str], start: int, end: int, toc: Sequence[str], width: int | None
) -> dict[str, Any]:
    match = _PUNKT.match(lines[start])
    assert match is not None
    number = match.group(1)
    raw_title, case_number, body = _title_and_case(lines, start, end, toc, width)
    title, case_type, closed = split_title(raw_title)
    # "Sagsnr.: 12/345 Dok.nr.: 67/890 Lukket" on the case-number line closes the item too.
    closed = closed or bool(case_number and _CLOSED_FIELD.search(lines[body - 1]))
    body_lines = split_inline_headings(lines[body:end], is_heading, _KINDS)
    blocks, attachments = blocks_and_attachments(body_lines, is_heading)
    blocks = _fold_recommendation_lead(_close_at_gaps(blocks))
    if width:
        blocks = [
            (heading, reflow(text, width, is_heading), kind) for heading, text, kind in blocks
        ]
    return {
        "number": number,
        "title": title,
        "case_type": case_type,
        "case_number": case_number,
        "sections": make_sections(blocks),
        "attachments": tuple(attachments),
        "is_open": not closed,
    }


def _close_at_gaps(
    blocks: list[tuple[str, str, SectionKind | None]],
) -> list[tuple[str, str, SectionKind | None]]:
    """A PDF's wide gap ends a decision (an unnamed lead paragraph follows); elsewhere it goes."""
    out: list[tuple[str, str, SectionKind | None]] = []
    for heading, text, kind in blocks:
        if GAP_MARK not in text:
            out.append((heading, text, kind))
            continue
        if classify(heading) is SectionKind.DECISION:
            decision, _, rest = text.partition(GAP_MARK)
            out.append((heading, block_text(decision.split("\n")), kind))
            rest_lines = [line for line in rest.split("\n") if line != GAP_MARK]
            out.append(("Tekst", block_text(rest_lines), None))
        else:
            lines = [line for line in text.split("\n") if line != GAP_MARK]
            out.append((heading, block_text(lines), kind))
    return out


def _fold_recommendation_lead(
    blocks: list[tuple[str, str, SectionKind | None]],
) -> list[tuple[str, str, SectionKind | None]]:
    """ "Beslutningspunkter" then "Det indstilles:" is one recommendation, lead line kept."""
    out: list[tuple[str, str, SectionKind | None]] = []
    for heading, text, kind in blocks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not previous[1].strip()
            and normalise_heading(heading) == "det indstilles"
            and classify(previous[0]) is SectionKind.RECOMMENDATION
        ):
            out[-1] = (previous[0], f"{heading}:\n{text}".strip(), previous[2])
            continue
        out.append((heading, text, kind))
    return out

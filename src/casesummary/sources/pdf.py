"""FirstAgenda's agenda and minutes PDFs, read from their text layer with PDFium (pypdfium2).

PDFium was chosen by measuring (docs/PERFORMANCE.md): on the 28-page Aarhus minutes it extracts
the text in about a sixth of pypdf's time and a twentieth of pdfminer.six's, in reading order,
and it marks the hyphens it finds at line ends. Its licence (Apache-2.0/BSD) fits; it is
imported only when a PDF is read.

The text is then laid out as FirstAgenda prints it, so `minutes.parse_lines` reads it: running
headers and footers (a line that recurs at the top or bottom of most pages, or whose number
follows the page number; in a PDF of one or two pages only the page number) are removed, words
hyphenated at line ends are joined (`_hyphens`; across a page break too, where PDFium joins the
page's last line to its footer), and each section's lines are reflowed into paragraphs. A PDF
without a text layer, an encrypted one and a truncated or damaged one are each a typed error
that says so.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from casesummary.danish import guess_municipality
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, SourceFormat
from casesummary.sources import _hyphens, minutes
from casesummary.sources._input import PdfInput
from casesummary.sources._lines import GAP_MARK, HEADING_MARK
from casesummary.sources._supported import SUPPORTED
from casesummary.sources._text import clean_text

NAMES = ("firstagenda-pdf",)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:side|page|s\.)?\s*\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
#: Lines longer than this are prose: only shorter ones are asked their font (titles, headings).
_STYLED = 110
#: Positions a running header or footer can take: the first two and the last two lines.
_EDGE = 2
#: More lines of text than this between a hyphen and what PDFium joined to it: not the next line.
_FAR_JUMP = 3.0


def detect(data: object) -> bool:
    """Any PDF: the text layer decides whether it holds FirstAgenda's items."""
    return isinstance(data, PdfInput)


def parse(data: object, *, origin: str | None, municipality: str | None) -> list[AgendaItem]:
    """One AgendaItem per "Punkt" of the PDF, with the meeting's committee, date and place."""
    if not isinstance(data, PdfInput):
        raise InvalidAgendaItem("expected a PDF", source=origin)
    pages = page_lines(data.data, origin)
    drop = running_lines([[line.text for line in page] for page in pages])
    lines = _marked(
        [
            [ln for i, ln in enumerate(page) if i not in gone]
            for page, gone in zip(pages, drop, strict=True)
        ]
    )
    vocabulary = _hyphens.Vocabulary(lines)
    lines = _hyphens.join_line_ends(lines, vocabulary)
    if not minutes.detect("\n".join(lines)):
        first = next((ln.lstrip(HEADING_MARK) for ln in lines if ln != GAP_MARK), "")
        titled = f" (it begins {first[:80]!r})" if first else ""
        raise InvalidAgendaItem(
            f"a PDF with a text layer but no 'Punkt N: <title>' items{titled}: not a "
            "FirstAgenda agenda or minutes (other PDFs can be read by a source plugin). "
            f"Supported: {SUPPORTED}",
            source=origin,
        )
    return minutes.parse_lines(
        lines,
        origin=origin,
        municipality=municipality or guess_municipality(lines),
        source_format=SourceFormat.FIRSTAGENDA_PDF,
        width=_line_width(lines),
    )


class Line(NamedTuple):
    """One text line of a page with the style and position of its first character."""

    text: str
    size: float  # 0.0: not asked (a line of prose, which no style makes a heading)
    weight: int
    baseline: float


def page_lines(raw: bytes, origin: str | None) -> list[list[Line]]:
    """The cleaned, non-empty text lines of each page, in PDFium's reading order."""
    if b"%%EOF" not in raw[-4096:]:
        raise InvalidAgendaItem(
            "a truncated PDF (it has no end-of-file marker): the download or copy was cut off",
            source=origin,
        )
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise InvalidAgendaItem(
                "an encrypted (password-protected) PDF: its text cannot be read without the "
                "password",
                source=origin,
            ) from exc
        raise InvalidAgendaItem(
            f"a damaged PDF that PDFium cannot open ({reason})", source=origin
        ) from exc
    try:
        pages = [_read_page(document[index]) for index in range(len(document))]
    except pdfium.PdfiumError as exc:
        raise InvalidAgendaItem(f"a damaged PDF ({exc})", source=origin) from exc
    finally:
        document.close()
    if not pages:
        raise InvalidAgendaItem("a PDF without pages", source=origin)
    letters = 0
    for line in (line for page in pages for line in page):
        letters += sum(c.isalpha() for c in line.text)
        if letters >= 20:
            break
    else:
        raise InvalidAgendaItem(
            f"a PDF without a text layer ({len(pages)} pages, {letters} letters of text): "
            "a scanned document? OCR is not supported",
            source=origin,
        )
    return pages


def _read_page(page: Any) -> list[Line]:
    import ctypes

    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count > 0 else ""
        handle = textpage.raw
        x, y = ctypes.c_double(), ctypes.c_double()
        name = ctypes.create_string_buffer(128)
        out: list[Line] = []
        start = 0
        # Cleaning never touches a line break, so cleaned and raw lines pair up one to one.
        # PDFium marks a hyphen it found at a line end as U+FFFE here (U+0002 elsewhere).
        cleaned_lines = clean_text(text.replace("\ufffe", _hyphens.SOFT)).split("\n")
        for raw_line, dirty in zip(text.split("\n"), cleaned_lines, strict=True):
            parts = [(raw_line, dirty, start)]
            if "\ufffe" in raw_line:
                parts = _unjoined(handle, raw_line, start)
            for raw_part, dirty_part, offset in parts:
                cleaned = dirty_part.strip(" \r")
                if not cleaned or (len(cleaned) <= 3 and not any(c.isalnum() for c in cleaned)):
                    continue
                first = offset + (len(raw_part) - len(raw_part.lstrip()))
                pdfium_c.FPDFText_GetCharOrigin(handle, first, x, y)
                if len(cleaned) > _STYLED or cleaned[-1] in ".,;":  # prose: style decides nothing
                    out.append(Line(cleaned, 0.0, 0, y.value))
                else:
                    size = round(float(pdfium_c.FPDFText_GetFontSize(handle, first)), 1)
                    weight = int(pdfium_c.FPDFText_GetFontWeight(handle, first))
                    if weight <= 0:  # standard fonts carry no weight: their name says it
                        pdfium_c.FPDFText_GetFontInfo(handle, first, name, len(name), None)
                        weight = 700 if b"bold" in name.value.lower() else 400
                    out.append(Line(cleaned, size, weight, y.value))
            start += len(raw_line) + 1
        return out
    finally:
        textpage.close()
        page.close()


def _unjoined(handle: Any, raw_line: str, start: int) -> list[tuple[str, str, int]]:
    """A line PDFium joined at a hyphen, split again where the text after the hyphen stands far
    below it: the page's last body line ends in "mer-" and the footer came next ("Side 3 af 4"),
    so the word goes on at the top of the next page and the footer stays a line of its own.
    Returns (raw text, cleaned text, offset of its first character) per part."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    parts: list[tuple[str, str, int]] = []
    begin = 0
    for position, char in enumerate(raw_line):
        if char != "\ufffe" or position == 0 or position + 1 >= len(raw_line):
            continue
        pdfium_c.FPDFText_GetCharOrigin(handle, start + position - 1, x, y)
        before = y.value
        size = float(pdfium_c.FPDFText_GetFontSize(handle, start + position - 1)) or 10.0
        pdfium_c.FPDFText_GetCharOrigin(handle, start + position + 1, x, y)
        if abs(before - y.value) > _FAR_JUMP * size:
            head = raw_line[begin:position]
            parts.append((head, _clean_part(head) + "-", start + begin))
            begin = position + 1
    tail = raw_line[begin:]
    parts.append((tail, _clean_part(tail), start + begin))
    return parts


def _clean_part(raw: str) -> str:
    return clean_text(raw.replace("\ufffe", _hyphens.SOFT))


def _marked(pages: Sequence[Sequence[Line]]) -> list[str]:
    """The lines as text: styled headings marked, wrapped item titles joined, wide gaps marked.

    The body size is the most common one; a bold line larger than it is a heading, and the
    lines after a "Punkt" line in its own size are the rest of its title.
    """
    sizes: Counter[float] = Counter(ln.size for page in pages for ln in page if ln.size)
    if not sizes:
        return [ln.text for page in pages for ln in page]
    body = sizes.most_common(1)[0][0]
    pages = [
        [ln if ln.size else Line(ln.text, body, 0, ln.baseline) for ln in page] for page in pages
    ]
    weights = Counter(line.weight for page in pages for line in page if line.size == body)
    # PDFium reports a font's weight as the font says: compare with the body text's weight.
    normal = weights.most_common(1)[0][0] if weights else 400
    bold = {w for page in pages for w in (ln.weight for ln in page) if w >= max(normal + 80, 550)}
    steps = [
        a.baseline - b.baseline
        for page in pages
        for a, b in itertools.pairwise(page)
        if a.size == body == b.size and 0 < a.baseline - b.baseline < body * 3
    ]
    step = sorted(steps)[len(steps) // 2] if steps else body * 1.2
    numbered = _numbered_titles(pages, body, bold)
    out: list[str] = []
    for page in pages:
        title_size: float | None = None
        previous: Line | None = None
        for line in page:
            if line in numbered:
                line = line._replace(text=numbered[line])
            if minutes.is_item_line(line.text):
                title_size = line.size
                out.append(line.text)
            elif title_size is not None and abs(line.size - title_size) < 0.5 and line.size > body:
                out[-1] = _join_title(out[-1], line.text)
            elif line.weight in bold and line.size > body + 0.5:
                title_size = None
                out.append(HEADING_MARK + line.text)
            else:
                title_size = None
                if (
                    previous is not None
                    and previous.size == body == line.size
                    and previous.baseline - line.baseline > step * 1.35
                ):
                    out.append(GAP_MARK)
                out.append(line.text)
            previous = line
    return out


_NUMBERED_TITLE = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")


def _numbered_titles(
    pages: Sequence[Sequence[Line]], body: float, bold: set[int]
) -> dict[Line, str]:
    """Where a PDF numbers its items "7. <title>" in its largest bold type instead of
    "Punkt 7: <title>", those lines as "Punkt" lines (the layout, not the wording, says so)."""
    lines = [line for page in pages for line in page]
    if any(minutes.is_item_line(line.text) for line in lines):
        return {}
    styled = [
        line
        for line in lines
        if line.weight in bold and line.size > body + 0.5 and _NUMBERED_TITLE.match(line.text)
    ]
    if not styled:
        return {}
    size = max(line.size for line in styled)
    out = {}
    for line in styled:
        match = _NUMBERED_TITLE.match(line.text)
        if match and line.size == size:
            out[line] = f"Punkt {match.group(1)}: {match.group(2)}"
    return out


def _join_title(title: str, more: str) -> str:
    return _hyphens.join(title[:-1], more, None) if title.endswith("-") else f"{title} {more}"


def strip_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Pages without their running headers and footers (see `running_lines`)."""
    drop = running_lines(pages)
    return [
        [x for i, x in enumerate(page) if i not in gone]
        for page, gone in zip(pages, drop, strict=True)
    ]


def running_lines(pages: Sequence[Sequence[str]]) -> list[set[int]]:
    """Per page, the indices of its running header and footer lines.

    A line at one of the first or last two positions of a page is running when the same line
    stands at that position on at least half the pages (and three), or when it is a page number,
    or when, with its digits masked, it recurs there and its number follows the page number. In
    a PDF of one or two pages only the page numbers are known to be running.
    """
    if len(pages) < 3:
        return [_page_numbers(page, number) for number, page in enumerate(pages, start=1)]
    threshold = max(3, (len(pages) + 1) // 2)
    exact: Counter[tuple[int, str]] = Counter()
    masked: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for number, page in enumerate(pages):
        for position, line in _edges(page):
            exact[(position, line)] += 1
            masked[(position, _DIGITS.sub("#", line))].append((number, line))
    running: set[tuple[int, str]] = {key for key, count in exact.items() if count >= threshold}
    for key, seen in masked.items():
        if len(seen) >= 3 and (_follows_page_numbers(seen) or _PAGE_NUMBER.match(seen[0][1])):
            running.update((key[0], line) for _, line in seen)
    return [
        {_index(page, position) for position, line in _edges(page) if (position, line) in running}
        for page in pages
    ]


def _page_numbers(page: Sequence[str], number: int) -> set[int]:
    """The edge lines of a page in a one- or two-page PDF that are its page number ("Side 1 af
    2", "- 2 -"): too few pages to see a line recur, but such a line is never item text."""
    out = set()
    for position, line in _edges(page):
        digits = _DIGITS.findall(line)
        if _PAGE_NUMBER.match(line) and digits and int(digits[0]) == number:
            out.add(_index(page, position))
    return out


def _edges(page: Sequence[str]) -> list[tuple[int, str]]:
    """(position, line) of the first and last `_EDGE` lines: 0, 1 from the top, -1, -2 below."""
    count = len(page)
    top = [(i, page[i]) for i in range(min(_EDGE, count))]
    bottom = [
        (-1 - i, page[count - 1 - i]) for i in range(min(_EDGE, count)) if count - 1 - i >= _EDGE
    ]
    return top + bottom


def _index(page: Sequence[str], position: int) -> int:
    return position if position >= 0 else len(page) + position


def _follows_page_numbers(seen: Sequence[tuple[int, str]]) -> bool:
    """Whether some number in the line is the page's number plus one constant offset."""
    offsets: Counter[tuple[int, int]] = Counter()
    for page, line in seen:
        for slot, found in enumerate(_DIGITS.findall(line)):
            offsets[(slot, int(found) - page)] += 1
    return bool(offsets) and offsets.most_common(1)[0][1] >= max(3, len(seen) * 3 // 4)


def _line_width(lines: Sequence[str]) -> int:
    """A full line's length on these pages: the 90th percentile of the line lengths."""
    lengths = sorted(len(line) for line in lines)
    return lengths[len(lengths) * 9 // 10] if lengths else 0

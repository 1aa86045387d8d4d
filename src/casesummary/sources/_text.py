"""Small text helpers every source format shares: whitespace, titles, dates, municipality."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

# Horizontal whitespace of every kind (incl. &nbsp; and the thin spaces Word produces).
_ODD_SPACE = "\t\f\v\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Only runs that need changing (two spaces, or any other kind of space): single spaces are
# left alone, which keeps this fast on long text. Each alternative starts with a single
# character class and never backtracks into a leading " *": 3x faster on prose.
_HSPACE = re.compile(rf" [ {_ODD_SPACE}]+|[{_ODD_SPACE}][ {_ODD_SPACE}]*")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\xad]")


def clean_line(line: str) -> str:
    """One line with runs of spaces folded and invisible characters removed."""
    return _HSPACE.sub(" ", _INVISIBLE.sub("", line)).strip()


def clean_text(text: str) -> str:
    """Text with runs of spaces folded and invisible characters removed; line breaks kept."""
    return _HSPACE.sub(" ", _INVISIBLE.sub("", text))


def normalise_text(text: str) -> str:
    """Lines cleaned, no leading/trailing blank lines, at most one blank line in a row."""
    text = _HSPACE.sub(" ", _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    out: list[str] = []
    blank = False
    for raw in text.split("\n"):
        line = raw.strip(" ")
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


# Prefixes "C-sag: …" (Odense) and "Beslutning - …" (Hvidovre); suffixes "(B)" (Slagelse).
_PREFIX_SAG = re.compile(r"^([A-ZÆØÅ]{1,2}-sag)\s*[:\-–]\s*(.+)$", re.DOTALL)
_PREFIX_WORD = re.compile(
    r"^(Beslutning|Orientering|Drøftelse|Godkendelse|Anbefaling|Høring|Meddelelse|Temadrøftelse)"
    r"\s+[-–]\s+(.+)$",
    re.DOTALL,
)
_SUFFIX = re.compile(r"^(.+?)\s*\(([A-ZÆØÅ]{1,3})\)$", re.DOTALL)
_CLOSED = re.compile(r"^Lukket\s*(?:punkt)?\s*[:\-–]\s*(.*)$", re.DOTALL | re.IGNORECASE)


def split_title(raw: str) -> tuple[str, str | None, bool]:
    """(title, case type, closed-by-title) from a portal title: "Lukket: Beslutning - X" etc.

    The prefix "Lukket:" marks a closed item and is dropped (`is_open` carries it); a case-type
    prefix ("C-sag:", "Beslutning - ") or suffix ("(B)") moves to `case_type`. A title that would
    be empty without its prefix is kept whole.
    """
    title = clean_line(raw)
    closed = False
    match = _CLOSED.match(title)
    if match and match.group(1).strip():
        title, closed = match.group(1).strip(), True
    case_type: str | None = None
    for pattern in (_PREFIX_SAG, _PREFIX_WORD):
        match = pattern.match(title)
        if match and match.group(2).strip():
            case_type, title = match.group(1), match.group(2).strip()
            break
    else:
        match = _SUFFIX.match(title)
        if match and match.group(1).strip():
            title, case_type = match.group(1).strip(), match.group(2)
    return title, case_type, closed


_MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_NUM_DATE = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\.?\s+([a-zæøå]+)\s+(\d{4})\b", re.IGNORECASE)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_danish_date(text: str) -> date | None:
    """The first date in text: "2026-05-18T17:00", "22-11-2016", "11. august 2015"; else None."""
    found: list[tuple[int, date]] = []
    for match in _ISO_DATE.finditer(text):
        d = _make_date(int(match[1]), int(match[2]), int(match[3]))
        if d:
            found.append((match.start(), d))
            break
    for match in _NUM_DATE.finditer(text):
        d = _make_date(int(match[3]), int(match[2]), int(match[1]))
        if d:
            found.append((match.start(), d))
            break
    for match in _WORD_DATE.finditer(text):
        month = _MONTHS.get(match[2].lower())
        d = _make_date(int(match[3]), month, int(match[1])) if month else None
        if d:
            found.append((match.start(), d))
            break
    return min(found)[1] if found else None


_MUNICIPALITY = re.compile(r"(?:^|[^\w-])([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) $")
_KOMMUNE = re.compile(r"Kommunes?\b")
_NOT_A_NAME = frozenset(
    {
        *("Den", "Denne", "Det", "Hver", "Hele", "Samme", "Anden", "Andre", "Egen", "Enhver"),
        *("Hvis", "Når", "Og", "At", "Som", "Ny", "Nye", "En", "Til", "Fra", "For", "Med", "Ved"),
        *("Kommune", "Kommunen", "Kommunens", "Region", "Landets", "Danmarks"),
    }
)


def guess_municipality(texts: Iterable[str]) -> str | None:
    """The municipality most often named as "<Name> Kommune" in the texts, or None."""
    counts: Counter[str] = Counter()
    for text in texts:
        start = text.find(" Kommune")
        while start != -1:
            if _KOMMUNE.match(text, start + 1):
                match = _MUNICIPALITY.search(text, max(0, start - 40), start + 1)
                if match and match.group(1) not in _NOT_A_NAME:
                    counts[match.group(1)] += 1
            start = text.find(" Kommune", start + 8)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


_COUNCIL = re.compile(
    r"^([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)\s+(?:Byråd|Kommunalbestyrelse|Kommune)\b"
)


def municipality_from_committee(committee: str | None) -> str | None:
    """The municipality a council's own name gives ("Aarhus Byråd" -> "Aarhus"), or None."""
    if not committee:
        return None
    match = _COUNCIL.match(committee)
    return match.group(1) if match and match.group(1) not in _NOT_A_NAME else None

"""Small text helpers every source format shares: whitespace and titles.

Dates and the municipality guess are Danish rules: they live in `casesummary.danish`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    return fold_blank_lines(raw.strip(" ") for raw in text.split("\n"))


def fold_blank_lines(lines: Iterable[str]) -> str:
    """Lines joined, at most one blank line in a row, no blank lines at the ends."""
    out: list[str] = []
    blank = False
    for line in lines:
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
# A title that only says the item is closed ("Lukket punkt"): portals show it in place of one.
_ONLY_CLOSED = re.compile(r"^(?:Lukket|Fortroligt?)(?:\s+(?:punkt|sag))?\.?$", re.IGNORECASE)


def split_title(raw: str) -> tuple[str, str | None, bool]:
    """(title, case type, closed-by-title) from a portal title: "Lukket: Beslutning - X" etc.

    The prefix "Lukket:" marks a closed item and is dropped (`is_open` carries it); a case-type
    prefix ("C-sag:", "Beslutning - ") or suffix ("(B)") moves to `case_type`. A title that would
    be empty without its prefix is kept whole; a title that is only "Lukket punkt" closes the
    item and stays its title.
    """
    title = clean_line(raw)
    if _ONLY_CLOSED.match(title):
        return title, None, True
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

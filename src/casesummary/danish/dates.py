"""Dates as Danes write them: "26. august 2025", "3. okt.", "1/1 2016", "22-11-2016", "2025-08-26".

One month table and one date pattern for every date an answer or an item mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Danish month names and their usual abbreviations ("okt.", "sept."), lower case.
MONTHS: dict[str, int] = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

_DAY_START = r"(?<![\d.,])"
_DATE_RE = re.compile(
    rf"""
    (?<!\d)(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)          # 2025-08-26
    | {_DAY_START}(?P<d1>\d{{1,2}})[-/.](?P<m1>\d{{1,2}})[-/. ](?P<y1>\d{{4}})(?!\d)  # 1/1 2016
    | (?<![\d.,/])(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})(?![\d/])                # 11/10
    | {_DAY_START}(?P<d3>\d{{1,2}})\.?\s*(?P<mon>{_MONTH_ALT})(?![^\W\d_])\.?
      (?:\s+(?P<y3>\d{{4}})(?!\d))?                                          # 26. august 2025
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A calendar date found in text; `year` is None when the text gives none ("26. august")."""

    text: str
    day: int
    month: int
    year: int | None

    def matches(self, other: DateMention) -> bool:
        """Same day and month, and the same year unless either side leaves the year out."""
        same_day = (self.day, self.month) == (other.day, other.month)
        return same_day and (self.year is None or other.year is None or self.year == other.year)


def dates(text: str) -> list[DateMention]:
    """Calendar dates in the text: "26. august 2025", "1/1 2016", "22-11-2016", "2025-08-26"."""
    return [d for d, _ in date_spans(text)]


def date_spans(text: str) -> list[tuple[DateMention, tuple[int, int]]]:
    """`dates` with where each stands in the text, as (start, end)."""
    found: list[tuple[DateMention, tuple[int, int]]] = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        year: int | None
        if g["iy"]:
            day, month, year = int(g["id"]), int(g["im"]), int(g["iy"])
        elif g["d1"]:
            day, month, year = int(g["d1"]), int(g["m1"]), int(g["y1"])
        elif g["d2"]:
            day, month, year = int(g["d2"]), int(g["m2"]), None
        else:
            day, month = int(g["d3"]), MONTHS[g["mon"].casefold()]
            year = int(g["y3"]) if g["y3"] else None
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((DateMention(m.group().strip(), day, month, year), m.span()))
    return found

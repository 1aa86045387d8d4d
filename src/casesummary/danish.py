"""Danish text tools: sentences, tokens, stems, stopwords, numbers, dates and names.

One place for the language rules that validation, the baseline and the metrics share.

Everything here is offline and deterministic: snowballstemmer's Danish stemmer, the stopwordsiso
Danish list and a few regular expressions that know Danish number and date formats
("474.501.000 kr.", "49,08 %", "12 mio. kr.", "26. august 2025", "1/1 2016").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: A word: letters (æøå and other accented letters included), hyphen- or apostrophe-joined parts.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: A number as Danes write it: dot for thousands, comma for decimals ("474.501.000", "49,08").
NUMBER_TEXT = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_BARE_NUMBER_RE = re.compile(rf"(?<!\d)(?:{NUMBER_TEXT})(?!\d)")
_TOKEN_RE = re.compile(rf"(?<!\d)(?:{NUMBER_TEXT})(?!\d)|{WORD_RE.pattern}")

#: Words ending in "." that never end a sentence: they always introduce what follows.
#: ("kr.", "mio." and "mia." are not here: they end a sentence when a capital follows.)
NON_TERMINAL_ABBREVIATIONS = frozenset(
    str.split(
        """
    bl.a jf jvf f.eks fx ca nr pkt stk kl d evt inkl incl ekskl vedr iflg hhv pga dvs mht vha
    ifm ift iht tlf att st afd ang alm adm sml ovf o.a m.fl mv m.v m.m osv etc el pr ml ex p.t
    pt s
    """
    )
)

_MONTHS: dict[str, int] = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DATE_RE = re.compile(
    rf"""
    (?<!\d)(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)          # 2025-08-26
    | (?<![\d.,])(?P<d1>\d{{1,2}})[-/.](?P<m1>\d{{1,2}})[-/. ](?P<y1>\d{{4}})(?!\d)  # 1/1 2016
    | (?<![\d.,/])(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})(?![\d/])                # 11/10
    | (?<![\d.,])(?P<d3>\d{{1,2}})\.?\s*(?P<mon>{_MONTH_ALT})(?![^\W\d_])\.?
      (?:\s+(?P<y3>\d{{4}})(?!\d))?                                          # 26. august 2025
    """,
    re.VERBOSE | re.IGNORECASE,
)

#: Scale words after a number, and what they multiply by.
_SCALES: dict[str, float] = {
    "mio": 1e6, "mill": 1e6, "million": 1e6, "millioner": 1e6,
    "mia": 1e9, "mrd": 1e9, "milliard": 1e9, "milliarder": 1e9,
    "t.kr": 1e3, "tkr": 1e3, "tusind": 1e3, "tusinde": 1e3,
}  # fmt: skip
_SCALE_ALT = "|".join(re.escape(s) for s in sorted(_SCALES, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    rf"(?<!\d)(?P<num>{NUMBER_TEXT})(?!\d)"
    rf"(?:\s*(?P<scale>{_SCALE_ALT})(?![^\W\d_])\.?)?"
    rf"(?:\s*(?P<pct>%|pct\.?|procent))?",
    re.IGNORECASE,
)

_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+|\n\s*\n+")


@dataclass(frozen=True)
class Quantity:
    """A number found in text, normalised; `tolerance` covers the rounding its digits imply."""

    text: str
    value: float
    tolerance: float
    percent: bool = False

    def matches(self, other: Quantity) -> bool:
        """True when `other` could be the number this one states (same value up to rounding)."""
        return abs(self.value - other.value) <= self.tolerance + 1e-9 * max(1.0, abs(self.value))


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


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("danish")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Danish stopwords (stopwordsiso), lower case."""
    import stopwordsiso

    return frozenset(w.casefold() for w in stopwordsiso.stopwords("da"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Danish snowball stem of one word, lower-cased first ("Kommunens" -> "kommun")."""
    return str(_stemmer().stemWord(word.casefold()))


def tokenize(text: str) -> list[str]:
    """Words and numbers in reading order, case kept ("474.501.000" stays one token)."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased; numbers left out."""
    return [w.casefold() for w in WORD_RE.findall(text)]


def stems(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Stems of the text's words (hyphenated words split into parts), in order.

    Numbers are kept, normalised ("1.000" -> "1000"), since they carry content.
    """
    stop = stopwords() if drop_stopwords else frozenset()
    out: list[str] = []
    for token in tokenize(text):
        if token[0].isdigit():
            out.append(_number_key(token))
            continue
        for part in re.split(r"[-'’]", token):
            low = part.casefold()
            if part and low not in stop:
                out.append(stem(low))
    return out


def _number_key(token: str) -> str:
    value, _ = parse_number(token)
    return str(int(value)) if value.is_integer() else repr(value)


def parse_number(text: str) -> tuple[float, int]:
    """A Danish-formatted number's value and how many decimals it states.

    "474.501.000" -> (474501000, 0); "49,08" -> (49.08, 2); "2.5" (an English decimal point,
    not a thousands group) -> (2.5, 1).
    """
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    whole, _, decimals = text.replace(",", ".").partition(".")
    return float(f"{whole}.{decimals}" if decimals else whole), len(decimals)


def sentences(text: str) -> list[str]:
    """Split text into sentences without breaking at "kr.", "bl.a.", "f.eks." or "26. august".

    A full stop ends a sentence only when the next word starts with a capital letter (or a
    quote) and the word before it is not an abbreviation that always leads into more text.
    Blank lines always end a sentence.
    """
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end()
        if "\n\n" not in re.sub(r"[ \t\r]", "", match.group()) and not _is_boundary(
            text[start : match.start() + 1], text[end:]
        ):
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _is_boundary(before: str, after: str) -> bool:
    if not after or not (after[0].isupper() or after[0] in "\"'«»“”„"):
        return False
    last = before.split()[-1] if before.split() else ""
    if last.endswith("."):
        core = last.strip("(\"'«»“”„").rstrip(".").casefold()
        if core in NON_TERMINAL_ABBREVIATIONS:
            return False
        if len(core) == 1 and core.isalpha():
            return False  # an initial: "Thomas B. Thriges Gade"
        if core.isdigit() and len(core) <= 2:
            return False  # an ordinal: "punkt 3. Scenarie", "den 26. August"
    return True


def dates(text: str) -> list[DateMention]:
    """Calendar dates in the text: "26. august 2025", "1/1 2016", "22-11-2016", "2025-08-26"."""
    return [d for d, _ in _date_spans(text)]


def _date_spans(text: str) -> list[tuple[DateMention, tuple[int, int]]]:
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
            day, month = int(g["d3"]), _MONTHS[g["mon"].casefold()]
            year = int(g["y3"]) if g["y3"] else None
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((DateMention(m.group().strip(), day, month, year), m.span()))
    return found


def quantities(text: str, *, skip_dates: bool = True) -> list[Quantity]:
    """Numbers in the text with scale words applied ("12 mio. kr." -> 12 000 000).

    With `skip_dates` the digits of a date are not also reported as numbers; pass False for a
    source text, so that an answer saying "i 2025" is grounded by "26. august 2025".
    """
    blanked = text
    if skip_dates:
        for _, (a, b) in _date_spans(text):
            blanked = blanked[:a] + " " * (b - a) + blanked[b:]
    found: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(blanked):
        value, decimals = parse_number(m.group("num"))
        scale_word = (m.group("scale") or "").casefold().rstrip(".")
        scale = _SCALES.get(scale_word, 1.0)
        tolerance = 0.5 * 10.0**-decimals * scale  # "49 %" may round "49,08 %"
        found.append(
            Quantity(
                text=m.group().strip(),
                value=value * scale,
                tolerance=tolerance,
                percent=bool(m.group("pct")),
            )
        )
    return found


def bare_numbers(text: str) -> list[tuple[str, float]]:
    """Every number in the text as written, without scale words or dates applied."""
    return [(m.group(), parse_number(m.group())[0]) for m in _BARE_NUMBER_RE.finditer(text)]


def proper_names(text: str) -> list[str]:
    """Capitalised word runs that are not at a sentence start and not common Danish words.

    Danish writes common nouns in lower case, so "Odense Kommune", "Job First-tilgang" or
    "BDO" in mid-sentence are names. Each sentence's first word, and a word right after a
    colon, are left out: their capital says nothing.
    """
    stop = stopwords()
    names: list[str] = []
    for sentence in sentences(text):
        run: list[str] = []
        previous_end = -1
        first = True
        for m in WORD_RE.finditer(sentence):
            word = m.group()
            between = sentence[previous_end : m.start()] if previous_end >= 0 else ""
            after_colon = ":" in between
            is_name = (
                not first and not after_colon and word[0].isupper() and word.casefold() not in stop
            )
            initial = bool(run) and len(run[-1]) == 1  # "Thomas B. Thriges Gade"
            adjacent = previous_end >= 0 and between.strip() in ("", "." if initial else "")
            if is_name and run and adjacent:
                run.append(word)
            else:
                if run:
                    names.append(" ".join(run))
                run = [word] if is_name else []
            previous_end = m.end()
            first = False
        if run:
            names.append(" ".join(run))
    return names


def name_key(name: str) -> str:
    """A name as a space-joined stem sequence, for matching inflected forms ("Odense Kommunes")."""
    return " ".join(stems(name, drop_stopwords=False))

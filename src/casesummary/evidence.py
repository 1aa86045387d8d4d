"""Finding an answer's quotes in the item: the deterministic evidence check and its locations.

A quote is found when it occurs in the item's title or in one section's text after both are
normalised the same way: white space runs become one space, typographic quote marks and dashes
become plain ones, soft hyphens and zero-width characters go, and case is ignored. The quote's
own ends are trimmed first (white space, enclosing quote marks, an ellipsis, closing
punctuation), since a model may wrap or close a fragment differently from the item. Nothing else
is forgiven: a quote is the item's words in the item's order.

A found quote becomes a `Citation`: the section (by index; None for the title) and the
character offsets into that section's text as the item holds it, so a web app can highlight
the passage. The normalised item is built once per item and reused for every quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from casesummary.result import Citation, Evidence

if TYPE_CHECKING:
    from collections.abc import Sequence

    from casesummary.item import AgendaItem

#: A quote needs at least this many words, unless it is a whole title or section.
MIN_QUOTE_WORDS = 3
#: And at most this many: a quote is a passage, not the item.
MAX_QUOTE_WORDS = 60
#: How the title is named in a citation.
TITLE_HEADING = "Titel"

_DOUBLE_QUOTES = '"“”„‟«»″〝〞＂'
_SINGLE_QUOTES = "'‘’‚‛‹›′"
_DASHES = "-‐‑‒–—―−⁃"
_TABLE = str.maketrans(
    {
        **dict.fromkeys(map(ord, _DOUBLE_QUOTES), '"'),
        **dict.fromkeys(map(ord, _SINGLE_QUOTES), "'"),
        **dict.fromkeys(map(ord, _DASHES), "-"),
        # Every white space character becomes a plain space, one for one (U+3000 is the last).
        **{c: " " for c in range(0x3001) if chr(c).isspace()},
    }
)
# Runs to squeeze: spaces beyond the first, and characters that are dropped altogether.
_SQUEEZE = re.compile(r"(?<= ) +|[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_TRIM = re.compile(r"^[\s\"'.…•*-]+|[\s\"'.,;:!?…]+$")


@dataclass(frozen=True)
class NormalText:
    """A text normalised for matching, with the way back to the original's offsets.

    `shifts` holds (normalised offset, original offset) pairs where the two part ways: from a
    normalised offset on, the original offset is the pair's original plus the distance.
    """

    text: str
    shifts: tuple[tuple[int, int], ...]

    def original(self, offset: int) -> int:
        """The original offset of a normalised one."""
        i = bisect_right(self.shifts, (offset, 1 << 62)) - 1
        if i < 0:
            return offset
        norm, orig = self.shifts[i]
        return orig + (offset - norm)


def normalise(text: str) -> str:
    """`text` as quotes are matched: spaces squeezed, quote marks and dashes plain, lower case."""
    return normal_text(text).text


def normal_text(text: str) -> NormalText:
    """`normalise(text)` and the map from its offsets back to `text`'s."""
    plain = text.translate(_TABLE)
    low = plain.lower()
    if len(low) != len(plain):  # a character whose lower case is longer ("İ"): keep its case
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []
    last = removed = 0
    for match in _SQUEEZE.finditer(low):
        pieces.append(low[last : match.start()])
        removed += match.end() - match.start()
        shifts.append((match.end() - removed, match.end()))
        last = match.end()
    pieces.append(low[last:])
    return NormalText("".join(pieces), tuple(shifts))


def trim_quote(quote: str) -> str:
    """The quote without what may differ at its ends: white space, enclosing quote marks, an
    ellipsis, closing punctuation."""
    return _TRIM.sub("", normalise(quote))


def quote_words(quote: str) -> int:
    """How many words a quote has, as the length bounds count them."""
    return len(trim_quote(quote).split())


@dataclass(frozen=True)
class Place:
    """A part of the item a quote may come from: its title or one section."""

    section: int | None
    heading: str
    text: str
    normal: NormalText


@lru_cache(maxsize=64)
def places(item: AgendaItem) -> tuple[Place, ...]:
    """The item's title and sections, normalised once per item."""
    found = [Place(None, TITLE_HEADING, item.title, normal_text(item.title))]
    for index, section in enumerate(item.sections):
        if section.text.strip():
            found.append(Place(index, section.heading, section.text, normal_text(section.text)))
    return tuple(found)


def find_quote(quote: str, item: AgendaItem) -> Citation | None:
    """Where `quote` stands in the item (part and index left at their defaults), or None."""
    return _find(trim_quote(quote), places(item), "summary", 0)


def _find(needle: str, where: Sequence[Place], part: str, index: int) -> Citation | None:
    if not needle:
        return None
    for place in where:
        at = place.normal.text.find(needle)
        if at < 0:
            continue
        start = place.normal.original(at)
        end = place.normal.original(at + len(needle) - 1) + 1
        return Citation(
            part=part,
            index=index,
            section=place.section,
            heading=place.heading,
            start=start,
            end=end,
            passage=place.text[start:end],
        )
    return None


@dataclass(frozen=True)
class QuoteProblem:
    """Why one quote fails the check: not in the item, too short or too long."""

    part: str
    index: int
    kind: str  # "missing", "short" or "long"


def locate(evidence: Evidence, item: AgendaItem) -> tuple[list[Citation], list[QuoteProblem]]:
    """A citation for every quote found in the item, and a problem for every other one."""
    where = places(item)
    wholes = {p.normal.text.strip() for p in where}
    citations: list[Citation] = []
    problems: list[QuoteProblem] = []
    for part, index, quote in evidence.quotes():
        needle = trim_quote(quote)
        count = len(needle.split())
        if count > MAX_QUOTE_WORDS:
            problems.append(QuoteProblem(part, index, "long"))
            continue
        if count < MIN_QUOTE_WORDS and needle not in wholes:
            problems.append(QuoteProblem(part, index, "short"))
            continue
        citation = _find(needle, where, part, index)
        if citation is None:
            problems.append(QuoteProblem(part, index, "missing"))
        else:
            citations.append(citation)
    return citations, problems


@lru_cache(maxsize=64)
def _normal_source(text: str) -> str:
    return normalise(text)


def quote_in_text(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text` under the same normalisation (for texts without an
    item, such as the eval's source text)."""
    needle = trim_quote(quote)
    return bool(needle) and needle in _normal_source(text)

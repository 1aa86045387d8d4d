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
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
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

#: Every white space character but the plain space (what str.isspace() calls white space).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Folded one for one, so offsets keep their place: white space to a space, typographic quote
# marks and dashes to plain ones. (str.replace per character: many times faster than a regex.)
_FOLDS: dict[str, str] = {
    **dict.fromkeys(WHITE_SPACE, " "),
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛‹›′", "'"),
    **dict.fromkeys("‐‑‒–—―−⁃", "-"),
}
#: Dropped before matching: soft hyphens and zero-width characters.
DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DROPS = re.compile(f"[{DROPPED}]+")
_SPECIAL = re.compile(r"[.^$*+?{}\[\]\\|()]")  # what a literal needle escapes in a pattern
_TABLE = str.maketrans(_FOLDS)
#: Under this length, one translate() folds faster than a scan per character.
_SHORT = 400
_TRIM = re.compile(r"^[\s\"'.…•*-]+|[\s\"'.,;:!?…]+$")


@dataclass(frozen=True)
class NormalText:
    """A text normalised for matching, with the way back to the original's offsets.

    `folded` is the text folded and lower-cased, the same length as the original; `kept` is
    `folded` without the dropped characters (the same string when it has none); `text` is `kept`
    with each run of spaces made one, what quotes are looked up in.
    """

    text: str
    folded: str
    kept: str

    def span(self, needle: str) -> tuple[int, int] | None:
        """Where the first occurrence of `needle` (found in `text`) stands in the original."""
        match = re.search(_SPECIAL.sub(r"\\\g<0>", needle).replace(" ", " +"), self.kept)
        if match is None:
            return None
        start, end = match.span()
        return self._original(start), self._original(end - 1) + 1

    @cached_property
    def _dropped(self) -> tuple[tuple[int, int], ...]:
        """(offset in kept, offset in folded) after each run of dropped characters."""
        found: list[tuple[int, int]] = []
        removed = 0
        for match in _DROPS.finditer(self.folded):
            removed += match.end() - match.start()
            found.append((match.end() - removed, match.end()))
        return tuple(found)

    def _original(self, offset: int) -> int:
        if self.kept is self.folded:
            return offset
        i = bisect_right(self._dropped, (offset, 1 << 62)) - 1
        if i < 0:
            return offset
        after, before = self._dropped[i]
        return before + (offset - after)


def normalise(text: str) -> str:
    """`text` as quotes are matched: spaces squeezed, quote marks and dashes plain, lower case."""
    return normal_text(text).text


def normal_text(text: str) -> NormalText:
    """`normalise(text)` and the map from its offsets back to `text`'s."""
    if len(text) < _SHORT:
        plain = text.translate(_TABLE)
    else:
        plain = text
        for char, plain_char in _FOLDS.items():
            if char in plain:  # a scan in C, instant for a character wider than any in the text
                plain = plain.replace(char, plain_char)
    low = plain.lower()
    if len(low) != len(plain):  # a character whose lower case is longer ("İ"): keep its case
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)
    kept = low
    for char in DROPPED:
        if char in kept:
            kept = kept.replace(char, "")
    squeezed = kept
    while "  " in squeezed:
        squeezed = squeezed.replace("  ", " ")
    return NormalText(squeezed, low, kept)


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

    @cached_property
    def whole(self) -> str:
        """The place's whole text as a trimmed quote of it would read."""
        return _TRIM.sub("", self.normal.text)


_PLACES: OrderedDict[str, tuple[Place, ...]] = OrderedDict()
_PLACES_KEPT = 64


def places(item: AgendaItem) -> tuple[Place, ...]:
    """The item's title and sections, normalised once per item (the last 64 items are kept,
    by fingerprint, which covers the title and every section)."""
    key = item.fingerprint
    found = _PLACES.get(key)
    if found is not None:
        _PLACES.move_to_end(key)
        return found
    built = [Place(None, TITLE_HEADING, item.title, normal_text(item.title))]
    for index, section in enumerate(item.sections):
        if section.text.strip():
            built.append(Place(index, section.heading, section.text, normal_text(section.text)))
    found = _PLACES[key] = tuple(built)
    if len(_PLACES) > _PLACES_KEPT:
        _PLACES.popitem(last=False)
    return found


def forget_items() -> None:
    """Drop the normalised items kept for lookups (the benchmark measures a cold check)."""
    _PLACES.clear()


def find_quote(quote: str, item: AgendaItem) -> Citation | None:
    """Where `quote` stands in the item (part and index left at their defaults), or None."""
    return _find(trim_quote(quote), places(item), "summary", 0)


def _find(needle: str, where: Sequence[Place], part: str, index: int) -> Citation | None:
    if not needle:
        return None
    for place in where:
        if needle not in place.normal.text:
            continue
        span = place.normal.span(needle)
        if span is None:  # pragma: no cover - the squeezed text holds it, so the kept text does
            continue
        start, end = span
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
    citations: list[Citation] = []
    problems: list[QuoteProblem] = []
    for part, index, quote in evidence.quotes():
        needle = trim_quote(quote)
        count = len(needle.split())
        if count > MAX_QUOTE_WORDS:
            problems.append(QuoteProblem(part, index, "long"))
            continue
        if count < MIN_QUOTE_WORDS and all(needle != p.whole for p in where):
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

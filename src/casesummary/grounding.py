"""Grounding: which numbers, amounts, dates and names of a text its source also states.

One rule for two users: validation refuses an answer that states a fact the item does not
(`missing_facts`, at the strictness a prompt or caller chooses), and the eval measures the share
of grounded mentions (`ground_texts`, eval/metrics.py `grounding`). Numbers match after Danish
normalisation and up to the rounding their digits imply ("474,5 mio. kr." is grounded by
"474.501.000 kr."); dates match as dates; names match on stems, so inflected forms count. The
municipality, when given, counts as source: the question is asked to name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from casesummary import danish

#: How strictly validation holds an answer to the item's facts: not at all, numbers, amounts
#: and dates only, or those and proper names too.
GroundingLevel = Literal["off", "numbers", "all"]
GROUNDING_LEVELS: tuple[GroundingLevel, ...] = get_args(GroundingLevel)


@dataclass(frozen=True)
class Grounding:
    """What `ground_texts` found: the score, the mentions missing from the source, and whether
    every number and date was found."""

    score: float
    mentions: int
    ungrounded: tuple[str, ...]
    numbers_grounded: bool


@dataclass(frozen=True)
class MissingFacts:
    """The mentions of one text that its source lacks, by kind, and how many it has in all."""

    numbers: tuple[str, ...]  # numbers, amounts and dates
    names: tuple[str, ...]
    mentions: int


@dataclass(frozen=True)
class _SourceFacts:
    quantities: tuple[danish.Quantity, ...]
    dates: tuple[danish.DateMention, ...]


def _with_municipality(source_text: str, municipality: str | None) -> str:
    if municipality:
        return f"{source_text}\n\n{danish.municipality_name(municipality)}."
    return source_text


@lru_cache(maxsize=64)
def _source_facts(source_text: str, municipality: str | None) -> _SourceFacts:
    text = _with_municipality(source_text, municipality)
    # Scaled ("12 mio." = 12 000 000) and bare (12) readings both count: an answer may say
    # "mellem 12 og 15 mio. kr." where only 15 carries the scale word.
    bare = [danish.Quantity(t, v, 0.0) for t, v in danish.bare_numbers(text)]
    return _SourceFacts(
        quantities=(*danish.quantities(text, skip_dates=False), *bare),
        dates=tuple(danish.dates(text)),
    )


@lru_cache(maxsize=64)
def _source_names(source_text: str, municipality: str | None) -> str:
    """The source's words as stems between spaces, for name lookups (stemming a long item is
    the costly part, so it is done only when names are checked)."""
    text = _with_municipality(source_text, municipality)
    return f" {' '.join(danish.stems(text, drop_stopwords=False))} "


def missing_facts(
    text: str, source_text: str, *, municipality: str | None = None, names: bool = True
) -> MissingFacts:
    """The numbers, amounts, dates (and, with `names`, proper names) of `text` not in the source."""
    facts = _source_facts(source_text, municipality)
    total = 0
    numbers: list[str] = []
    for q in danish.quantities(text, skip_dates=True):
        total += 1
        if not any(q.matches(s) for s in facts.quantities):
            numbers.append(q.text)
    for d in danish.dates(text):
        total += 1
        if not any(d.matches(s) for s in facts.dates):
            numbers.append(d.text)
    missing_names: list[str] = []
    if names:
        for name in danish.proper_names(text):
            total += 1
            if f" {danish.name_key(name)} " not in _source_names(source_text, municipality):
                missing_names.append(name)
    return MissingFacts(tuple(numbers), tuple(missing_names), total)


def ground_texts(
    texts: Iterable[str], source_text: str, *, municipality: str | None = None
) -> Grounding:
    """Which of the texts' numbers, dates and names the source has; 1.0 with nothing to check."""
    total = 0
    missing: list[str] = []
    numbers_ok = True
    for text in texts:
        found = missing_facts(text, source_text, municipality=municipality)
        total += found.mentions
        missing += [*found.numbers, *found.names]
        numbers_ok = numbers_ok and not found.numbers
    score = 1.0 if total == 0 else (total - len(missing)) / total
    return Grounding(score, total, tuple(missing), numbers_ok)

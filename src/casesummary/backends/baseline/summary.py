"""The summary: the item's first two or three sentences, marked as quoted, not written."""

from __future__ import annotations

from casesummary.backends.baseline._text import prose, shorten, title_kind
from casesummary.danish import sentences
from casesummary.item import AgendaItem, SectionKind

#: Opens every baseline summary, so nobody mistakes quoted text for a written summary.
EXTRACT_MARKER = "Uddrag af dagsordenspunktet: "
_MAX_SENTENCE = 260

_SUMMARY_ORDER = (
    SectionKind.SUMMARY,
    SectionKind.PRESENTATION,
    SectionKind.BACKGROUND,
    SectionKind.OTHER,
    SectionKind.ECONOMY,
)


def summary_for(item: AgendaItem) -> str:
    """Two or three of the item's first sentences, marked as an extract.

    Sentences are counted by `danish.sentences`, the same rule the answer is checked
    with, so an odd abbreviation in the source cannot push the count outside two or three.
    """
    chosen: list[str] = []
    for sentence in prose(_SUMMARY_ORDER, item):
        shortened = shorten(sentence, _MAX_SENTENCE)
        if not shortened.endswith((".", "!")):
            shortened += "."
        if shortened in chosen or len(sentences(shortened)) != 1:
            continue
        chosen.append(shortened)
        if len(chosen) == 3 or (len(chosen) == 2 and len(" ".join(chosen)) >= 220):
            break
    title, _ = title_kind(item)
    for filler in (
        f"Punktet har overskriften „{title}“.",
        "Dagsordenspunktet indeholder ikke yderligere tekst ud over overskriften.",
    ):
        if len(chosen) < 2 and len(sentences(filler)) == 1:
            chosen.append(filler)
    return EXTRACT_MARKER + " ".join(chosen[:3])

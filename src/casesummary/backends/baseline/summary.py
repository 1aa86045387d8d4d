"""The summary: the item's first two or three sentences, marked as quoted, not written."""

from __future__ import annotations

from casesummary.backends.baseline._text import (
    clean_text,
    prose,
    recommendation_text,
    shorten,
    strip_end,
    title_kind,
)
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
    fillers = [f"Punktet har overskriften „{title}“.", *_quoted_parts(item)]
    if not fillers[1:]:
        fillers.append("Dagsordenspunktet indeholder ikke yderligere tekst ud over overskriften.")
    for filler in fillers:
        if len(chosen) < 2 and len(sentences(filler)) == 1 and filler not in chosen:
            chosen.append(filler)
    return EXTRACT_MARKER + " ".join(chosen[:3])


def _quoted_parts(item: AgendaItem) -> list[str]:
    """The item's short texts (the Indstilling, the decision, any other section) as quoted
    sentences, for an item with too little prose: "Beslutningen er „Godkendt“."."""
    parts: list[str] = []
    labelled = [("Indstillingen", recommendation_text(item))]
    labelled += [("Beslutningen", item.decision or "")]
    labelled += [
        ("Beslutningen" if s.kind == SectionKind.DECISION else "Teksten", s.text)
        for s in item.sections
        if s.kind != SectionKind.RECOMMENDATION
    ]
    for label, text in labelled:
        lines = [line for line in clean_text(text).splitlines() if line.strip()]
        if not lines:
            continue
        body = strip_end(shorten(" ".join(lines), 200)).replace("„", "").replace("“", "")
        quoted = f"{label} lyder: „{body}“."
        if len(sentences(quoted)) != 1:
            quoted = f"{label} lyder: „{strip_end(sentences(body)[0])}“."
        if len(sentences(quoted)) == 1 and quoted not in parts:
            parts.append(quoted)
    return parts

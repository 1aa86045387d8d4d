"""Heading text -> SectionKind, whatever each municipality calls its sections.

`classify` maps any heading ("Sagsresumé", "18.05.2026 Supplerende indstilling", "Beslutning i
Økonomiudvalget den 16-03-2026", "Retsgrundlag") to a kind; unknown headings are `other`.
`is_known_heading` tells the text formats whether a line is a heading at all: in plain text a
heading is only recognisable by its wording, so it accepts the vocabulary below and no more.
"""

from __future__ import annotations

import re
from functools import lru_cache

from casesummary.item import SectionKind

# A leading date ("18.05.2026 Supplerende indstilling") and "Supplerende" say when, not what.
_LEADING_DATE = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\s+")
_SUPPLEMENT = re.compile(r"^(?:supplerende|opdateret|revideret|ny|nyt)\s+")
_ECONOMY = re.compile(r"^økonomi(?:sk|ske)?(?:\s|,|$)")
_DECISION = re.compile(
    r"^beslutning(?:er)?(?:\s|$)|^afgørelse(?:\s|$)"
    # "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 2" (eDoc)
    r"|^\S.{0,80}s beslutning(?:\s+(?:den|d\.)\s+\d.*)?$"
)
# A known heading of kind `other` that carries the body's name: "Borgmesterens Afdelings påtegning".
_ENDORSEMENT = re.compile(r"^\S.{0,60}\bpåtegning$")

_EXACT: dict[str, SectionKind] = {
    "sagsresumé": SectionKind.SUMMARY,
    "sagsresume": SectionKind.SUMMARY,
    "resumé": SectionKind.SUMMARY,
    "resume": SectionKind.SUMMARY,
    "kort resumé": SectionKind.SUMMARY,
    "kort resume": SectionKind.SUMMARY,
    "beslutningstema": SectionKind.SUMMARY,
    "sammenfatning": SectionKind.SUMMARY,
    "sammendrag": SectionKind.SUMMARY,
    "præsentation": SectionKind.SUMMARY,
    "beslutningspunkter": SectionKind.RECOMMENDATION,
    "det indstilles": SectionKind.RECOMMENDATION,
    "forvaltningen foreslår": SectionKind.RECOMMENDATION,
    "forslag til beslutning": SectionKind.RECOMMENDATION,
    "indstilling": SectionKind.RECOMMENDATION,
    "forvaltningens indstilling": SectionKind.RECOMMENDATION,
    "administrationens indstilling": SectionKind.RECOMMENDATION,
    "direktionens indstilling": SectionKind.RECOMMENDATION,
    "sagsfremstilling": SectionKind.PRESENTATION,
    "sagsbeskrivelse": SectionKind.PRESENTATION,
    "beslutning": SectionKind.DECISION,
    "beslutninger": SectionKind.DECISION,
    "baggrund": SectionKind.BACKGROUND,
    "retligt grundlag": SectionKind.LEGAL,
    "retsgrundlag": SectionKind.LEGAL,
    "lovgrundlag": SectionKind.LEGAL,
    "juridisk grundlag": SectionKind.LEGAL,
    "lovgivning": SectionKind.LEGAL,
}

# Headings of kind `other` that the text formats recognise as section boundaries.
_OTHER_HEADINGS = frozenset(
    {
        "bilag",
        "text",
        "effekt",
        "høring",
        "handlemuligheder",
        "vurdering",
        "konsekvenser for andre udvalg",
        "politiske beslutninger og aftaler",
        "personalemæssige konsekvenser",
        "sundhedsmæssige konsekvenser",
        "klima-, miljø- og bæredygtighedsmæssige konsekvenser",
        "miljømæssige konsekvenser",
        "kommunikation",
        "sagsforløb",
        "tidligere behandling",
        "beslutningen træffes af",
        "beslutningskompetence",
        "kompetence",
        "høringssvar",
        "begrundelse",
    }
)


@lru_cache(maxsize=8192)
def normalise_heading(heading: str) -> str:
    """Heading folded for comparison: case, spaces, trailing colon, a date and "Supplerende"."""
    text = " ".join(heading.split()).casefold().rstrip(":").strip()
    text = _LEADING_DATE.sub("", text)
    return _SUPPLEMENT.sub("", text)


def classify(heading: str) -> SectionKind:
    """The kind of section a heading introduces; `other` when the wording is not known."""
    text = normalise_heading(heading)
    kind = _EXACT.get(text)
    if kind is not None:
        return kind
    if _ECONOMY.match(text):
        return SectionKind.ECONOMY
    if text.endswith(" indstilling"):
        return SectionKind.RECOMMENDATION
    if _DECISION.match(text) and not text.startswith(("beslutningstema", "beslutningen ")):
        return SectionKind.DECISION
    return SectionKind.OTHER


def is_known_other(heading: str) -> bool:
    """Whether a heading of kind `other` is one the vocabulary knows ("Sagsforløb", "Bilag")."""
    text = normalise_heading(heading)
    return text in _OTHER_HEADINGS or _ENDORSEMENT.match(text) is not None


def is_known_heading(line: str, kinds: frozenset[SectionKind] | None = None) -> bool:
    """Whether a whole line of plain text is a section heading (optionally of given kinds only).

    Headings are short and do not end a sentence; "Beslutning i X den 11. august 2015:" counts.
    """
    if not line or len(line) > 120 or line.endswith((".", ",", ";")):
        return False
    kind = classify(line)
    if kinds is not None and kind not in kinds:
        return False
    if kind is not SectionKind.OTHER:
        # Prose that merely starts with "Økonomi…" or "Beslutning…" is not a heading.
        text = normalise_heading(line)
        return text in _EXACT or len(text.split()) <= 12
    return is_known_other(line)

"""A municipality's name: as the question says it ("Odense Kommune", else "kommunen"), bare
("Odense"), and guessed from the texts that name it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: What a question says when the municipality is unknown, so that it still reads well.
UNKNOWN = "kommunen"

_MUNICIPALITY = re.compile(r"(?:^|[^\w-])([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) $")
_KOMMUNE = re.compile(r"Kommunes?\b")
_NOT_A_NAME = frozenset(
    {
        *("Den", "Denne", "Det", "Hver", "Hele", "Samme", "Anden", "Andre", "Egen", "Enhver"),
        *("Hvis", "Når", "Og", "At", "Som", "Ny", "Nye", "En", "Til", "Fra", "For", "Med", "Ved"),
        *("Kommune", "Kommunen", "Kommunens", "Region", "Landets", "Danmarks"),
    }
)


_COUNCIL = re.compile(
    r"^([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)\s+(?:Byråd|Kommunalbestyrelse|Kommune)\b"
)


def municipality_name(municipality: str | None) -> str:
    """'Odense' -> 'Odense Kommune'; unknown -> 'kommunen', so the question still reads well."""
    if not municipality or not municipality.strip():
        return UNKNOWN
    name = " ".join(municipality.split())
    return name if name.casefold().endswith("kommune") else f"{name} Kommune"


def bare_name(municipality: str) -> str:
    """'Odense Kommune' -> 'Odense'; a bare name is returned stripped."""
    name = municipality.strip()
    return name[: -len(" kommune")] if name.casefold().endswith(" kommune") else name


def guess_municipality(texts: Iterable[str]) -> str | None:
    """The municipality most often named as "<Name> Kommune" in the texts (bare), or None.

    Ties go to the one named first; "Den Kommune", "Hele Kommune" and the like are no names.
    """
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


def municipality_from_committee(committee: str | None) -> str | None:
    """The municipality a council's own name gives ("Aarhus Byråd" -> "Aarhus"), or None."""
    if not committee:
        return None
    match = _COUNCIL.match(committee)
    return match.group(1) if match and match.group(1) not in _NOT_A_NAME else None

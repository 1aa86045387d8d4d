"""The municipality the question names: the item's own field, else the most named "<X> Kommune"."""

from __future__ import annotations

import re

from casesummary.item import AgendaItem

_KOMMUNE = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) Kommunes?\b")


def municipality_of(item: AgendaItem) -> str | None:
    """ "Odense Kommune": from the item's field, else the most named "<X> Kommune" in its text."""
    name = (item.municipality or "").strip()
    if not name:
        counts: dict[str, int] = {}
        for text in [item.title, *(s.text for s in item.sections)]:
            for match in _KOMMUNE.finditer(text):
                counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        if not counts:
            return None
        name = min(counts, key=lambda n: (-counts[n], n))
    if not name.casefold().endswith("kommune"):
        name = f"{name} Kommune"
    return name

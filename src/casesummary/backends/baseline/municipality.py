"""The municipality the question names: the item's own field, else the most named "<X> Kommune"."""

from __future__ import annotations

from casesummary.danish import guess_municipality, municipality_name
from casesummary.item import AgendaItem


def municipality_of(item: AgendaItem) -> str | None:
    """ "Odense Kommune": from the item's field, else the most named "<X> Kommune" in its text."""
    name = (item.municipality or "").strip() or guess_municipality(
        [item.title, *(s.text for s in item.sections)]
    )
    return municipality_name(name) if name else None

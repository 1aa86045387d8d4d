"""The municipality the question names: the item's own field, else wherever its text names it
("<Navn> Kommune", "Aarhus Byråd", the portal host of its attachments, the committee line)."""

from __future__ import annotations

from casesummary.danish import find_municipality, municipality_name
from casesummary.item import AgendaItem


def municipality_of(item: AgendaItem) -> str | None:
    """ "Odense Kommune", "Københavns Kommune": from the item's field, else from its texts."""
    name = (item.municipality or "").strip() or find_municipality(
        [
            item.title,
            item.committee or "",
            item.meeting_place or "",
            item.recommendation or "",
            item.decision or "",
            *(s.text for s in item.sections),
        ],
        hosts=[a.url for a in item.attachments if a.url],
    )
    return municipality_name(name) if name else None

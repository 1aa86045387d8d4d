"""From headed text blocks to a validated AgendaItem: the step every format ends with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Section, SectionKind
from casesummary.sources.headings import classify


def make_sections(blocks: Iterable[tuple[str, str, SectionKind | None]]) -> list[Section]:
    """Sections from (heading, text, hinted kind); the heading's wording decides the kind.

    A hint (e.g. from a portal's span class) only applies when the wording is unknown.
    Blocks without text are left out: a bare heading says nothing about the item.
    """
    sections: list[Section] = []
    for heading, text, hint in blocks:
        if not text.strip():
            continue
        kind = classify(heading)
        if kind is SectionKind.OTHER and hint is not None:
            kind = hint
        sections.append(Section(heading=heading, kind=kind, text=text))
    return sections


def first_text(sections: Iterable[Section], kind: SectionKind) -> str | None:
    """The text of the first section of a kind (portals list the newest version first)."""
    return next((s.text for s in sections if s.kind is kind), None)


def make_item(fields: dict[str, Any], *, origin: str | None) -> AgendaItem:
    """An AgendaItem from parsed fields, with recommendation and decision filled from sections."""
    sections: list[Section] = list(fields.get("sections", ()))
    fields.setdefault("recommendation", first_text(sections, SectionKind.RECOMMENDATION))
    fields.setdefault("decision", first_text(sections, SectionKind.DECISION))
    fields["sections"] = tuple(sections)
    try:
        return AgendaItem(**fields)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        message = f"not a valid agenda item ({fields.get('title')!r}): {exc}"
        raise InvalidAgendaItem(message, source=origin) from exc

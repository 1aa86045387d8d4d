"""From headed text blocks to a validated AgendaItem: the step every format ends with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from typing import Any

from casesummary.danish import municipality_from_committee
from casesummary.exceptions import InvalidAgendaItem
from casesummary.item import AgendaItem, Section, SectionKind
from casesummary.sources._text import normalise_text
from casesummary.sources.headings import classify, is_known_other
from casesummary.sources.html import html_sections


def make_sections(blocks: Iterable[tuple[str, str, SectionKind | None]]) -> list[Section]:
    """Sections from (heading, text, hinted kind); the heading's wording decides the kind.

    A hint (e.g. from a portal's span class) only applies when the wording is unknown.
    Blocks without a letter or digit are left out: a bare heading (or a stray "." under it)
    says nothing about the item.
    """
    sections: list[Section] = []
    for heading, text, hint in blocks:
        if not any(c.isalnum() for c in text):
            continue
        kind = classify(heading)
        if kind is SectionKind.OTHER and hint is not None and not is_known_other(heading):
            kind = hint
        sections.append(Section(heading=heading, kind=kind, text=text))
    return sections


def first_text(sections: Iterable[Section], kind: SectionKind) -> str | None:
    """The text of the first section of a kind (portals list the newest version first)."""
    return next((s.text for s in sections if s.kind is kind), None)


def make_item(fields: dict[str, Any], *, origin: str | None) -> AgendaItem:
    """An AgendaItem from parsed fields, with recommendation and decision filled from sections."""
    if fields.get("municipality") is None:
        fields["municipality"] = municipality_from_committee(fields.get("committee"))
    sections: list[Section] = list(fields.get("sections", ()))
    fields.setdefault("recommendation", first_text(sections, SectionKind.RECOMMENDATION))
    fields.setdefault("decision", first_text(sections, SectionKind.DECISION))
    fields["sections"] = tuple(sections)
    try:
        return AgendaItem(**fields)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        message = f"not a valid agenda item ({fields.get('title')!r}): {exc}"
        raise InvalidAgendaItem(message, source=origin) from exc


_TAG = re.compile(r"<[A-Za-z!/]")
#: The title of a closed item whose export gives it none, as the portals show it.
CLOSED_TITLE = "Lukket punkt"
# "12", "3a", "3.1", "3.1b": the numbers and letters an agenda numbers its items with.
_NUMBER_PART = re.compile(r"\d+|[^\W\d_]+")


def number_order(number: str | None) -> tuple[tuple[int, int, str], ...]:
    """A sort key that puts item numbers in agenda order: 2 < 2a < 2.1 < 3 < 10.

    Numeric parts compare as numbers and letters after them as sub-items; an item without a
    number goes last.
    """
    if not number or not number.strip():
        return ((1, 0, ""),)
    return tuple(
        (0, int(part), "") if part.isdigit() else (0, -1, part.casefold())
        for part in _NUMBER_PART.findall(number)
    ) or ((1, 0, number),)


def in_agenda_order(drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items sorted by their numbers when every item has one (a stable sort: ties keep the
    export's order); an export that leaves numbers out keeps its own order."""
    if not drafts or not all(draft.get("number") for draft in drafts):
        return drafts
    return sorted(drafts, key=lambda draft: number_order(draft["number"]))


def body_blocks(
    heading: str | None, body: str, hint: SectionKind | None = None
) -> list[tuple[str, str, SectionKind | None]]:
    """(heading, text, kind) blocks of one field of an export: HTML split at its own headings,
    or plain text. An HTML part without a heading of its own takes the field's heading."""
    name = heading or "Tekst"
    if not _TAG.search(body):
        return [(name, normalise_text(unescape(body)), hint)]
    blocks: list[tuple[str, str, SectionKind | None]] = []
    for part in html_sections(body):
        if part.heading is None or (not blocks and part.heading == heading):
            blocks.append((name, part.text, hint))
        else:
            blocks.append((part.heading, part.text, None))
    return blocks


def fields_blocks(
    fields: Iterable[tuple[str | None, str, SectionKind | None]],
) -> list[tuple[str, str, SectionKind | None]]:
    """`body_blocks` of every field of one item, in order (heading, body, hinted kind)."""
    return [block for heading, body, hint in fields for block in body_blocks(heading, body, hint)]

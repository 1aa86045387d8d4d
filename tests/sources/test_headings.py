"""Heading wording -> section kind, and which plain-text lines count as headings."""

from __future__ import annotations

import pytest

from casesummary.item import SectionKind
from casesummary.sources.headings import classify, is_known_heading


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Sagsresumé", SectionKind.SUMMARY),
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningstema", SectionKind.SUMMARY),
        ("18.05.2026 Supplerende beslutningstema", SectionKind.SUMMARY),
        ("Indstilling", SectionKind.RECOMMENDATION),
        ("INDSTILLING", SectionKind.RECOMMENDATION),
        ("18.05.2026 Supplerende indstilling", SectionKind.RECOMMENDATION),
        ("Sagsfremstilling", SectionKind.PRESENTATION),
        ("Supplerende sagsfremstilling", SectionKind.PRESENTATION),
        ("Økonomi", SectionKind.ECONOMY),
        ("Økonomiske konsekvenser", SectionKind.ECONOMY),
        ("Økonomiske og personalemæssige konsekvenser", SectionKind.ECONOMY),
        ("Beslutning", SectionKind.DECISION),
        ("Beslutning i Økonomiudvalget den 16-03-2026", SectionKind.DECISION),
        (
            "Beslutning i Beskæftigelses- og Integrationsudvalget den 11. august 2015:",
            SectionKind.DECISION,
        ),
        ("Baggrund", SectionKind.BACKGROUND),
        ("Retligt grundlag", SectionKind.LEGAL),
        ("Retsgrundlag", SectionKind.LEGAL),
        ("Lovgrundlag", SectionKind.LEGAL),
        ("Høring", SectionKind.OTHER),
        ("Økonomiudvalget", SectionKind.OTHER),
        ("Om Grenhusene", SectionKind.OTHER),
    ],
)
def test_classify(heading: str, kind: SectionKind) -> None:
    assert classify(heading) is kind


@pytest.mark.parametrize(
    "line",
    ["Resume", "Bilag", "Retligt grundlag", "Vurdering", "Beslutning i Udvalget den 1. maj 2020:"],
)
def test_known_heading_lines(line: str) -> None:
    assert is_known_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "Fokus på kerneopgaven og de virksomme indsatser:",
        "Beslutningen skal være saglig.",
        "Økonomiudvalget behandler sagen i august.",
        "Fraværende:",
        "Uddannelse",
        "",
    ],
)
def test_prose_lines_are_not_headings(line: str) -> None:
    assert not is_known_heading(line)


def test_kinds_restrict_headings() -> None:
    assert not is_known_heading("Baggrund", frozenset({SectionKind.SUMMARY}))
    assert is_known_heading("Resume", frozenset({SectionKind.SUMMARY}))

"""One headed part of an agenda item, and what it is for whatever heading it was given."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class SectionKind(StrEnum):
    """What a section is for, whatever heading the municipality gave it."""

    SUMMARY = "summary"  # Sagsresumé, Resume, Beslutningstema
    RECOMMENDATION = "recommendation"  # Indstilling
    PRESENTATION = "presentation"  # Sagsfremstilling
    ECONOMY = "economy"  # Økonomi, Økonomiske konsekvenser
    DECISION = "decision"  # Beslutning
    BACKGROUND = "background"  # Baggrund
    LEGAL = "legal"  # Retligt grundlag, Retsgrundlag
    OTHER = "other"


class Section(BaseModel):
    """One headed part of an item, with its heading as the municipality wrote it."""

    model_config = ConfigDict(frozen=True)

    heading: str
    kind: SectionKind
    text: str

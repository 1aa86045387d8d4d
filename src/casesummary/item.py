"""The typed agenda item every later stage reads, whatever system published it."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casesummary.prompt_text import render_item
from casesummary.sections import Section, SectionKind

__all__ = [
    "AgendaItem",
    "Attachment",
    "Section",
    "SectionKind",
    "SourceFormat",
    "content_fingerprint",
]


class SourceFormat(StrEnum):
    """The input formats `load_items` detects."""

    FIRSTAGENDA_ITEM = "firstagenda-item"
    FIRSTAGENDA_MEETING = "firstagenda-meeting"
    MINUTES_TEXT = "minutes-text"
    ITEM_TEXT = "item-text"
    FIRSTAGENDA_PDF = "firstagenda-pdf"  # FirstAgenda's agenda or minutes PDF
    FIRSTAGENDA_PAGE = "firstagenda-page"  # a rendered FirstAgenda portal page (HTML)
    SBSYS_XML = "sbsys-xml"  # SBSYS eDagsorden publication XML (both dialects)
    EDOC_XML = "edoc-xml"  # eDoc agenda publishing XML (plain and Fujitsu's namespace)
    ACADRE_XML = "acadre-xml"  # Acadre (Prepare) agenda XML
    PLUGIN = "plugin"  # read by a source plugin (entry-point group "casesummary.sources")


class Attachment(BaseModel):
    """A document attached to an item (Bilag); the portal's id where it gives one."""

    model_config = ConfigDict(frozen=True)

    title: str
    url: str | None = None
    document_id: str | None = None


_WS = re.compile(r"\s+")


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())  # same as _WS.sub(" ", value).strip(), 4x faster
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def content_fingerprint(content: dict[str, Any]) -> str:
    """sha256 of content with whitespace folded and keys sorted: stable across formatting."""
    canonical = json.dumps(_normalise(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AgendaItem(BaseModel):
    """One agenda item (dagsordenspunkt), parsed from any supported source format."""

    model_config = ConfigDict(frozen=True)

    source_format: SourceFormat
    municipality: str | None = None
    committee: str | None = None
    meeting_date: date | None = None
    meeting_place: str | None = None
    number: str | None = None
    title: str = Field(min_length=1)
    case_type: str | None = None
    case_number: str | None = None
    sections: tuple[Section, ...] = ()
    recommendation: str | None = None
    decision: str | None = None
    attachments: tuple[Attachment, ...] = ()
    is_open: bool = True
    fingerprint: str = ""

    @model_validator(mode="after")
    def _fill_fingerprint(self) -> AgendaItem:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", content_fingerprint(self.content()))
        return self

    def content(self) -> dict[str, Any]:
        """What the item says, without where it came from: the input to the fingerprint."""
        return self.model_dump(mode="json", exclude={"fingerprint", "source_format"})

    def section(self, kind: SectionKind) -> Section | None:
        """The first section of a kind, or None."""
        return next((s for s in self.sections if s.kind == kind), None)

    @property
    def has_text(self) -> bool:
        return any(s.text.strip() for s in self.sections)

    def to_prompt_text(self, max_tokens: int | None = None) -> str:
        """The compact text a model sees; under a budget the least important parts go first."""
        return render_item(self, max_tokens=max_tokens)

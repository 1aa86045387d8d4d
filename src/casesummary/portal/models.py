"""The portal's own data, typed: the committee list (`udvalgsliste`) and a fetched meeting.

`GET /api/agenda/udvalgsliste` groups committees by period label (`"Udvalg 2026-2029"`), each
with every meeting it has published inlined (`Moeder`). Field names are the portal's; unknown
fields are kept, so a listing's signature changes whenever anything the portal lists changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class MeetingEntry(BaseModel):
    """One meeting as the committee list shows it (an entry of `Moeder`)."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str = Field(alias="Id", min_length=1)
    name: str | None = Field(default=None, alias="Navn")  # "Dagsorden", "Referat", …
    starts: datetime | None = Field(default=None, alias="Dato")
    begins_utc: datetime | None = Field(default=None, alias="MeetingBeginUtc")
    released: datetime | None = Field(default=None, alias="ReleasedDate")
    place: str | None = Field(default=None, alias="Sted")
    finished: bool | None = Field(default=None, alias="Afsluttet")
    supplementary: bool | None = Field(default=None, alias="IsSupplementaryAgenda")

    @property
    def day(self) -> date | None:
        """The meeting's day as the portal states it (its own UTC offset, not converted)."""
        when = self.starts or self.begins_utc
        return when.date() if when is not None else None

    @property
    def signature(self) -> str:
        """sha256 of all the listing says about the meeting: it changes when it is re-released."""
        listed = self.model_dump(mode="json", by_alias=True)
        canonical = json.dumps(listed, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Committee(BaseModel):
    """A committee (udvalg) and the meetings it has published."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str = Field(alias="Id")
    name: str = Field(alias="Navn", min_length=1)
    historic: bool = Field(default=False, alias="Historisk")
    meetings: tuple[MeetingEntry, ...] = Field(default=(), alias="Moeder")

    @field_validator("meetings", "historic", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return () if info.field_name == "meetings" else False
        return value


class ListedMeeting(BaseModel):
    """A meeting with the committee and period it is listed under."""

    model_config = ConfigDict(frozen=True)

    period: str
    committee: str
    committee_id: str
    entry: MeetingEntry

    @property
    def id(self) -> str:
        return self.entry.id


class CommitteeList(BaseModel):
    """The portal's committee list: period label -> committees, each with its meetings."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    periods: dict[str, tuple[Committee, ...]] = Field(alias="Udvalg")

    def committees(self) -> list[Committee]:
        return [c for group in self.periods.values() for c in group]

    def meetings(self) -> list[ListedMeeting]:
        """Every listed meeting once (first listing wins), in the portal's order."""
        seen: set[str] = set()
        out: list[ListedMeeting] = []
        for period, group in self.periods.items():
            for committee in group:
                for entry in committee.meetings:
                    if entry.id in seen:
                        continue
                    seen.add(entry.id)
                    out.append(
                        ListedMeeting(
                            period=period,
                            committee=committee.name.strip(),
                            committee_id=committee.id,
                            entry=entry,
                        )
                    )
        return out


class MeetingDocument(BaseModel):
    """A whole meeting (`GET /api/agenda/dagsorden/{id}`): the bytes as served and their JSON."""

    model_config = ConfigDict(frozen=True)

    meeting_id: str
    url: str  # the API URL it came from, without credentials
    content: bytes
    data: dict[str, Any]

    @property
    def items(self) -> list[Any]:
        raw = self.data.get("Dagsordenpunkter")
        return raw if isinstance(raw, list) else []

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

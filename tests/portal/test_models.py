"""The committee list read from Hvidovre's real payload: periods, committees, meetings, dates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from casesummary.portal.models import CommitteeList, MeetingEntry


@pytest.fixture
def listing(hvidovre_listing: bytes) -> CommitteeList:
    return CommitteeList.model_validate_json(hvidovre_listing)


def test_committees_are_grouped_by_period_label(listing: CommitteeList) -> None:
    assert list(listing.periods) == ["Udvalg 2026-2029", "Udvalg 2022-2025"]
    names = [c.name for c in listing.periods["Udvalg 2026-2029"]]
    assert names[0] == "By- og Planudvalget"
    assert names[-1] == "Økonomiudvalget"
    assert len(listing.committees()) == 10


def test_every_meeting_is_listed_once_with_its_committee(
    listing: CommitteeList, hvidovre_meeting_id: str
) -> None:
    meetings = listing.meetings()
    assert len(meetings) == 64
    assert len({m.id for m in meetings}) == 64
    ours = next(m for m in meetings if m.id == hvidovre_meeting_id)
    assert (ours.committee, ours.period) == ("Økonomiudvalget", "Udvalg 2026-2029")
    assert ours.entry.name == "Dagsorden"
    assert ours.entry.finished is False
    assert ours.entry.day == date(2026, 5, 18)


def test_portal_timestamps_with_seven_fraction_digits_parse(listing: CommitteeList) -> None:
    entry = listing.meetings()[0].entry
    assert entry.released is not None
    assert entry.released.utcoffset() == timedelta(hours=2)
    assert entry.released.replace(tzinfo=None) == datetime(2026, 5, 6, 10, 53, 7, 703572)


def test_the_day_is_the_portals_local_day_not_utc() -> None:
    late = MeetingEntry.model_validate({"Id": "x", "Dato": "2026-05-18T00:30:00+02:00"})
    assert late.day == date(2026, 5, 18)
    undated = MeetingEntry.model_validate({"Id": "x", "MeetingBeginUtc": None})
    assert undated.day is None


def test_missing_or_null_fields_are_not_errors() -> None:
    listing = CommitteeList.model_validate(
        {"Udvalg": {"Udvalg 2026-2029": [{"Id": "c", "Navn": "Byrådet", "Moeder": None}]}}
    )
    committee = listing.committees()[0]
    assert committee.meetings == ()
    assert committee.historic is False
    historic = CommitteeList.model_validate(
        {"Udvalg": {"P": [{"Id": "c", "Navn": "X", "Historisk": True, "Moeder": []}]}}
    )
    assert historic.committees()[0].historic is True


def test_a_meeting_without_id_is_refused() -> None:
    with pytest.raises(ValidationError):
        CommitteeList.model_validate({"Udvalg": {"P": [{"Id": "c", "Navn": "X", "Moeder": [{}]}]}})


def test_the_listing_signature_changes_with_anything_listed(hvidovre_listing: bytes) -> None:
    raw = json.loads(hvidovre_listing)
    entry = raw["Udvalg"]["Udvalg 2026-2029"][0]["Moeder"][0]
    before = MeetingEntry.model_validate(entry).signature
    assert MeetingEntry.model_validate(dict(reversed(entry.items()))).signature == before
    for key, value in [
        ("ReleasedDate", "2026-05-07T09:00:00+02:00"),
        ("Navn", "Tillægsdagsorden"),
        ("Afsluttet", False),
        ("SomethingNew", 1),
    ]:
        changed = MeetingEntry.model_validate({**entry, key: value}).signature
        assert changed != before, key

"""Portal addresses as input: `load_items(url)` for a meeting or one item, and bad addresses."""

from __future__ import annotations

import re

import pytest

from casesummary.exceptions import (
    InvalidAgendaItem,
    InvalidPortalAddress,
    ItemNotFound,
    MeetingNotFound,
    PortalResponseError,
    UserError,
)
from casesummary.portal.addresses import PortalAddress, parse_address
from casesummary.sources import load_item, load_items
from casesummary.testing import PortalFault, PortalStubServer

MEETING = "0cad2b4d-c4a2-4583-a053-60704b2da0e5"
ITEM = "6c61b811-efa2-4a72-9f9d-12e9231b1a52"  # punkt 3, Skema A godkendelse ved Grenhusene


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://h.dk/vis?id={MEETING}", PortalAddress("https://h.dk", MEETING, None)),
        (
            f"https://h.dk/vis?id={MEETING}&punktid={ITEM}",
            PortalAddress("https://h.dk", MEETING, ITEM),
        ),
        (  # the portal's own links carry a title slug and the search text
            f"https://h.dk/vis?Dagsorden-Oekonomiudvalget-d.18-05-2026-kl.17.00&id={MEETING}"
            f"&fritekst=st%C3%B8j&punktid={ITEM}",
            PortalAddress("https://h.dk", MEETING, ITEM),
        ),
        (f"https://h.dk/Vis/?ID={MEETING}", PortalAddress("https://h.dk", MEETING, None)),
        (
            f"https://h.dk/api/agenda/dagsorden/{MEETING}?fritekst=undefined",
            PortalAddress("https://h.dk", MEETING, None),
        ),
        (
            f"http://127.0.0.1:8080/vis?id={MEETING}",
            PortalAddress("http://127.0.0.1:8080", MEETING, None),
        ),
    ],
)
def test_parse_address(url: str, expected: PortalAddress) -> None:
    assert parse_address(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://h.dk/", "not a meeting or item address"),
        ("https://h.dk/api/agenda/udvalgsliste", "not a meeting or item address"),
        ("https://h.dk/vis?punktid=x", "names no meeting"),
        ("https://h.dk/vis?id=../../etc", "is not a portal id"),
        (f"https://h.dk/vis?id={MEETING}&punktid=a_b", "punktid 'a_b' is not a portal id"),
        ("ftp://h.dk/vis?id=x", "https:// or http://"),
    ],
)
def test_addresses_that_name_no_meeting(url: str, reason: str) -> None:
    with pytest.raises(InvalidPortalAddress, match=reason) as caught:
        parse_address(url)
    assert isinstance(caught.value, UserError)


@pytest.fixture
def served(portal: PortalStubServer, hvidovre_meeting: bytes) -> PortalStubServer:
    portal.add_meeting(hvidovre_meeting)
    return portal


def test_load_items_of_a_meeting_address_equals_the_file(
    served: PortalStubServer, hvidovre_meeting: bytes
) -> None:
    from_portal = load_items(served.meeting_url(MEETING))
    from_bytes = load_items(hvidovre_meeting)
    assert [i.fingerprint for i in from_portal] == [i.fingerprint for i in from_bytes]
    assert len(from_portal) == 24
    api = load_items(f"{served.url}/api/agenda/dagsorden/{MEETING}")
    assert [i.fingerprint for i in api] == [i.fingerprint for i in from_bytes]


def test_an_item_address_loads_that_item_with_its_meeting(served: PortalStubServer) -> None:
    item = load_item(served.meeting_url(MEETING, ITEM.upper()))
    assert item.number == "3"
    assert item.title.startswith("Skema A godkendelse ved Grenhusene")
    assert item.committee == "Økonomiudvalget"
    assert str(item.meeting_date) == "2026-05-18"
    assert item.municipality == "Hvidovre"


def test_an_item_that_is_not_in_the_meeting(served: PortalStubServer) -> None:
    missing = "11111111-2222-4333-8444-555555555555"
    url = served.meeting_url(MEETING, missing)
    with pytest.raises(ItemNotFound) as caught:
        load_items(url)
    expected = f"{url}: meeting {MEETING} has no agenda item with punktid={missing}"
    assert str(caught.value) == expected


def test_a_meeting_that_does_not_exist(served: PortalStubServer) -> None:
    missing = "11111111-2222-4333-8444-555555555555"
    with pytest.raises(MeetingNotFound, match=re.escape(f"dagsorden/{missing}: no such meeting")):
        load_items(served.meeting_url(missing))


def test_a_portal_answering_html(served: PortalStubServer) -> None:
    served.queue(PortalFault("html"))
    with pytest.raises(PortalResponseError, match="answered text/html where JSON was expected"):
        load_items(served.meeting_url(MEETING))


def test_a_web_page_that_is_no_portal_address() -> None:
    with pytest.raises(InvalidPortalAddress) as caught:
        load_items("https://example.org/about")
    assert str(caught.value).startswith("https://example.org/about: not a meeting or item address")


def test_load_item_of_a_whole_meeting_names_the_address(served: PortalStubServer) -> None:
    url = served.meeting_url(MEETING).replace("http://", "http://reader:s3cret@")
    with pytest.raises(InvalidAgendaItem) as caught:
        load_item(url)
    assert str(caught.value).startswith(f"{served.meeting_url(MEETING)}: expected exactly one")
    assert "s3cret" not in str(caught.value)
    assert load_item(url, number="3").title.startswith("Skema A")

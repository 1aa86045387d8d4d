"""Known portals: a municipality's name, a bare host or a URL all lead to a base URL."""

from __future__ import annotations

import re

import pytest

from casesummary.exceptions import UnknownPortal
from casesummary.portal.known import KNOWN_PORTALS, known_portals, resolve_portal


@pytest.mark.parametrize(
    ("name", "url", "municipality"),
    [
        ("Hvidovre", "https://dagsordener-referater.hvidovre.dk", "Hvidovre"),
        ("hvidovre kommune", "https://dagsordener-referater.hvidovre.dk", "Hvidovre"),
        ("Ærø", "https://dagsordener.aeroekommune.dk", "Ærø"),
        ("aeroe", "https://dagsordener.aeroekommune.dk", "Ærø"),
        ("Aero Kommune", "https://dagsordener.aeroekommune.dk", "Ærø"),
        ("Århus", "https://dagsordener.aarhus.dk", "Aarhus"),
        ("https://dagsordener.greve.dk/vis?id=x", "https://dagsordener.greve.dk", "Greve"),
        ("dagsordener.middelfart.dk", "https://dagsordener.middelfart.dk", "Middelfart"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080", None),
        ("dagsordener.odense.dk", "https://dagsordener.odense.dk", None),
    ],
)
def test_resolve_portal(name: str, url: str, municipality: str | None) -> None:
    assert resolve_portal(name) == (url, municipality)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownPortal) as caught:
        resolve_portal("Gotham")
    message = str(caught.value)
    assert "'Gotham'" in message
    for portal in KNOWN_PORTALS:
        assert portal.municipality in message
    assert caught.value.known == [p.municipality for p in known_portals()]


def test_every_known_portal_is_an_https_host_with_its_source() -> None:
    assert len(KNOWN_PORTALS) >= 5
    assert len({p.municipality for p in KNOWN_PORTALS}) == len(KNOWN_PORTALS)
    for portal in KNOWN_PORTALS:
        assert re.fullmatch(r"https://[a-z0-9.-]+\.dk", portal.url), portal.url
        assert portal.source.strip()

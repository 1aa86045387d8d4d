"""The portals of the municipalities we know, so `casesummary fetch Hvidovre` needs no URL.

Every host is one seen in public code or data that calls its FirstAgenda API (named in
`source`). Most municipalities publish at `dagsordener.<kommune>.dk`, but not all do (Hvidovre,
Albertslund, Kolding): a URL always works, a name only when it is listed here.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from casesummary.exceptions import UnknownPortal
from casesummary.portal.urls import is_url, portal_base


class KnownPortal(BaseModel):
    """A municipality's portal and where we saw it."""

    model_config = ConfigDict(frozen=True)

    municipality: str
    url: str
    source: str


KNOWN_PORTALS: tuple[KnownPortal, ...] = (
    KnownPortal(
        municipality="Aarhus",
        url="https://dagsordener.aarhus.dk",
        source="jakobmwang/dagsordener scrapes its /vis?id=… pages",
    ),
    KnownPortal(
        municipality="Albertslund",
        url="https://dagsordner.albertslund.dk",
        source="a public scrapy spider calls /api/agenda/dagsorden/{id} (host spelt 'dagsordner')",
    ),
    KnownPortal(
        municipality="Greve",
        url="https://dagsordener.greve.dk",
        source="a public script calls /api/agenda/udvalgsliste and /api/agenda/dagsorden/{id}",
    ),
    KnownPortal(
        municipality="Hvidovre",
        url="https://dagsordener-referater.hvidovre.dk",
        source="Kleist/hkr captured its API (docs/har-capture.json, tests/fixtures/json)",
    ),
    KnownPortal(
        municipality="Kolding",
        url="https://udvalg.kolding.dk",
        source="a public portal finder names udvalg.kolding.dk as the same system",
    ),
    KnownPortal(
        municipality="Middelfart",
        url="https://dagsordener.middelfart.dk",
        source="public Apps Script and Vercel code: /Home/AnonymousAuthentication, /api/agenda/…",
    ),
    KnownPortal(
        municipality="Varde",
        url="https://dagsordener.vardekommune.dk",
        source="a public script calls /api/agenda/udvalgsliste",
    ),
    KnownPortal(
        municipality="Ærø",
        url="https://dagsordener.aeroekommune.dk",
        source="a public source list: an anonymous cookie call, then /api/agenda/udvalgsliste",
    ),
)

_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$")


def known_portals() -> list[KnownPortal]:
    """The known portals, by municipality."""
    return sorted(KNOWN_PORTALS, key=lambda p: _fold(p.municipality))


def resolve_portal(name: str) -> tuple[str, str | None]:
    """(base URL, municipality if known) for a URL, a bare host or a known municipality's name.

    An unknown name raises UnknownPortal, which lists the known ones.
    """
    text = name.strip()
    if is_url(text):
        base = portal_base(text)
        return base, municipality_of(base)
    if _HOST.match(text.lower()):
        base = portal_base("https://" + text)
        return base, municipality_of(base)
    wanted = _fold(text)
    for portal in KNOWN_PORTALS:
        if wanted and _fold(portal.municipality) == wanted:
            return portal.url, portal.municipality
    raise UnknownPortal(text, [p.municipality for p in known_portals()])


def municipality_of(base_url: str) -> str | None:
    """The known municipality whose portal lives at `base_url`, if any."""
    host = base_url.split("://", 1)[-1].split("@")[-1].split("/")[0].split(":")[0]
    for portal in KNOWN_PORTALS:
        if portal.url.split("://", 1)[1] == host:
            return portal.municipality
    return None


def _fold(name: str) -> str:
    """A name reduced so that 'Ærø Kommune', 'aeroe' and 'Aero' all compare equal."""
    text = name.casefold().replace("kommune", "")
    for long, short in (("æ", "a"), ("ø", "o"), ("å", "a"), ("ae", "a"), ("oe", "o"), ("aa", "a")):
        text = text.replace(long, short)
    return re.sub(r"[^a-z0-9]", "", text)

"""Meeting and item addresses: `…/vis?id=M[&punktid=I]` or `…/api/agenda/dagsorden/M`.

    origin, data = load_address("https://HOST/vis?id=M&punktid=I")

`load_address` fetches the meeting and, for an item address, narrows `Dagsordenpunkter` to that
one item; the meeting's committee, date and place stay, so the parser reads it as it reads any
meeting. The page's own extra parameters (`fritekst=…`, a bare title slug) are ignored.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from casesummary.exceptions import InvalidPortalAddress, ItemNotFound
from casesummary.portal.client import PortalClient
from casesummary.portal.urls import check_id, portal_base, redact

_API = re.compile(r"/api/agenda/dagsorden/([^/]+)$", re.IGNORECASE)
_PAGE = re.compile(r"/vis$", re.IGNORECASE)
_EXPECTED = (
    "not a meeting or item address: expected https://HOST/vis?id=MEETING[&punktid=ITEM] or "
    "https://HOST/api/agenda/dagsorden/MEETING"
)


class PortalAddress(NamedTuple):
    """Where a meeting (and perhaps one item in it) lives."""

    base_url: str
    meeting_id: str
    item_id: str | None


def parse_address(url: str) -> PortalAddress:
    """The portal, meeting and item a URL names; InvalidPortalAddress otherwise."""
    text = url.strip()
    shown = redact(text)
    base = portal_base(text)
    parts = urlsplit(text)
    path = parts.path.rstrip("/")
    query = {key.lower(): value for key, value in parse_qsl(parts.query, keep_blank_values=True)}
    match = _API.search(path)
    if match:
        meeting = unquote(match.group(1))
    elif _PAGE.search(path):
        meeting = query.get("id", "")
        if not meeting.strip():
            raise InvalidPortalAddress("the address names no meeting (id=…)", url=shown)
    else:
        raise InvalidPortalAddress(_EXPECTED, url=shown)
    item = query.get("punktid", "").strip() or None
    return PortalAddress(
        base_url=base,
        meeting_id=check_id(meeting, what="meeting id", url=shown),
        item_id=check_id(item, what="punktid", url=shown) if item else None,
    )


def load_address(url: str, *, client: PortalClient | None = None) -> tuple[str, dict[str, Any]]:
    """(the address without credentials, the meeting JSON) for a meeting or item address."""
    address = parse_address(url)
    shown = redact(url.strip())
    own = client is None
    portal = PortalClient(address.base_url) if client is None else client
    try:
        document = portal.meeting(address.meeting_id)
    finally:
        if own:
            portal.close()
    data = document.data
    if address.item_id is not None:
        wanted = address.item_id.lower()
        chosen = [
            entry
            for entry in document.items
            if isinstance(entry, dict) and str(entry.get("Id") or "").strip().lower() == wanted
        ]
        if not chosen:
            raise ItemNotFound(
                f"meeting {address.meeting_id} has no agenda item with punktid={address.item_id}",
                url=shown,
                item_id=address.item_id,
            )
        data = {**data, "Dagsordenpunkter": chosen[:1]}
    return shown, data

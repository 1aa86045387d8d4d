"""Portal URLs: the base a portal lives at, its API paths, and safe forms for paths and messages."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from casesummary.exceptions import InvalidPortalAddress

COMMITTEES_PATH = "/api/agenda/udvalgsliste"
MEETING_PATH = "/api/agenda/dagsorden/"

#: Ids we put into paths and file names: portal ids are GUIDs; no dots, slashes or underscores.
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,127}$")
#: Path parts after which a URL no longer names the portal itself.
_TAIL = re.compile(r"/(vis|api/agenda)(/.*)?$", re.IGNORECASE)


def is_url(text: str) -> bool:
    """An http:// or https:// address (what `load_items` hands to the portal client)."""
    head = text.lstrip()[:8].lower()
    return head.startswith(("http://", "https://")) and "\n" not in text.strip()


def redact(url: str) -> str:
    """`url` without user name and password, fit for messages and files."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def portal_base(url: str) -> str:
    """The portal's base URL (scheme, host, port, any path prefix) from any URL on it.

    `https://HOST/vis?id=…`, `https://HOST/api/agenda/…` and `https://HOST/` all give
    `https://HOST`; a portal mounted under a path keeps its prefix.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidPortalAddress(f"not a valid URL ({exc})", url=redact(text)) from None
    if parts.scheme.lower() not in ("http", "https"):
        message = "a portal address starts with https:// or http://"
        raise InvalidPortalAddress(message, url=redact(text))
    if not parts.hostname:
        raise InvalidPortalAddress("the URL names no host", url=redact(text))
    *userinfo, host_port = parts.netloc.rsplit("@", 1)
    login = f"{userinfo[0]}@" if userinfo else ""
    prefix = _TAIL.sub("", parts.path).rstrip("/")
    return f"{parts.scheme.lower()}://{login}{host_port.lower()}{prefix}"


def is_portal_id(value: str) -> bool:
    """Safe in a path and a file name (a GUID is), and not the all-zero GUID placeholder."""
    return bool(_SAFE_ID.match(value)) and value.strip("0-") != ""


def check_id(value: str, *, what: str, url: str) -> str:
    """`value` if it is a usable portal id (see `is_portal_id`); else InvalidPortalAddress."""
    value = value.strip()
    if not is_portal_id(value):
        raise InvalidPortalAddress(f"{what} {value[:80]!r} is not a portal id", url=url)
    return value


def meeting_api_path(meeting_id: str) -> str:
    return MEETING_PATH + quote(meeting_id, safe="")


def item_page(base_url: str, meeting_id: str, item_id: str | None = None) -> str:
    """The public page of a meeting, or of one item in it (the portal's own deep link)."""
    page = f"{redact(base_url)}/vis?id={quote(meeting_id, safe='-')}"
    return page + (f"&punktid={quote(item_id, safe='-')}" if item_id else "")

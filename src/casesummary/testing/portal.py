"""A FirstAgenda portal on 127.0.0.1 for tests: replays real payloads, with the portals' quirks.

    with PortalStubServer(committees=listing_bytes, require_cookie=True) as portal:
        portal.add_meeting(meeting_bytes)            # served at /api/agenda/dagsorden/{its Id}
        portal.queue(PortalReply(503, headers={"Retry-After": "0.2"}))
        client = PortalClient(portal.url)

Routes, answered as the real portals answer them:

    GET /                                      the front page (HTML); sets the session cookie
    GET /Home/AnonymousAuthentication?callback=URL   302 to the callback (same origin), else to /
    GET /api/agenda/udvalgsliste               the committee list
    GET /api/agenda/dagsorden/{id}             the meeting; 404 with an HTML page when unknown

With `require_cookie=True` an `/api/` request without the session cookie gets a 302 to
`/Home/AnonymousAuthentication?callback=<front page>`, as some portals do. Payloads are served
byte for byte as given. Without an explicit committee list, the server lists every meeting
added with `publish` under its committee (`Udvalg.Navn`), the way the portal lists it.

Scripted answers come first, in order, for requests whose path starts with their `path`
(default: any `/api/` request): a `PortalReply` (any status, body and headers) or a
`PortalFault` ("hang": no answer for `seconds`; "reset": the connection is dropped;
"html": a 200 maintenance page where JSON belongs). `latency_s` delays every answer.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal
from urllib.parse import parse_qs, quote, unquote, urlsplit

from casesummary.testing._loopback import LoopbackHTTPServer, LoopbackServer, QuietHandler

COOKIE_NAME = ".AspNet.Cookies"
COMMITTEES_PATH = "/api/agenda/udvalgsliste"
MEETING_PREFIX = "/api/agenda/dagsorden/"
LOGIN_PATH = "/Home/AnonymousAuthentication"
DEFAULT_PERIOD = "Udvalg 2026-2029"

FRONT_PAGE = (
    b"<!DOCTYPE html><html lang='da'><head><title>Dagsordener og referater</title></head>"
    b"<body><div id='app'>Powered by FirstAgenda Publication</div></body></html>"
)
NOT_FOUND_PAGE = (
    b"<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head>"
    b"<body><h2>404 - File or directory not found.</h2></body></html>"
)
MAINTENANCE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service midlertidigt utilg\xc3\xa6ngelig</title></head>"
    b"<body><h1>Vi opdaterer systemet</h1></body></html>"
)


@dataclass(frozen=True)
class PortalReply:
    """An answer with this status, body and headers (JSON content type unless headers say)."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    path: str = "/api/"


@dataclass(frozen=True)
class PortalFault:
    """A misbehaviour for the next request on `path`: "hang", "reset" or "html"."""

    kind: Literal["hang", "reset", "html"]
    seconds: float = 30.0
    path: str = "/api/"


Scripted = PortalReply | PortalFault


@dataclass(frozen=True)
class PortalRequest:
    """One request as the server saw it."""

    timestamp: float  # time.monotonic() when it arrived
    path: str  # with its query string
    had_cookie: bool
    user_agent: str
    outcome: str  # "200", "302 login", "404", "fault hang", …


class PortalStubServer(LoopbackServer):
    """A threaded HTTP server on 127.0.0.1 speaking the FirstAgenda portal API."""

    def __init__(
        self,
        *,
        committees: bytes | Mapping[str, Any] | None = None,
        meetings: Mapping[str, bytes | Mapping[str, Any]] | None = None,
        require_cookie: bool = False,
        latency_s: float = 0.0,
        port: int = 0,
    ) -> None:
        super().__init__(port)
        self.require_cookie = require_cookie
        self.latency_s = latency_s
        self._lock = threading.Lock()
        self._committees: bytes | None = None if committees is None else _as_bytes(committees)
        self._meetings: dict[str, bytes] = {}
        self._listed: dict[str, tuple[str, str, dict[str, Any]]] = {}  # id -> (period, name, entry)
        for meeting_id, payload in (meetings or {}).items():
            self._meetings[meeting_id.lower()] = _as_bytes(payload)
        self._scripted: deque[Scripted] = deque()
        self._log: list[PortalRequest] = []
        self._in_flight = 0
        self._peak = 0
        self._session = uuid.uuid4().hex

    # -- content -----------------------------------------------------------------------------

    def add_meeting(self, payload: bytes | Mapping[str, Any], meeting_id: str | None = None) -> str:
        """Serve `payload` at /api/agenda/dagsorden/{id} (its top-level `Id` unless given)."""
        raw = _as_bytes(payload)
        found = meeting_id or str(json.loads(raw).get("Id") or "")
        if not found:
            raise ValueError("the meeting has no top-level 'Id': pass meeting_id")
        with self._lock:
            self._meetings[found.lower()] = raw
        return found

    def publish(
        self,
        payload: bytes | Mapping[str, Any],
        *,
        released: str | None = None,
        period: str = DEFAULT_PERIOD,
        name: str | None = None,
    ) -> str:
        """Serve the meeting and list it under its committee (again, if already listed).

        `released` is the `ReleasedDate` the listing shows; a changed one is a re-release.
        """
        raw = _as_bytes(payload)
        data = json.loads(raw)
        meeting_id = self.add_meeting(raw)
        moede = data.get("Moede") or {}
        udvalg = data.get("Udvalg") or {}
        entry = {
            "Id": meeting_id,
            "MeetingBeginUtc": moede.get("MeetingBeginUtc") or moede.get("Dato"),
            "MeetingEndUtc": moede.get("MeetingEndUtc"),
            "ReleasedDate": released or moede.get("ReleasedDate"),
            "Dato": moede.get("Dato") or moede.get("MeetingBeginUtc"),
            "Sted": moede.get("Sted"),
            "Afsluttet": bool(moede.get("Afsluttet")),
            "Moededeltagere": None,
            "Navn": name or moede.get("Navn") or "Dagsorden",
            "Description": None,
            "ElasticSearchResults": None,
            "SourceId": None,
            "IsSupplementaryAgenda": bool(moede.get("IsSupplementaryAgenda")),
        }
        committee = str(udvalg.get("Navn") or "Udvalg")
        with self._lock:
            self._listed[meeting_id.lower()] = (period, committee, entry)
        return meeting_id

    def remove_meeting(self, meeting_id: str, *, keep_listed: bool = False) -> None:
        """Stop serving a meeting (its id then answers 404) and, unless `keep_listed`, listing."""
        with self._lock:
            self._meetings.pop(meeting_id.lower(), None)
            if not keep_listed:
                self._listed.pop(meeting_id.lower(), None)

    def served(self, meeting_id: str) -> bytes | None:
        """The bytes served for a meeting now, or None."""
        with self._lock:
            return self._meetings.get(meeting_id.lower())

    def set_committees(self, payload: bytes | Mapping[str, Any] | None) -> None:
        """Serve this committee list (None: the one built from `publish`)."""
        with self._lock:
            self._committees = None if payload is None else _as_bytes(payload)

    def committee_list(self) -> bytes:
        """The committee list as it is served now."""
        with self._lock:
            if self._committees is not None:
                return self._committees
            periods: dict[str, dict[str, list[dict[str, Any]]]] = {}
            for period, committee, entry in self._listed.values():
                periods.setdefault(period, {}).setdefault(committee, []).append(entry)
        listing: dict[str, dict[str, list[dict[str, Any]]]] = {"Udvalg": {}}
        for period, committees in periods.items():
            listing["Udvalg"][period] = [
                {
                    "Id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
                    "Navn": name,
                    "Moeder": sorted(entries, key=_when, reverse=True),
                }
                for name, entries in committees.items()
            ]
        return json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def queue(self, *replies: Scripted) -> None:
        """Answer the next matching requests with these, in order."""
        with self._lock:
            self._scripted.extend(replies)

    # -- inspection --------------------------------------------------------------------------

    @property
    def requests(self) -> list[PortalRequest]:
        with self._lock:
            return list(self._log)

    def paths(self, prefix: str = "/") -> list[str]:
        """Paths requested so far that start with `prefix`, oldest first."""
        return [r.path for r in self.requests if r.path.startswith(prefix)]

    @property
    def meeting_requests(self) -> list[str]:
        return self.paths(MEETING_PREFIX)

    @property
    def peak_in_flight(self) -> int:
        with self._lock:
            return self._peak

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def url(self) -> str:
        """The portal's base URL, http://127.0.0.1:PORT."""
        return self.root_url

    def meeting_url(self, meeting_id: str, item_id: str | None = None) -> str:
        """The public page of a meeting or item: {url}/vis?id=M[&punktid=I]."""
        page = f"{self.url}/vis?id={meeting_id}"
        return page + (f"&punktid={item_id}" if item_id else "")

    # -- used by the handler -----------------------------------------------------------------

    def _scripted_for(self, path: str) -> Scripted | None:
        with self._lock:
            for index, reply in enumerate(self._scripted):
                if path.startswith(reply.path):
                    del self._scripted[index]
                    return reply
        return None

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def _exit(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _record(self, request: PortalRequest) -> None:
        with self._lock:
            self._log.append(request)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


def copy_meeting(
    meeting: bytes | Mapping[str, Any],
    number: int,
    *,
    day: str | None = None,
    committee: str | None = None,
) -> dict[str, Any]:
    """A real meeting payload as another meeting: new meeting and item ids derived from `number`.

    `day` (YYYY-MM-DD) moves the meeting, keeping its time of day; `committee` renames its
    `Udvalg`. Everything else, the items' real text included, stays as it was.
    """
    data: dict[str, Any] = json.loads(_as_bytes(meeting))
    meeting_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"casesummary-meeting-{number}"))
    data["Id"] = meeting_id
    for entry in data.get("Dagsordenpunkter") or []:
        if isinstance(entry, dict):
            entry["Id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{meeting_id}/{entry.get('Id')}"))
            entry["AgendaUid"] = meeting_id
    moede = data.setdefault("Moede", {})
    if day is not None:
        for key in ("Dato", "MeetingBeginUtc"):
            when = str(moede.get(key) or "T17:00:00+02:00")
            moede[key] = day + when[when.index("T") :] if "T" in when else day
    if committee is not None:
        data.setdefault("Udvalg", {})["Navn"] = committee
    return data


def _when(entry: dict[str, Any]) -> str:
    return str(entry.get("Dato") or "")


def _as_bytes(payload: bytes | Mapping[str, Any]) -> bytes:
    if isinstance(payload, bytes):
        return payload
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Handler(QuietHandler):
    server: LoopbackHTTPServer[PortalStubServer]
    _arrived = 0.0
    _counted = False

    @property
    def portal(self) -> PortalStubServer:
        return self.server.owner

    def do_GET(self) -> None:
        portal = self.portal
        portal._enter()
        self._arrived = time.monotonic()
        self._counted = True
        try:
            portal._wait(portal.latency_s)
            self._answer()
        finally:
            self._leave()

    def _leave(self) -> None:
        """No longer in flight: called before the answer goes out, so counts never overlap."""
        if self._counted:
            self._counted = False
            self.portal._exit()

    def _record(self, outcome: str) -> None:
        self.portal._record(
            PortalRequest(
                timestamp=self._arrived,
                path=self.path,
                had_cookie=self._has_cookie(),
                user_agent=self.headers.get("User-Agent", ""),
                outcome=outcome,
            )
        )

    def _answer(self) -> None:
        portal = self.portal
        parts = urlsplit(self.path)
        path = parts.path
        html = "text/html; charset=utf-8"
        json_type = "application/json; charset=utf-8"
        if path == "/":
            self._send("200 front page", 200, FRONT_PAGE, html, cookie=True)
            return
        if path.lower() == LOGIN_PATH.lower():
            callback = parse_qs(parts.query).get("callback", [""])[0]
            target = callback if callback.startswith(portal.url + "/") else "/"
            self._send("302 callback", 302, b"", html, location=target)
            return
        if path.startswith("/api/") and portal.require_cookie and not self._has_cookie():
            login = f"{LOGIN_PATH}?callback={quote(portal.url + '/', safe='')}"
            self._send("302 login", 302, b"", html, location=login)
            return
        scripted = portal._scripted_for(path)
        if isinstance(scripted, PortalFault):
            self._fault(scripted)
            return
        if isinstance(scripted, PortalReply):
            headers = dict(scripted.headers)
            content_type = headers.pop("Content-Type", json_type)
            self._send(str(scripted.status), scripted.status, scripted.body, content_type, headers)
            return
        if path == COMMITTEES_PATH:
            self._send("200", 200, portal.committee_list(), json_type)
            return
        if path.startswith(MEETING_PREFIX):
            body = portal.served(unquote(path[len(MEETING_PREFIX) :]))
            if body is not None:
                self._send("200", 200, body, json_type)
                return
        self._send("404", 404, NOT_FOUND_PAGE, "text/html")

    def _fault(self, fault: PortalFault) -> None:
        self._record(f"fault {fault.kind}")
        if fault.kind == "hang":
            self.portal._wait(fault.seconds)  # the client gives up long before this
            self.close_connection = True
            return
        if fault.kind == "reset":
            self._leave()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self._send(None, 200, MAINTENANCE_PAGE, "text/html; charset=utf-8")

    def _has_cookie(self) -> bool:
        cookies = self.headers.get("Cookie", "")
        return f"{COOKIE_NAME}={self.portal._session}" in cookies

    def _send(
        self,
        outcome: str | None,
        status: int,
        body: bytes,
        content_type: str,
        extra: Mapping[str, str] | None = None,
        *,
        cookie: bool = False,
        location: str | None = None,
    ) -> None:
        """Log the request (unless already logged), then answer it."""
        if outcome is not None:
            self._record(outcome)
        self._leave()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Expires", "-1")
        if cookie:
            session = f"{COOKIE_NAME}={self.portal._session}; path=/; HttpOnly"
            self.send_header("Set-Cookie", session)
        if location is not None:
            self.send_header("Location", location)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


__all__ = [
    "COOKIE_NAME",
    "PortalFault",
    "PortalReply",
    "PortalRequest",
    "PortalStubServer",
    "copy_meeting",
]

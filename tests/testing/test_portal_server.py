"""The loopback FirstAgenda portal, spoken to over raw HTTP: routes, cookie, scripts, listing."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest

from casesummary.portal.models import CommitteeList
from casesummary.testing import PortalFault, PortalReply, PortalStubServer, copy_meeting
from casesummary.testing.portal import COOKIE_NAME


def get(
    server: PortalStubServer, path: str, cookie: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        connection.close()


def session(server: PortalStubServer) -> str:
    _, headers, _ = get(server, "/")
    return headers["set-cookie"].split(";")[0]


def test_the_api_wants_the_session_cookie_first(
    portal: PortalStubServer, hvidovre_meeting: bytes, hvidovre_meeting_id: str
) -> None:
    portal.add_meeting(hvidovre_meeting)
    path = f"/api/agenda/dagsorden/{hvidovre_meeting_id}"
    status, headers, _ = get(portal, path)
    assert status == 302
    login = headers["location"]
    assert login.startswith("/Home/AnonymousAuthentication?callback=http%3A%2F%2F127.0.0.1%3A")
    status, headers, _ = get(portal, login)
    assert (status, headers["location"]) == (302, f"{portal.url}/")
    cookie = session(portal)
    assert cookie.startswith(f"{COOKIE_NAME}=")
    status, headers, body = get(portal, path, cookie)
    assert status == 200
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body == hvidovre_meeting


def test_a_callback_elsewhere_goes_to_the_front_page(portal: PortalStubServer) -> None:
    status, headers, _ = get(portal, "/Home/AnonymousAuthentication?callback=https://evil.example/")
    assert (status, headers["location"]) == (302, "/")


def test_unknown_meetings_and_paths_are_404_pages() -> None:
    with PortalStubServer() as server:
        for path in ("/api/agenda/dagsorden/nope", "/api/agenda/other", "/favicon.ico"):
            status, headers, body = get(server, path)
            assert status == 404
            assert headers["content-type"] == "text/html"
            assert body.startswith(b"<!DOCTYPE html>")


def test_scripted_replies_match_by_path_and_are_used_once_in_order() -> None:
    with PortalStubServer() as server:
        server.queue(
            PortalReply(503, b"{}", {"Retry-After": "1"}, path="/api/agenda/dagsorden/"),
            PortalFault("html", path="/api/agenda/udvalgsliste"),
            PortalReply(418),
        )
        status, headers, _ = get(server, "/api/agenda/udvalgsliste")
        assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
        status, headers, _ = get(server, "/api/agenda/dagsorden/x")
        assert (status, headers["retry-after"]) == (503, "1")
        assert get(server, "/api/agenda/dagsorden/x")[0] == 418
        assert get(server, "/api/agenda/dagsorden/x")[0] == 404
        assert [r.outcome for r in server.requests] == ["fault html", "503", "418", "404"]


def test_published_meetings_are_listed_like_the_portal_lists_them(hvidovre_meeting: bytes) -> None:
    with PortalStubServer() as server:
        older = server.publish(copy_meeting(hvidovre_meeting, 1, day="2026-04-20"))
        newer = server.publish(copy_meeting(hvidovre_meeting, 2, day="2026-05-18"))
        other = server.publish(
            copy_meeting(hvidovre_meeting, 3, committee="Kultur- og Fritidsudvalget"),
            period="Udvalg 2022-2025",
            released="2026-05-12T15:44:51.9603688+02:00",
            name="Referat",
        )
        status, _, body = get(server, "/api/agenda/udvalgsliste")
    assert status == 200
    listing = CommitteeList.model_validate_json(body)
    assert list(listing.periods) == ["Udvalg 2026-2029", "Udvalg 2022-2025"]
    economy = listing.periods["Udvalg 2026-2029"][0]
    assert economy.name == "Økonomiudvalget"
    assert [m.id for m in economy.meetings] == [newer, older]
    culture = listing.periods["Udvalg 2022-2025"][0].meetings[0]
    assert (culture.id, culture.name) == (other, "Referat")
    assert culture.released is not None
    assert culture.released.isoformat() == "2026-05-12T15:44:51.960368+02:00"


def test_copy_meeting_gives_new_ids_and_keeps_the_text(hvidovre_meeting: bytes) -> None:
    original: dict[str, Any] = json.loads(hvidovre_meeting)
    first = copy_meeting(hvidovre_meeting, 1, day="2026-06-01", committee="Byrådet")
    assert copy_meeting(hvidovre_meeting, 1, day="2026-06-01", committee="Byrådet") == first
    assert first["Id"] != original["Id"]
    assert first["Id"] != copy_meeting(hvidovre_meeting, 2)["Id"]
    ids = {p["Id"] for p in first["Dagsordenpunkter"]}
    assert len(ids) == 24
    assert ids.isdisjoint(p["Id"] for p in original["Dagsordenpunkter"])
    assert first["Moede"]["Dato"] == "2026-06-01T17:00:00+02:00"
    assert first["Udvalg"]["Navn"] == "Byrådet"
    assert [p["Felter"] for p in first["Dagsordenpunkter"]] == [
        p["Felter"] for p in original["Dagsordenpunkter"]
    ]


@pytest.mark.parametrize("require_cookie", [False, True])
def test_every_request_is_logged(hvidovre_meeting: bytes, require_cookie: bool) -> None:
    with PortalStubServer(require_cookie=require_cookie) as server:
        server.add_meeting(hvidovre_meeting, meeting_id="abc")
        get(server, "/api/agenda/dagsorden/abc")
        assert server.meeting_requests == ["/api/agenda/dagsorden/abc"]
        expected = "302 login" if require_cookie else "200"
        assert server.requests[0].outcome == expected
        assert server.requests[0].had_cookie is False

"""PortalClient against the loopback portal: cookie handshake, retries, Retry-After, bad answers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

import pytest

from casesummary.exceptions import (
    InvalidPortalAddress,
    MeetingNotFound,
    NotAPortal,
    PortalConnectionError,
    PortalHTTPError,
    PortalResponseError,
    UserError,
)
from casesummary.portal.client import PortalClient
from casesummary.testing import PortalFault, PortalReply, PortalStubServer, copy_meeting

ClientFactory = Callable[..., PortalClient]
NOT_FOUND = "7b4a1c44-0000-4000-8000-000000000001"


def asked(portal: PortalStubServer) -> list[str]:
    """Outcomes of the meeting requests the portal answered (not the cookie redirects)."""
    return [
        r.outcome
        for r in portal.requests
        if r.path.startswith("/api/agenda/dagsorden/") and r.outcome != "302 login"
    ]


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def make_client(portal: PortalStubServer, waits: list[float]) -> Iterator[ClientFactory]:
    """Clients on the loopback portal that record their retry waits instead of sleeping."""
    made: list[PortalClient] = []

    def make(url: str | None = None, **options: Any) -> PortalClient:
        options.setdefault("sleep", waits.append)
        options.setdefault("initial_wait", 0.0)
        client = PortalClient(url or portal.url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def served(portal: PortalStubServer, hvidovre_listing: bytes, hvidovre_meeting: bytes) -> str:
    portal.set_committees(hvidovre_listing)
    return portal.add_meeting(hvidovre_meeting)


# -- the two endpoints ---------------------------------------------------------------------------


def test_committee_list_and_meeting_as_served(
    make_client: ClientFactory, served: str, hvidovre_meeting: bytes
) -> None:
    client = make_client()
    listing = client.committees()
    assert served in {m.id for m in listing.meetings()}
    meeting = client.meeting(served)
    assert meeting.content == hvidovre_meeting
    assert meeting.meeting_id == served
    assert len(meeting.items) == 24
    assert meeting.url == f"{client.url}/api/agenda/dagsorden/{served}"


def test_the_cookie_redirect_is_followed_once_and_the_cookie_kept(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    client = make_client()
    client.committees()
    client.meeting(served)
    client.meeting(served)
    outcomes = [(r.path.split("?")[0], r.outcome) for r in portal.requests]
    assert outcomes == [
        ("/api/agenda/udvalgsliste", "302 login"),
        ("/Home/AnonymousAuthentication", "302 callback"),
        ("/", "200 front page"),
        ("/api/agenda/udvalgsliste", "200"),
        (f"/api/agenda/dagsorden/{served}", "200"),
        (f"/api/agenda/dagsorden/{served}", "200"),
    ]
    assert [r.had_cookie for r in portal.requests][3:] == [True, True, True]


def test_a_portal_that_keeps_sending_to_the_login_is_an_error(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    login = {"Location": f"/Home/AnonymousAuthentication?callback={portal.url}/"}
    portal.queue(PortalReply(302, headers=login), PortalReply(302, headers=login))
    with pytest.raises(PortalResponseError, match="keeps redirecting to /Home/Anonymous"):
        make_client().meeting(served)


def test_user_agent_names_casesummary_and_its_version(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    make_client().meeting(served)
    agents = {r.user_agent for r in portal.requests}
    assert len(agents) == 1
    assert agents.pop().startswith(f"casesummary/{version('casesummary')} ")


# -- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_honouring_retry_after(
    make_client: ClientFactory,
    portal: PortalStubServer,
    served: str,
    waits: list[float],
    status: int,
) -> None:
    portal.queue(PortalReply(status, b"{}", headers={"Retry-After": "0.25"}))
    meeting = make_client(max_wait=5.0).meeting(served)
    assert len(meeting.items) == 24
    assert len(asked(portal)) == 2
    assert waits == [pytest.approx(0.25)]


def test_retry_after_as_an_http_date_and_capped_by_max_wait(
    make_client: ClientFactory, portal: PortalStubServer, served: str, waits: list[float]
) -> None:
    portal.queue(PortalReply(503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}))
    make_client(max_wait=2.0).meeting(served)
    assert waits == [2.0]


def test_backoff_grows_when_the_portal_says_nothing(
    make_client: ClientFactory, portal: PortalStubServer, served: str, waits: list[float]
) -> None:
    portal.queue(*[PortalReply(503)] * 3)
    make_client(initial_wait=0.1, max_wait=10.0).meeting(served)
    assert len(waits) == 3
    assert 0.1 <= waits[0] <= 0.2
    assert 0.2 <= waits[1] <= 0.3
    assert 0.4 <= waits[2] <= 0.5


def test_retries_run_out_with_the_last_error_and_attempts(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    portal.queue(*[PortalReply(503)] * 5)
    with pytest.raises(PortalHTTPError) as caught:
        make_client(max_retries=2).meeting(served)
    error = caught.value
    assert (error.status_code, error.attempts) == (503, 3)
    assert len(asked(portal)) == 3
    assert str(error).startswith(f"{portal.url}/api/agenda/dagsorden/{served}: HTTP 503")
    assert str(error).endswith("(after 3 attempts)")


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_caller_errors_are_not_retried(
    make_client: ClientFactory, portal: PortalStubServer, served: str, status: int
) -> None:
    portal.queue(PortalReply(status))
    with pytest.raises(PortalHTTPError) as caught:
        make_client().meeting(served)
    assert caught.value.status_code == status
    assert len(asked(portal)) == 1


def test_a_slow_answer_times_out_and_is_asked_again(
    make_client: ClientFactory, portal: PortalStubServer, served: str, waits: list[float]
) -> None:
    portal.queue(PortalFault("hang", seconds=5.0))
    meeting = make_client(read_timeout=0.3).meeting(served)
    assert len(meeting.items) == 24
    assert asked(portal) == ["fault hang", "200"]
    assert len(waits) == 1


def test_a_portal_that_never_answers_in_time(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    portal.queue(*[PortalFault("hang", seconds=5.0)] * 2)
    with pytest.raises(PortalConnectionError, match="timed out waiting for data") as caught:
        make_client(read_timeout=0.2, max_retries=1).meeting(served)
    assert caught.value.attempts == 2


def test_a_reset_connection_is_asked_again(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    portal.queue(PortalFault("reset"))
    assert len(make_client().meeting(served).items) == 24


def test_a_closed_port_is_a_connection_error(make_client: ClientFactory) -> None:
    with PortalStubServer() as gone:
        url = gone.url
    with pytest.raises(PortalConnectionError, match="no answer") as caught:
        make_client(url, max_retries=1).committees()
    assert caught.value.url == f"{url}/api/agenda/udvalgsliste"


# -- at most N in flight -------------------------------------------------------------------------


def test_at_most_max_in_flight_requests_per_host(
    make_client: ClientFactory, portal: PortalStubServer, hvidovre_meeting: bytes
) -> None:
    portal.latency_s = 0.05
    ids = [portal.add_meeting(copy_meeting(hvidovre_meeting, n)) for n in range(8)]
    client = make_client()
    client.meeting(ids[0])  # the cookie handshake, alone
    threads = [threading.Thread(target=client.meeting, args=(i,)) for i in ids * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert portal.peak_in_flight == 2
    assert len(asked(portal)) == 17


# -- bad answers and bad input -------------------------------------------------------------------


def test_html_where_json_is_expected_names_the_url(
    make_client: ClientFactory, portal: PortalStubServer, served: str
) -> None:
    portal.queue(PortalFault("html"))
    with pytest.raises(PortalResponseError) as caught:
        make_client().meeting(served)
    assert str(caught.value) == (
        f"{portal.url}/api/agenda/dagsorden/{served}: answered text/html where JSON was expected"
    )
    assert len(asked(portal)) == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"Dagsordenpunkter": [', "broken JSON"),
        (b"", "empty body"),
        (b"[1, 2]", "a JSON array, not a meeting"),
        (b'{"Id": "x", "Navn": "y"}', "no 'Dagsordenpunkter'"),
        (b'{"Id": "x", "Dagsordenpunkter": {}}', "not a list"),
        (b"\xef\xbb\xbf<!DOCTYPE html><p>Fejl</p>", "where JSON was expected"),
    ],
)
def test_answers_that_are_no_meeting(
    make_client: ClientFactory, portal: PortalStubServer, served: str, body: bytes, reason: str
) -> None:
    portal.queue(PortalReply(200, body))
    with pytest.raises(PortalResponseError, match=reason):
        make_client().meeting(served)


@pytest.mark.parametrize(
    "reply",
    [
        PortalReply(404, b"<html>404</html>", headers={"Content-Type": "text/html"}),
        PortalReply(200, b"null"),
        PortalReply(200, b'{"Id": "00000000-0000-0000-0000-000000000000", "Dagsordenpunkter": []}'),
    ],
)
def test_a_meeting_id_that_does_not_exist(
    make_client: ClientFactory, portal: PortalStubServer, reply: PortalReply
) -> None:
    portal.queue(reply)
    with pytest.raises(MeetingNotFound) as caught:
        make_client().meeting(NOT_FOUND)
    assert isinstance(caught.value, UserError)
    assert caught.value.meeting_id == NOT_FOUND
    assert str(caught.value).startswith(f"{portal.url}/api/agenda/dagsorden/{NOT_FOUND}: ")


def test_a_meeting_with_a_bom_and_no_items_is_still_a_meeting(
    make_client: ClientFactory, portal: PortalStubServer
) -> None:
    portal.queue(PortalReply(200, b'\xef\xbb\xbf{"Id": "abc", "Dagsordenpunkter": []}'))
    meeting = make_client().meeting("abc")
    assert meeting.items == []
    assert meeting.content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (PortalReply(404, b"<html/>", headers={"Content-Type": "text/html"}), "HTTP 404"),
        (PortalFault("html"), "answered text/html"),
        (PortalReply(200, b'{"results": []}'), "without 'Udvalg'"),
        (PortalReply(200, b"OK"), "broken JSON"),
    ],
)
def test_a_url_that_is_no_portal(
    make_client: ClientFactory,
    portal: PortalStubServer,
    reply: PortalReply | PortalFault,
    reason: str,
) -> None:
    portal.queue(reply)
    with pytest.raises(NotAPortal, match=reason) as caught:
        make_client().committees()
    assert caught.value.url == f"{portal.url}/api/agenda/udvalgsliste"
    assert "not a FirstAgenda" in str(caught.value)


def test_a_committee_list_of_the_wrong_shape(
    make_client: ClientFactory, portal: PortalStubServer
) -> None:
    portal.queue(PortalReply(200, b'{"Udvalg": {"P": [{"Navn": "X"}]}}'))
    with pytest.raises(PortalResponseError, match="unexpected shape"):
        make_client().committees()


def test_an_unsafe_meeting_id_is_refused_before_any_request(
    make_client: ClientFactory, portal: PortalStubServer
) -> None:
    with pytest.raises(InvalidPortalAddress, match="is not a portal id"):
        make_client().meeting("../../udvalgsliste")
    assert portal.requests == []


def test_credentials_in_the_url_are_used_but_never_shown(
    make_client: ClientFactory, portal: PortalStubServer
) -> None:
    client = make_client(f"http://reader:s3cret@127.0.0.1:{portal.port}")
    assert client.url == portal.url
    with pytest.raises(MeetingNotFound) as caught:
        client.meeting(NOT_FOUND)
    assert "s3cret" not in str(caught.value)
    assert "s3cret" not in repr(client)
    assert len(asked(portal)) == 1


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"max_in_flight": 0}, "max_in_flight"),
        ({"max_retries": -1}, "max_retries"),
        ({"read_timeout": 0}, "timeouts"),
    ],
)
def test_bad_settings_are_refused(options: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        PortalClient("https://host.dk", **options)


def test_retry_after_is_read_from_the_portals_headers() -> None:
    """The shared reading (casesummary._http, tested in tests/test_http.py) on httpx2 headers."""
    import httpx2

    from casesummary._http import parse_retry_after

    assert parse_retry_after(httpx2.Headers({"Retry-After": "2"})) == 2.0
    assert parse_retry_after(httpx2.Headers({"retry-after": "0.25"})) == 0.25
    assert parse_retry_after(httpx2.Headers({})) is None

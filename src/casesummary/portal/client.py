"""PortalClient: a FirstAgenda portal's public JSON API, asked politely over httpx2.

    with PortalClient("https://dagsordener-referater.hvidovre.dk") as portal:
        listing = portal.committees()                 # GET /api/agenda/udvalgsliste
        meeting = portal.meeting(listing.meetings()[0].id)   # GET /api/agenda/dagsorden/{id}

- Session cookie: some portals answer every API request with a redirect to
  `/Home/AnonymousAuthentication?callback=…` until a session cookie is set. The client follows
  that chain once (it sets the cookie, which the client keeps) and asks again; a portal that
  still sends it there raises `PortalResponseError`.
- Retries (tenacity): 408, 429 and 5xx answers, timeouts and broken connections, with
  exponential backoff and jitter; a `Retry-After` header sets the floor of each wait and
  `max_wait` its ceiling. Other errors are raised at once.
- At most `max_in_flight` requests (default 2) in flight per host, however many threads ask.
- A `User-Agent` naming casesummary and its version; separate connect and read timeouts.

Errors name the URL without credentials: `NotAPortal` when the committee list is missing or is
no JSON, `MeetingNotFound` for an unknown meeting, `PortalResponseError` for HTML or broken JSON
where JSON was expected, `PortalHTTPError` / `PortalConnectionError` when the retries run out.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from casesummary._http import parse_retry_after
from casesummary.exceptions import (
    InvalidPortalAddress,
    MeetingNotFound,
    NotAPortal,
    PortalConnectionError,
    PortalError,
    PortalHTTPError,
    PortalResponseError,
    first_error,
    one_line,
)
from casesummary.portal.models import CommitteeList, MeetingDocument
from casesummary.portal.urls import (
    COMMITTEES_PATH,
    check_id,
    meeting_api_path,
    portal_base,
    redact,
)

if TYPE_CHECKING:
    import httpx2
    from tenacity import RetryCallState

DEFAULT_MAX_IN_FLIGHT = 2
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_INITIAL_WAIT = 0.5
DEFAULT_MAX_WAIT = 30.0

_LOGIN_PATH = "/home/anonymousauthentication"
_NULL_ID = frozenset({"", "00000000-0000-0000-0000-000000000000"})


def default_user_agent() -> str:
    """`casesummary/<version> (FirstAgenda portal client) httpx2/<version>`."""
    from importlib.metadata import PackageNotFoundError, version

    import httpx2

    try:
        ours = version("casesummary")
    except PackageNotFoundError:  # running from a source tree that is not installed
        ours = "0+unknown"
    return f"casesummary/{ours} (FirstAgenda portal client) httpx2/{httpx2.__version__}"


class PortalClient:
    """A FirstAgenda portal at `base_url` (any URL on the portal will do; see `portal_base`).

    Thread-safe: `fetch` downloads meetings from several threads through one client.
    `sleep` replaces the wait between retries (tests record the waits instead).
    """

    def __init__(
        self,
        base_url: str,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        initial_wait: float = DEFAULT_INITIAL_WAIT,
        max_wait: float = DEFAULT_MAX_WAIT,
        user_agent: str | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if min(connect_timeout, read_timeout) <= 0 or min(initial_wait, max_wait) < 0:
            raise ValueError("timeouts must be positive and waits 0 or more")
        import httpx2

        given = portal_base(base_url)
        #: The base URL, without credentials: what requests go to and messages, reports show.
        self.base_url = self.url = redact(given)
        parts = urlsplit(given)
        login = (unquote(parts.username or ""), unquote(parts.password or ""))
        self.max_in_flight = max_in_flight
        self.max_retries = max_retries
        self.initial_wait = initial_wait
        self.max_wait = max_wait
        self._sleep = sleep
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._slots_lock = threading.Lock()
        self._http = httpx2.Client(
            headers={
                "User-Agent": user_agent or default_user_agent(),
                "Accept": "application/json",
            },
            timeout=httpx2.Timeout(
                read_timeout, connect=connect_timeout, write=connect_timeout, pool=connect_timeout
            ),
            limits=httpx2.Limits(max_connections=None, max_keepalive_connections=16),
            follow_redirects=True,
            # Credentials in the URL become basic auth, so that no URL we build carries them.
            auth=login if any(login) else None,
        )

    # -- the two endpoints -----------------------------------------------------------------------

    def committees(self) -> CommitteeList:
        """The committee list: every committee by period, with its published meetings."""
        url = self.base_url + COMMITTEES_PATH
        try:
            _, data = self._get_json(url)
        except PortalHTTPError as exc:
            if exc.status_code in (404, 405, 410):
                raise NotAPortal(
                    f"no committee list here (HTTP {exc.status_code}): not a FirstAgenda portal",
                    url=redact(url),
                ) from None
            raise
        except PortalResponseError as exc:
            raise NotAPortal(f"{exc.reason}: not a FirstAgenda portal", url=redact(url)) from None
        if not isinstance(data, dict) or "Udvalg" not in data:
            raise NotAPortal(
                "answered JSON without 'Udvalg': not a FirstAgenda committee list",
                url=redact(url),
            )
        from pydantic import ValidationError

        try:
            return CommitteeList.model_validate(data)
        except ValidationError as exc:
            raise PortalResponseError(
                f"the committee list has an unexpected shape ({first_error(exc)})", url=redact(url)
            ) from None

    def meeting(self, meeting_id: str) -> MeetingDocument:
        """A whole meeting as served: its bytes and their JSON (`Dagsordenpunkter`, …)."""
        meeting_id = check_id(meeting_id, what="meeting id", url=self.url)
        return self._meeting_document(meeting_id, self._download_meeting(meeting_id))

    def meetings(
        self, meeting_ids: Iterable[str]
    ) -> Iterator[tuple[str, MeetingDocument | Exception]]:
        """(id, meeting or the error it raised) for many meetings, as each one arrives.

        `max_in_flight` threads do nothing but HTTP, so a request slot never waits while JSON
        is read; the JSON is read here, in the caller's thread. Closing the iterator early
        cancels the downloads not yet started.
        """
        pool = ThreadPoolExecutor(max_workers=self.max_in_flight)
        try:
            futures: dict[Future[httpx2.Response], str] = {}
            for meeting_id in meeting_ids:
                futures[pool.submit(self._checked_download, meeting_id)] = meeting_id
            for future in as_completed(futures):
                meeting_id = futures[future]
                outcome: MeetingDocument | Exception
                try:
                    outcome = self._meeting_document(meeting_id, future.result())
                except Exception as exc:  # each meeting's own failure, typed; the rest go on
                    outcome = exc
                yield meeting_id, outcome
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _checked_download(self, meeting_id: str) -> httpx2.Response:
        return self._download_meeting(check_id(meeting_id, what="meeting id", url=self.url))

    def _download_meeting(self, meeting_id: str) -> httpx2.Response:
        url = self.base_url + meeting_api_path(meeting_id)
        try:
            return self._get_with_retries(url)
        except PortalHTTPError as exc:
            if exc.status_code in (404, 410):
                raise MeetingNotFound(
                    f"no such meeting (HTTP {exc.status_code})",
                    url=redact(url),
                    meeting_id=meeting_id,
                ) from None
            raise

    def _meeting_document(self, meeting_id: str, response: httpx2.Response) -> MeetingDocument:
        """The meeting in a 2xx answer; typed errors for HTML, broken JSON or no meeting."""
        shown = redact(str(response.request.url))
        data = _decode_json(response, shown)
        if data is None:
            raise MeetingNotFound(
                "the portal answered null: no such meeting", url=shown, meeting_id=meeting_id
            )
        if not isinstance(data, dict):
            kind = "array" if isinstance(data, list) else type(data).__name__
            raise PortalResponseError(f"answered a JSON {kind}, not a meeting", url=shown)
        items = data.get("Dagsordenpunkter")
        if items is not None and not isinstance(items, list):
            raise PortalResponseError("'Dagsordenpunkter' is not a list", url=shown)
        if not items and str(data.get("Id") or "").strip() in _NULL_ID:
            raise MeetingNotFound(
                "the portal answered a meeting without id or items: no such meeting",
                url=shown,
                meeting_id=meeting_id,
            )
        if items is None:
            raise PortalResponseError(
                "answered JSON that is not a meeting (no 'Dagsordenpunkter')", url=shown
            )
        return MeetingDocument(
            meeting_id=meeting_id, url=shown, content=response.content, data=data
        )

    # -- requests --------------------------------------------------------------------------------

    def _get_json(self, url: str) -> tuple[bytes, Any]:
        """(body as served, its JSON) of a GET, retried as the module docstring says."""
        response = self._get_with_retries(url)
        return response.content, _decode_json(response, redact(url))

    def _get_with_retries(self, url: str) -> httpx2.Response:
        from tenacity import Retrying, retry_if_exception, stop_after_attempt

        kwargs: dict[str, Any] = {
            "stop": stop_after_attempt(self.max_retries + 1),
            "wait": self._wait_seconds,
            "retry": retry_if_exception(_is_transient),
            "reraise": True,
        }
        if self._sleep is not None:
            kwargs["sleep"] = self._sleep
        attempts = 0
        try:
            for attempt in Retrying(**kwargs):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    response = self._get_once(url)
        except PortalError as exc:
            exc.attempts = attempts
            raise
        return response

    def _wait_seconds(self, state: RetryCallState) -> float:
        from tenacity import wait_exponential_jitter

        wait = wait_exponential_jitter(
            multiplier=self.initial_wait, max=self.max_wait, jitter=self.initial_wait
        )(state)
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, PortalHTTPError) and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        return float(min(wait, self.max_wait))

    def _get_once(self, url: str) -> httpx2.Response:
        with self._slot(url):
            response = self._send(url)
            if _sent_to_login(response):
                # The redirect chain has set the session cookie: ask once more with it.
                response = self._send(url)
                if _sent_to_login(response):
                    raise PortalResponseError(
                        "keeps redirecting to /Home/AnonymousAuthentication: the portal set no "
                        "session cookie",
                        url=redact(url),
                    )
        status = response.status_code
        if status >= 400:
            raise PortalHTTPError(
                response.reason_phrase or "error",
                url=redact(url),
                status_code=status,
                retry_after=parse_retry_after(response.headers),
            )
        if status >= 300:
            raise PortalResponseError(f"answered a redirect (HTTP {status})", url=redact(url))
        return response

    def _send(self, url: str) -> httpx2.Response:
        import httpx2

        shown = redact(url)
        try:
            return self._http.get(url)
        except httpx2.TimeoutException as exc:
            what = "connecting" if isinstance(exc, httpx2.ConnectTimeout) else "waiting for data"
            raise PortalConnectionError(f"timed out {what}", url=shown) from None
        except httpx2.TooManyRedirects:
            raise PortalResponseError("redirects without end", url=shown) from None
        except (httpx2.UnsupportedProtocol, httpx2.InvalidURL) as exc:
            raise InvalidPortalAddress(f"not a usable URL ({exc})", url=shown) from None
        except httpx2.DecodingError as exc:
            message = f"sent a body that cannot be decoded ({exc})"
            raise PortalResponseError(message, url=shown) from None
        except httpx2.TransportError as exc:
            reason = one_line(exc)
            raise PortalConnectionError(f"no answer ({reason})", url=shown) from None

    @contextmanager
    def _slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's `max_in_flight` request slots."""
        host = (urlsplit(url).hostname or "").lower()
        with self._slots_lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = threading.BoundedSemaphore(self.max_in_flight)
        with slot:
            yield

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PortalClient({self.url!r}, max_in_flight={self.max_in_flight})"


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, PortalHTTPError):
        return error.retryable
    return isinstance(error, PortalConnectionError)


def _sent_to_login(response: httpx2.Response) -> bool:
    """Whether this answer, or a redirect on the way to it, went to the anonymous login."""
    if _LOGIN_PATH in response.url.path.lower():
        return True
    return any(_LOGIN_PATH in hop.headers.get("location", "").lower() for hop in response.history)


def _decode_json(response: httpx2.Response, url: str) -> Any:
    """The JSON of a 2xx answer; PortalResponseError for an HTML page or broken JSON."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    body = response.content.removeprefix(b"\xef\xbb\xbf")
    if "html" in content_type or body.lstrip()[:1] == b"<":
        shown = content_type or "HTML"
        raise PortalResponseError(f"answered {shown} where JSON was expected", url=url)
    if not body.strip():
        raise PortalResponseError("answered an empty body where JSON was expected", url=url)
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise PortalResponseError(f"answered broken JSON ({reason})", url=url) from None


__all__ = ["PortalClient", "default_user_agent"]

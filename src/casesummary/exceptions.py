"""The exceptions casesummary raises; every one derives from `CaseSummaryError`.

    CaseSummaryError
    ├── UserError                      the caller gave something unusable
    │   ├── InvalidAgendaItem          an input file/string/dict is not a readable agenda item
    │   ├── InvalidBackendSpec         a backend spec string names no known backend
    │   ├── InvalidPrompt              a prompt template is missing or its front matter is broken
    │   ├── InvalidTaxonomy            a taxonomy file is missing, empty or malformed
    │   ├── InvalidGoldenCase          a golden case is incomplete or invalid
    │   ├── InvalidRunDirectory        an eval run directory is unreadable or inconsistent
    │   ├── InvalidPriceTable          a price table file is missing or malformed
    │   ├── UnknownPortal              a portal name is neither a URL nor a known municipality
    │   ├── InvalidPortalAddress       a URL is not a portal, meeting or item address
    │   ├── NotAPortal                 the server answers, but not as a FirstAgenda portal
    │   ├── MeetingNotFound            the portal has no meeting with this id
    │   ├── ItemNotFound               the meeting has no item with this punktid
    │   ├── InvalidBatchState          a batch state directory is corrupt or made for other work
    │   └── BatchNotSupported          the backend has no batch API (only openai: and azure: do)
    ├── NothingToSummarize             the item is closed or has no text
    ├── PortalError                    an agenda portal failed at run time (url, attempts)
    │   ├── PortalHTTPError            it answered with an HTTP error status (status_code)
    │   ├── PortalConnectionError      no answer: connection refused or reset, timeout
    │   └── PortalResponseError        an answer that is not the JSON asked for (HTML, broken JSON)
    └── BackendError                   a model backend failed at run time
        ├── BackendHTTPError           the server answered with an HTTP error (status_code)
        │   └── ContextWindowExceeded  the input did not fit the model's window (its numbers)
        ├── BackendConnectionError     no answer: connection refused/reset, timeout
        ├── OutputValidationError      the answer broke the schema (errors, output)
        ├── RefusalError               the model refused
        ├── ContentFilterError         the provider's content filter stopped the answer
        ├── TruncatedOutputError       the answer was cut off (finish_reason "length")
        ├── ReplayMissError            a replay backend has no recording for the request
        └── RetriesExhausted           every allowed attempt failed (attempts, last_error)

Caller mistakes (`UserError`) are never retried; run-time failures carry typed fields so a
bulk run can record them per item. Portal errors name the URL, never with credentials in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


class CaseSummaryError(Exception):
    """Root of every error casesummary raises on purpose."""


class UserError(CaseSummaryError):
    """The caller gave something unusable: fix the input, do not retry."""


class InvalidAgendaItem(UserError):
    """An input is not a readable agenda item; names the source and the field or line."""

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.source = str(source) if source is not None else None
        self.field = field
        self.line = line
        where = []
        if self.source:
            where.append(self.source)
        if field:
            where.append(f"field {field!r}")
        if line is not None:
            where.append(f"line {line}")
        self.reason = message
        super().__init__(f"{': '.join(where)}: {message}" if where else message)


class InvalidBackendSpec(UserError):
    """A backend spec string names no known backend; `suggestions` holds close matches."""

    def __init__(self, spec: str, message: str, suggestions: Sequence[str] = ()) -> None:
        self.spec = spec
        self.suggestions = list(suggestions)
        names = " or ".join(repr(s) for s in self.suggestions)
        hint = f" Did you mean {names}?" if suggestions else ""
        super().__init__(f"backend {spec!r}: {message}.{hint}")


class _PathError(UserError):
    """A user error about one file or directory, named in the message."""

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.reason = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InvalidPrompt(_PathError):
    """A prompt template is missing, or its front matter or body is broken."""


class InvalidTaxonomy(_PathError):
    """A taxonomy file is missing, empty or malformed."""


class InvalidGoldenCase(_PathError):
    """A golden case is incomplete or invalid."""


class InvalidRunDirectory(_PathError):
    """An eval run directory is unreadable or its files are inconsistent."""


class InvalidPriceTable(_PathError):
    """A price table file (model -> USD per million tokens) is missing or malformed."""


class InvalidBatchState(_PathError):
    """A batch state directory's state.json is unreadable, or was made for other work."""


class BatchNotSupported(UserError):
    """The backend has no batch API: only OpenAI (`openai:`) and Azure OpenAI (`azure:`) do."""


class NothingToSummarize(CaseSummaryError):
    """The item is closed or has no text, so there is nothing honest to summarise."""

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason  # "closed" or "empty"
        super().__init__(message)


class BackendError(CaseSummaryError):
    """A model backend failed at run time."""


class BackendHTTPError(BackendError):
    """The server answered with an HTTP error status."""

    def __init__(self, message: str, *, status_code: int, retry_after: float | None = None) -> None:
        self.status_code = status_code
        self.retry_after = retry_after
        super().__init__(f"HTTP {status_code}: {message}")

    @property
    def retryable(self) -> bool:
        return self.status_code in (408, 409, 429) or self.status_code >= 500


class ContextWindowExceeded(BackendHTTPError):
    """The request did not fit the model's context window; the server's numbers are kept.

    `context_window`, `prompt_tokens` and `completion_tokens` are the server's (None where it
    did not say); `sent_tokens` is our own o200k count of what was sent.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        context_window: int,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        sent_tokens: int | None = None,
    ) -> None:
        self.context_window = context_window
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.sent_tokens = sent_tokens
        super().__init__(message, status_code=status_code)


class BackendConnectionError(BackendError):
    """No usable answer reached us: connection refused or reset, timeout, broken body."""


class OutputValidationError(BackendError):
    """The model's answer broke the output schema; `errors` lists what, `output` is the answer."""

    def __init__(self, message: str, *, errors: Sequence[str], output: str) -> None:
        self.errors = list(errors)
        self.output = output
        super().__init__(message)


class RefusalError(BackendError):
    """The model refused to answer."""

    def __init__(self, message: str, *, refusal: str = "") -> None:
        self.refusal = refusal
        super().__init__(message)


class ContentFilterError(BackendError):
    """The provider's content filter stopped the answer."""


class TruncatedOutputError(BackendError):
    """The answer was cut off before it was complete (finish_reason "length")."""


class ReplayMissError(BackendError):
    """A replay backend holds no recording for this request; nothing was called."""

    def __init__(self, message: str, *, key: str) -> None:
        self.key = key
        super().__init__(message)


class RetriesExhausted(BackendError):
    """Every allowed attempt failed; carries the attempt count and the last error.

    `bound` says what limited the attempts (the retry setting, the timeout), in the message.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_error: BaseException,
        last_output: Any = None,
        bound: str = "",
    ) -> None:
        self.attempts = attempts
        self.last_error = last_error
        self.last_output = last_output
        self.bound = bound
        counted = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        limits = f" ({bound})" if bound else ""
        super().__init__(f"{message} after {counted}{limits}: {last_error}")


class _PortalUserError(UserError):
    """A caller mistake about a portal address; `url` is the address without credentials."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        self.reason = message
        super().__init__(f"{url}: {message}" if url else message)


class UnknownPortal(UserError):
    """A portal name that is neither a URL nor a known municipality; `known` lists the names."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(
            f"unknown portal {name!r}: give the portal's base URL (https://HOST) or one of the "
            f"known municipalities: {', '.join(self.known)}"
        )


class InvalidPortalAddress(_PortalUserError):
    """A URL that is not a portal, meeting or item address (or not a usable URL at all)."""


class NotAPortal(_PortalUserError):
    """The server at a URL answers, but not as a FirstAgenda portal's JSON API."""


class MeetingNotFound(_PortalUserError):
    """The portal has no meeting with this id."""

    def __init__(self, message: str, *, url: str, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        super().__init__(message, url=url)


class ItemNotFound(_PortalUserError):
    """The meeting has no agenda item with this punktid."""

    def __init__(self, message: str, *, url: str, item_id: str) -> None:
        self.item_id = item_id
        super().__init__(message, url=url)


class PortalError(CaseSummaryError):
    """An agenda portal failed at run time; `url` (without credentials) and `attempts` made."""

    def __init__(self, message: str, *, url: str, attempts: int = 1) -> None:
        self.url = url
        self.reason = message
        self.attempts = attempts
        super().__init__(f"{url}: {message}")

    def __str__(self) -> str:
        tries = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{self.url}: {self.reason}{tries}"


class PortalHTTPError(PortalError):
    """The portal answered with an HTTP error status; 429 and 5xx are retried first."""

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status_code: int,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        self.status_code = status_code
        self.retry_after = retry_after
        super().__init__(f"HTTP {status_code}: {message}", url=url, attempts=attempts)

    @property
    def retryable(self) -> bool:
        return self.status_code in (408, 429) or self.status_code >= 500


class PortalConnectionError(PortalError):
    """No answer reached us: connection refused or reset, connect or read timeout."""


class PortalResponseError(PortalError):
    """The portal answered 200, but not with the JSON asked for (an HTML page, broken JSON)."""


def first_error(exc: ValidationError) -> str:
    """`loc.path: message` of a pydantic error's first problem (just the message at the root)."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its white space folded); its type's name if empty."""
    return " ".join(str(exc).split()) or type(exc).__name__

"""casesummary: turn Danish municipal agenda items into a validated 'Prompt resultater' block.

    >>> import casesummary
    >>> item = casesummary.load_item("punkt.json")
    >>> result = casesummary.summarize(item, backend="baseline")

Everything public is listed in `__all__`; names are imported on first use so that
`import casesummary` stays fast for the web app.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str

    from casesummary.backends.base import Backend, BackendRequest, BackendResponse
    from casesummary.backends.registry import get_backend
    from casesummary.backends.spec import BackendSpec
    from casesummary.exceptions import (
        BackendConnectionError,
        BackendError,
        BackendHTTPError,
        BatchNotSupported,
        CaseSummaryError,
        ContentFilterError,
        ContextWindowExceeded,
        InvalidAgendaItem,
        InvalidBackendSpec,
        InvalidBatchState,
        InvalidGoldenCase,
        InvalidPortalAddress,
        InvalidPriceTable,
        InvalidPrompt,
        InvalidRunDirectory,
        InvalidTaxonomy,
        ItemNotFound,
        MeetingNotFound,
        NotAPortal,
        NothingToSummarize,
        OutputValidationError,
        PortalConnectionError,
        PortalError,
        PortalHTTPError,
        PortalResponseError,
        RefusalError,
        ReplayMissError,
        RetriesExhausted,
        TruncatedOutputError,
        UnknownPortal,
        UserError,
    )
    from casesummary.feed import FeedEntry, ItemOutcome, SyncReport, UnreadableMeeting, sync
    from casesummary.item import AgendaItem, Attachment, SourceFormat
    from casesummary.messages import Message
    from casesummary.portal.client import PortalClient
    from casesummary.portal.known import KnownPortal, known_portals
    from casesummary.portal.mirror import FetchedMeeting, FetchReport, fetch
    from casesummary.portal.models import (
        Committee,
        CommitteeList,
        ListedMeeting,
        MeetingDocument,
        MeetingEntry,
    )
    from casesummary.prompt import PromptTemplate, load_prompt
    from casesummary.result import (
        CaseSummary,
        Citation,
        Evidence,
        InputFit,
        PromptResult,
        Provenance,
        Review,
        SummaryFailure,
        Usage,
    )
    from casesummary.sections import Section, SectionKind
    from casesummary.sources import load_item, load_items
    from casesummary.summarizer import (
        Summarizer,
        asummarize,
        asummarize_many,
        summarize,
        summarize_many,
    )
    from casesummary.taxonomy import Taxonomy, load_taxonomy

_LAZY: dict[str, str] = {
    "AgendaItem": "casesummary.item",
    "Attachment": "casesummary.item",
    "Backend": "casesummary.backends.base",
    "BackendConnectionError": "casesummary.exceptions",
    "BackendError": "casesummary.exceptions",
    "BackendHTTPError": "casesummary.exceptions",
    "BackendRequest": "casesummary.backends.base",
    "BackendResponse": "casesummary.backends.base",
    "BackendSpec": "casesummary.backends.spec",
    "BatchNotSupported": "casesummary.exceptions",
    "CaseSummary": "casesummary.result",
    "CaseSummaryError": "casesummary.exceptions",
    "Citation": "casesummary.result",
    "Committee": "casesummary.portal.models",
    "CommitteeList": "casesummary.portal.models",
    "ContentFilterError": "casesummary.exceptions",
    "ContextWindowExceeded": "casesummary.exceptions",
    "Evidence": "casesummary.result",
    "FeedEntry": "casesummary.feed",
    "FetchReport": "casesummary.portal.mirror",
    "FetchedMeeting": "casesummary.portal.mirror",
    "InputFit": "casesummary.result",
    "InvalidAgendaItem": "casesummary.exceptions",
    "InvalidBackendSpec": "casesummary.exceptions",
    "InvalidBatchState": "casesummary.exceptions",
    "InvalidGoldenCase": "casesummary.exceptions",
    "InvalidPortalAddress": "casesummary.exceptions",
    "InvalidPriceTable": "casesummary.exceptions",
    "InvalidPrompt": "casesummary.exceptions",
    "InvalidRunDirectory": "casesummary.exceptions",
    "InvalidTaxonomy": "casesummary.exceptions",
    "ItemNotFound": "casesummary.exceptions",
    "ItemOutcome": "casesummary.feed",
    "KnownPortal": "casesummary.portal.known",
    "ListedMeeting": "casesummary.portal.models",
    "MeetingDocument": "casesummary.portal.models",
    "MeetingEntry": "casesummary.portal.models",
    "MeetingNotFound": "casesummary.exceptions",
    "Message": "casesummary.messages",
    "NotAPortal": "casesummary.exceptions",
    "NothingToSummarize": "casesummary.exceptions",
    "OutputValidationError": "casesummary.exceptions",
    "PortalClient": "casesummary.portal.client",
    "PortalConnectionError": "casesummary.exceptions",
    "PortalError": "casesummary.exceptions",
    "PortalHTTPError": "casesummary.exceptions",
    "PortalResponseError": "casesummary.exceptions",
    "PromptResult": "casesummary.result",
    "PromptTemplate": "casesummary.prompt",
    "Provenance": "casesummary.result",
    "RefusalError": "casesummary.exceptions",
    "ReplayMissError": "casesummary.exceptions",
    "RetriesExhausted": "casesummary.exceptions",
    "Review": "casesummary.result",
    "Section": "casesummary.sections",
    "SectionKind": "casesummary.sections",
    "SourceFormat": "casesummary.item",
    "Summarizer": "casesummary.summarizer",
    "SummaryFailure": "casesummary.result",
    "SyncReport": "casesummary.feed",
    "Taxonomy": "casesummary.taxonomy",
    "TruncatedOutputError": "casesummary.exceptions",
    "UnknownPortal": "casesummary.exceptions",
    "UnreadableMeeting": "casesummary.feed",
    "Usage": "casesummary.result",
    "UserError": "casesummary.exceptions",
    "asummarize": "casesummary.summarizer",
    "asummarize_many": "casesummary.summarizer",
    "fetch": "casesummary.portal.mirror",
    "get_backend": "casesummary.backends.registry",
    "known_portals": "casesummary.portal.known",
    "load_item": "casesummary.sources",
    "load_items": "casesummary.sources",
    "load_prompt": "casesummary.prompt",
    "load_taxonomy": "casesummary.taxonomy",
    "summarize": "casesummary.summarizer",
    "summarize_many": "casesummary.summarizer",
    "sync": "casesummary.feed",
}

# A literal list: type checkers read it to know which names are re-exported.
__all__ = [
    "AgendaItem",
    "Attachment",
    "Backend",
    "BackendConnectionError",
    "BackendError",
    "BackendHTTPError",
    "BackendRequest",
    "BackendResponse",
    "BackendSpec",
    "BatchNotSupported",
    "CaseSummary",
    "CaseSummaryError",
    "Citation",
    "Committee",
    "CommitteeList",
    "ContentFilterError",
    "ContextWindowExceeded",
    "Evidence",
    "FeedEntry",
    "FetchReport",
    "FetchedMeeting",
    "InputFit",
    "InvalidAgendaItem",
    "InvalidBackendSpec",
    "InvalidBatchState",
    "InvalidGoldenCase",
    "InvalidPortalAddress",
    "InvalidPriceTable",
    "InvalidPrompt",
    "InvalidRunDirectory",
    "InvalidTaxonomy",
    "ItemNotFound",
    "ItemOutcome",
    "KnownPortal",
    "ListedMeeting",
    "MeetingDocument",
    "MeetingEntry",
    "MeetingNotFound",
    "Message",
    "NotAPortal",
    "NothingToSummarize",
    "OutputValidationError",
    "PortalClient",
    "PortalConnectionError",
    "PortalError",
    "PortalHTTPError",
    "PortalResponseError",
    "PromptResult",
    "PromptTemplate",
    "Provenance",
    "RefusalError",
    "ReplayMissError",
    "RetriesExhausted",
    "Review",
    "Section",
    "SectionKind",
    "SourceFormat",
    "Summarizer",
    "SummaryFailure",
    "SyncReport",
    "Taxonomy",
    "TruncatedOutputError",
    "UnknownPortal",
    "UnreadableMeeting",
    "Usage",
    "UserError",
    "__version__",
    "asummarize",
    "asummarize_many",
    "fetch",
    "get_backend",
    "known_portals",
    "load_item",
    "load_items",
    "load_prompt",
    "load_taxonomy",
    "summarize",
    "summarize_many",
    "sync",
]


if not TYPE_CHECKING:  # type checkers read the imports above, so a misspelt name is an error

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from importlib.metadata import version

            return version("casesummary")
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'casesummary' has no attribute {name!r}")
        value = getattr(import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return __all__

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
    from casesummary.backends.base import Backend, BackendRequest, BackendResponse, Message
    from casesummary.backends.registry import get_backend
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
        InvalidPriceTable,
        InvalidPrompt,
        InvalidRunDirectory,
        InvalidTaxonomy,
        NothingToSummarize,
        OutputValidationError,
        RefusalError,
        ReplayMissError,
        RetriesExhausted,
        TruncatedOutputError,
        UserError,
    )
    from casesummary.item import AgendaItem, Attachment, Section, SectionKind, SourceFormat
    from casesummary.prompt import PromptTemplate, load_prompt
    from casesummary.result import (
        CaseSummary,
        InputFit,
        PromptResult,
        Provenance,
        Review,
        SummaryFailure,
        Usage,
    )
    from casesummary.sources import load_item, load_items
    from casesummary.summarizer import asummarize, asummarize_many, summarize, summarize_many
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
    "BatchNotSupported": "casesummary.exceptions",
    "CaseSummary": "casesummary.result",
    "CaseSummaryError": "casesummary.exceptions",
    "ContentFilterError": "casesummary.exceptions",
    "ContextWindowExceeded": "casesummary.exceptions",
    "InputFit": "casesummary.result",
    "InvalidAgendaItem": "casesummary.exceptions",
    "InvalidBackendSpec": "casesummary.exceptions",
    "InvalidBatchState": "casesummary.exceptions",
    "InvalidGoldenCase": "casesummary.exceptions",
    "InvalidPriceTable": "casesummary.exceptions",
    "InvalidPrompt": "casesummary.exceptions",
    "InvalidRunDirectory": "casesummary.exceptions",
    "InvalidTaxonomy": "casesummary.exceptions",
    "Message": "casesummary.backends.base",
    "NothingToSummarize": "casesummary.exceptions",
    "OutputValidationError": "casesummary.exceptions",
    "PromptResult": "casesummary.result",
    "PromptTemplate": "casesummary.prompt",
    "Provenance": "casesummary.result",
    "RefusalError": "casesummary.exceptions",
    "ReplayMissError": "casesummary.exceptions",
    "RetriesExhausted": "casesummary.exceptions",
    "Review": "casesummary.result",
    "Section": "casesummary.item",
    "SectionKind": "casesummary.item",
    "SourceFormat": "casesummary.item",
    "SummaryFailure": "casesummary.result",
    "Taxonomy": "casesummary.taxonomy",
    "TruncatedOutputError": "casesummary.exceptions",
    "Usage": "casesummary.result",
    "UserError": "casesummary.exceptions",
    "asummarize": "casesummary.summarizer",
    "asummarize_many": "casesummary.summarizer",
    "get_backend": "casesummary.backends.registry",
    "load_item": "casesummary.sources",
    "load_items": "casesummary.sources",
    "load_prompt": "casesummary.prompt",
    "load_taxonomy": "casesummary.taxonomy",
    "summarize": "casesummary.summarizer",
    "summarize_many": "casesummary.summarizer",
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
    "BatchNotSupported",
    "CaseSummary",
    "CaseSummaryError",
    "ContentFilterError",
    "ContextWindowExceeded",
    "InputFit",
    "InvalidAgendaItem",
    "InvalidBackendSpec",
    "InvalidBatchState",
    "InvalidGoldenCase",
    "InvalidPriceTable",
    "InvalidPrompt",
    "InvalidRunDirectory",
    "InvalidTaxonomy",
    "Message",
    "NothingToSummarize",
    "OutputValidationError",
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
    "SummaryFailure",
    "Taxonomy",
    "TruncatedOutputError",
    "Usage",
    "UserError",
    "__version__",
    "asummarize",
    "asummarize_many",
    "get_backend",
    "load_item",
    "load_items",
    "load_prompt",
    "load_taxonomy",
    "summarize",
    "summarize_many",
]


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

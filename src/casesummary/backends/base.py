"""The one interface every model backend implements, and the request/response it exchanges.

A backend answers a `BackendRequest` with a `BackendResponse` (raw JSON text, validated later by
the summarizer), sync and async, and closes what it holds with `close()`/`aclose()` (also as a
context manager). `BaseBackend` gives the closing part for free; `SyncBackend` also the async
part, for backends that only implement `complete`.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol, Self, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from casesummary.item import AgendaItem
from casesummary.messages import Message
from casesummary.result import EVIDENCE_FIELD, StructuredMode, Usage
from casesummary.taxonomy import Taxonomy

__all__ = [
    "Backend",
    "BackendRequest",
    "BackendResponse",
    "BaseBackend",
    "Closing",
    "Message",
    "SyncBackend",
    "as_backend",
]


class BackendRequest(BaseModel):
    """Everything a backend may use to answer: rendered messages, schema, and the item itself.

    Model backends use `messages` and `json_schema`; offline backends (baseline, oracle) may
    read `item` and `taxonomy` directly instead.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    messages: tuple[Message, ...]
    json_schema: dict[str, Any]
    schema_name: str = "prompt_result"
    parameters: dict[str, Any] = Field(default_factory=dict)
    item: AgendaItem
    taxonomy: Taxonomy
    prompt_id: str
    prompt_version: str
    prompt_fingerprint: str
    repeat: int = 0
    #: The item-text budget the messages were rendered with, when not the prompt's own.
    max_input_tokens: int | None = None

    @property
    def wants_evidence(self) -> bool:
        """Whether the answer must carry the evidence (a quote per claim): its schema says so."""
        required = self.json_schema.get("required")
        return isinstance(required, list) and EVIDENCE_FIELD in required


class BackendResponse(BaseModel):
    """A backend's raw answer: the JSON text it produced, before casesummary validates it."""

    model_config = ConfigDict(frozen=True)

    content: str
    model: str
    structured_mode: StructuredMode = "none"
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 1
    finish_reason: str | None = "stop"
    extractive: bool = False


@runtime_checkable
class Backend(Protocol):
    """A model backend: answer a request with JSON text, sync and async; close what it holds.

    `name` and `model` identify the answers (they are part of every cache and recording key), so
    a backend whose answers depend on data (the oracle's golden answers) puts a digest of that
    data in `model`.
    """

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    def complete(self, request: BackendRequest) -> BackendResponse: ...

    async def acomplete(self, request: BackendRequest) -> BackendResponse: ...

    def close(self) -> None: ...

    async def aclose(self) -> None: ...


class Closing:
    """`close()`/`aclose()` (doing nothing unless overridden) and both context managers."""

    def close(self) -> None:
        """Release what is held (nothing, here)."""

    async def aclose(self) -> None:
        """Release what is held, connections of async clients included."""
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class BaseBackend(Closing):
    """A base for backends: `acomplete` runs `complete` in a thread unless overridden; closing
    does nothing unless overridden; both context managers close.

    Connections of an async client belong to the event loop that opened them, so a caller that
    made a loop closes the backend (`aclose`) before the loop ends.
    """

    name: str = "backend"
    model: str = ""

    def complete(self, request: BackendRequest) -> BackendResponse:
        raise NotImplementedError(f"{type(self).__name__} does not implement complete()")

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        return await asyncio.to_thread(self.complete, request)


class SyncBackend(BaseBackend):
    """A backend that implements only `complete` (kept for backends written for 0.1)."""

    name: str = "sync"


class _Unclosable(BaseBackend):
    """A backend written before `close`/`aclose` joined the protocol: answers pass through."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = str(inner.name)
        self.model = str(inner.model)

    def complete(self, request: BackendRequest) -> BackendResponse:
        response: BackendResponse = self.inner.complete(request)
        return response

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        response: BackendResponse = await self.inner.acomplete(request)
        return response

    def __repr__(self) -> str:
        return repr(self.inner)


def as_backend(value: object) -> Backend | None:
    """`value` as a Backend: itself when it is one, wrapped when it only answers (an object made
    for casesummary 0.1, without close/aclose), None when it cannot answer at all."""
    # A class check first: a runtime protocol check reads every attribute, properties included.
    if isinstance(value, BaseBackend | Backend):
        return value
    answers = all(callable(getattr(value, m, None)) for m in ("complete", "acomplete"))
    named = all(isinstance(getattr(value, a, None), str) for a in ("name", "model"))
    return _Unclosable(value) if answers and named else None

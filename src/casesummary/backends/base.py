"""The one interface every model backend implements, and the request/response it exchanges."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from casesummary.item import AgendaItem
from casesummary.result import StructuredMode, Usage
from casesummary.taxonomy import Taxonomy


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(frozen=True)

    role: str  # "system" | "user" | "assistant"
    content: str


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
    """A model backend: answer a request with JSON text. Sync and async."""

    name: str
    model: str

    def complete(self, request: BackendRequest) -> BackendResponse: ...

    async def acomplete(self, request: BackendRequest) -> BackendResponse: ...


async def aclose_backend(backend: object) -> None:
    """Await the backend's optional `aclose()`: connections belong to the loop that opened them.

    Backends need not have one (the offline ones hold nothing); wrappers pass it on.
    """
    aclose = getattr(backend, "aclose", None)
    if callable(aclose):
        await aclose()


class SyncBackend:
    """Base for backends that only implement `complete`: runs it in a thread for async callers."""

    name: str = "sync"
    model: str = ""

    def complete(self, request: BackendRequest) -> BackendResponse:
        raise NotImplementedError

    async def acomplete(self, request: BackendRequest) -> BackendResponse:
        return await asyncio.to_thread(self.complete, request)

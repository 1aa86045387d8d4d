"""Fixtures for backend tests: a loopback OpenAI-protocol server and fast-retrying backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from casesummary.backends.base import BackendRequest, Message
from casesummary.backends.openai import OpenAIBackend
from casesummary.item import AgendaItem, SourceFormat
from casesummary.result import PromptResult
from casesummary.taxonomy import Taxonomy, Topic
from casesummary.testing.server import OpenAIStubServer

#: A fake key: every test that checks redaction looks for this exact string.
SECRET = "sk-test-9f8e7d6c5b4a3f2e1d0c"

MakeBackend = Callable[..., OpenAIBackend]


@pytest.fixture
def secret() -> str:
    """The fake API key make_backend uses, for tests that check it never leaks."""
    return SECRET


@pytest.fixture
def stub() -> Iterator[OpenAIStubServer]:
    """A server that speaks like OpenAI (takes json_schema)."""
    with OpenAIStubServer(dialect="openai") as server:
        yield server


@pytest.fixture
def llamacpp_stub() -> Iterator[OpenAIStubServer]:
    """A server that speaks like llama-cpp-python (500 to json_schema, takes json_object+schema)."""
    with OpenAIStubServer(dialect="llamacpp") as server:
        yield server


@pytest.fixture
def make_backend() -> Iterator[MakeBackend]:
    """Build OpenAI-compatible backends aimed at a stub, with millisecond backoff; closed after."""
    made: list[OpenAIBackend] = []

    def make(server: OpenAIStubServer, **kwargs: Any) -> OpenAIBackend:
        options: dict[str, Any] = {
            "kind": "openai-compatible",
            "base_url": server.base_url,
            "api_key": SECRET,
            "timeout": 5.0,
            "initial_wait": 0.01,
            "max_wait": 0.5,
        }
        options.update(kwargs)
        backend = OpenAIBackend(options.pop("model", "stub-model"), **options)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def backend_request() -> BackendRequest:
    """A request as summarize would build it: system + user message and the answer schema."""
    item = AgendaItem(source_format=SourceFormat.MINUTES_TEXT, title="Plan for cykelstier")
    return BackendRequest(
        messages=(
            Message(role="system", content="Du opsummerer dagsordenspunkter på dansk."),
            Message(role="user", content="Punkt 4: Plan for cykelstier. Udgift 12 mio. kr."),
        ),
        json_schema=PromptResult.model_json_schema(),
        item=item,
        taxonomy=Taxonomy(topics=(Topic(name="Økonomi"), Topic(name="Trafik"))),
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="f" * 64,
    )

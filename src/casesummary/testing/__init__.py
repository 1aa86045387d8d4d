"""Test helpers shipped as public API: fakes, a loopback OpenAI-protocol server, a network guard."""

from __future__ import annotations

from casesummary.testing.fakes import FunctionBackend, QueueBackend, QueueExhausted, good_answer
from casesummary.testing.network import NetworkBlockedError, block_network

__all__ = [
    "FunctionBackend",
    "NetworkBlockedError",
    "QueueBackend",
    "QueueExhausted",
    "block_network",
    "good_answer",
]

# The loopback OpenAI-protocol server (stdlib only, so importing it stays cheap).
from casesummary.testing.batches import BatchScript
from casesummary.testing.server import (
    DEFAULT_ANSWER,
    DIALECTS,
    OpenAIStubServer,
    RecordedRequest,
    StubAnswer,
    StubError,
    StubFault,
)

__all__ += [
    "DEFAULT_ANSWER",
    "DIALECTS",
    "BatchScript",
    "OpenAIStubServer",
    "RecordedRequest",
    "StubAnswer",
    "StubError",
    "StubFault",
]

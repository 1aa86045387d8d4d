"""Test helpers shipped as public API: fakes, loopback OpenAI and portal servers, network guard."""

from __future__ import annotations

from casesummary.testing.fakes import (
    FunctionBackend,
    QueueBackend,
    QueueExhausted,
    answer_for,
    good_answer,
)
from casesummary.testing.network import NetworkBlockedError, block_network

__all__ = [
    "FunctionBackend",
    "NetworkBlockedError",
    "QueueBackend",
    "QueueExhausted",
    "answer_for",
    "block_network",
    "good_answer",
]

# The loopback OpenAI-protocol, Batch API and portal servers (stdlib only, so importing them
# stays cheap).
from casesummary.testing.batches import BatchScript
from casesummary.testing.portal import (
    PortalFault,
    PortalReply,
    PortalRequest,
    PortalStubServer,
    copy_meeting,
)
from casesummary.testing.server import (
    DEFAULT_ANSWER,
    DIALECTS,
    EVIDENCE_ANSWER,
    FABRICATED_QUOTE,
    OpenAIStubServer,
    RecordedRequest,
    StubAnswer,
    StubError,
    StubFault,
    asks_for_evidence,
    evidence_answer,
    sample_quotes,
)

__all__ += [
    "DEFAULT_ANSWER",
    "DIALECTS",
    "EVIDENCE_ANSWER",
    "FABRICATED_QUOTE",
    "BatchScript",
    "OpenAIStubServer",
    "RecordedRequest",
    "StubAnswer",
    "StubError",
    "StubFault",
    "asks_for_evidence",
    "evidence_answer",
    "sample_quotes",
]
__all__ += ["PortalFault", "PortalReply", "PortalRequest", "PortalStubServer", "copy_meeting"]

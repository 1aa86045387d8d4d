"""Test helpers shipped as public API: fakes, a loopback OpenAI-protocol server, a network guard."""

from __future__ import annotations

from casesummary.testing.network import NetworkBlockedError, block_network

__all__ = ["NetworkBlockedError", "block_network"]

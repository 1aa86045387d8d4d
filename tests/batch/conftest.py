"""Fixtures for the Batch API tests: a loopback server speaking Files and Batches, and inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casesummary.testing.server import OpenAIStubServer

ROOT = Path(__file__).resolve().parents[2]
#: A real whole meeting: 24 items, 18 open with text, 6 closed or empty.
MEETING = ROOT / "tests" / "data" / "fixtures" / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
ODENSE = ROOT / "tests" / "data" / "fixtures" / "odense-beu-2025-pejlemaerker.item.json"
KEY = "sk-batch-test-5b4a3f2e1d0c"


@pytest.fixture
def batch_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIStubServer]:
    """A server with the Batches API; OPENAI_* point the `openai:` backend at it."""
    with OpenAIStubServer(batches=True) as server:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A directory with the meeting and the Odense item: 25 items, 19 to summarise."""
    folder = tmp_path / "agendas"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / MEETING.name).write_bytes(MEETING.read_bytes())
    (folder / ODENSE.name).write_bytes(ODENSE.read_bytes())
    return folder

"""Project-wide fixtures: the JSON snapshot fixture, shared data paths and the network guard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.filters import props

from casesummary.testing.network import block_network
from casesummary.testing.portal import PortalStubServer

ROOT = Path(__file__).resolve().parent.parent
#: Copies of the real source documents from shared/ (seeds) and the portal fixtures.
DATA = ROOT / "tests" / "data"
FIXTURES = DATA / "fixtures"
SEEDS = DATA / "seeds"
GOLDEN = ROOT / "golden"
#: Real portal payloads: Hvidovre's committee list (via Kleist/hkr) and one of its meetings.
PORTAL_DATA = DATA / "portal"
HVIDOVRE_LISTING = PORTAL_DATA / "hvidovre-udvalgsliste-2026-05-12.json"
HVIDOVRE_MEETING = FIXTURES / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
HVIDOVRE_MEETING_ID = "0cad2b4d-c4a2-4583-a053-60704b2da0e5"

#: Fields that change from run to run and must never make a snapshot differ.
VOLATILE = ("latency_s",)


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    """Any test that reaches past 127.0.0.1 fails loudly."""
    with block_network():
        yield


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """No plain progress line unless a run lasts an hour, so stderr is the same however slow
    the machine is; the progress tests set their own interval."""
    monkeypatch.setenv("CASESUMMARY_PROGRESS_SECONDS", "3600")


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """A readable JSON snapshot (one .json file per test), volatile fields excluded."""
    return snapshot.with_defaults(extension_class=JSONSnapshotExtension, exclude=props(*VOLATILE))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"shared seeds not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    return GOLDEN


@pytest.fixture(scope="session")
def hvidovre_listing() -> bytes:
    """Hvidovre's committee list as captured (trimmed; see tests/data/README.md)."""
    return HVIDOVRE_LISTING.read_bytes()


@pytest.fixture(scope="session")
def hvidovre_meeting() -> bytes:
    """Hvidovre's Økonomiudvalget meeting of 18 May 2026, as its portal serves it."""
    return HVIDOVRE_MEETING.read_bytes()


@pytest.fixture(scope="session")
def hvidovre_meeting_id() -> str:
    return HVIDOVRE_MEETING_ID


@pytest.fixture
def portal() -> Iterator[PortalStubServer]:
    """A loopback portal that, like some real ones, wants its session cookie first."""
    with PortalStubServer(require_cookie=True) as server:
        yield server

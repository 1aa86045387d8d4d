"""`casesummary parse URL` and `casesummary summarize URL`: a meeting or one item on a portal."""

from __future__ import annotations

import json

import pytest

from casesummary.cli import main
from casesummary.sources import load_item
from casesummary.testing import PortalFault, PortalStubServer

ITEM = "6c61b811-efa2-4a72-9f9d-12e9231b1a52"  # punkt 3
MISSING = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def served(portal: PortalStubServer, hvidovre_meeting: bytes) -> PortalStubServer:
    portal.add_meeting(hvidovre_meeting)
    return portal


@pytest.fixture(autouse=True)
def _no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASESUMMARY_BACKEND", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_an_item_address(
    served: PortalStubServer, hvidovre_meeting_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "parse", served.meeting_url(hvidovre_meeting_id, ITEM))
    assert code == 0
    assert out.startswith("Format: firstagenda-meeting (detected), 1 item\n")
    assert "\nPunkt 3: Skema A godkendelse ved Grenhusene\n" in out
    assert "  Udvalg: Økonomiudvalget" in out


def test_parse_a_meeting_address_as_json(
    served: PortalStubServer, hvidovre_meeting_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{served.url}/api/agenda/dagsorden/{hvidovre_meeting_id}"
    code, out, _ = run(capsys, "parse", url, "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 24
    assert [i["number"] for i in items][:3] == ["1", "2", "3"]


def test_summarize_an_item_address(
    served: PortalStubServer, hvidovre_meeting_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = served.meeting_url(hvidovre_meeting_id, ITEM)
    code, out, _ = run(capsys, "summarize", url, "--backend", "baseline", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["provenance"]["item_fingerprint"] == load_item(url).fingerprint
    assert len(result["pros"]) == 3


def test_summarize_a_meeting_address_skips_closed_items(
    served: PortalStubServer, hvidovre_meeting_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "summarize", served.meeting_url(hvidovre_meeting_id), "--backend", "baseline"
    )
    assert code == 0
    assert "Punkt 32: Godkendelse af udbudsbetingelser" in out
    assert "(sprunget over: lukket punkt)" in out
    assert out.count("Prompt resultater") == 18


def test_a_meeting_that_does_not_exist(
    served: PortalStubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "parse", served.meeting_url(MISSING))
    assert code == 2
    assert out == ""
    assert err == (
        f"casesummary: error: {served.url}/api/agenda/dagsorden/{MISSING}: "
        "no such meeting (HTTP 404)\n"
    )


def test_a_portal_answering_html_is_a_run_time_failure(
    served: PortalStubServer, hvidovre_meeting_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    served.queue(PortalFault("html"))
    code, _, err = run(capsys, "summarize", served.meeting_url(hvidovre_meeting_id))
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("casesummary: error: PortalResponseError: http://127.0.0.1:")
    assert err.endswith("answered text/html where JSON was expected\n")


def test_an_address_that_is_no_portal(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "parse", "https://example.org/om-os")
    assert code == 2
    assert err.startswith("casesummary: error: https://example.org/om-os: not a meeting")

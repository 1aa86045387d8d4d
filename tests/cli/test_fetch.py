"""`casesummary fetch` and `casesummary portals`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casesummary.portal.known import known_portals
from casesummary.testing import PortalReply, PortalStubServer, copy_meeting


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASESUMMARY_", "OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "casesummary", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def two(portal: PortalStubServer, hvidovre_meeting: bytes) -> list[str]:
    return [
        portal.publish(copy_meeting(hvidovre_meeting, 1, day="2026-04-20")),
        portal.publish(copy_meeting(hvidovre_meeting, 2, day="2026-05-18")),
    ]


def test_fetch_writes_the_meetings_and_a_closing_line(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    done = run_cli("fetch", portal.url, "--out", "mirror", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"fetch: 2 meetings from {portal.url}: 2 new, 0 changed, 48 items written; "
        "0 skipped (unchanged), 0 failed\n"
    )
    # Two requests are in flight at once: the meetings may finish in either order.
    progress = done.stderr.splitlines()
    assert [line.split(":", 1)[0] for line in progress] == ["fetch 1/2", "fetch 2/2"]
    assert sorted(line.split(": ", 1)[1] for line in progress) == [
        f"2026-04-20 Økonomiudvalget (Dagsorden) {two[0]}: new, 24 items",
        f"2026-05-18 Økonomiudvalget (Dagsorden) {two[1]}: new, 24 items",
    ]
    names = sorted(p.name for p in (tmp_path / "mirror").glob("*.json"))
    assert names == [
        f"2026-04-20_oekonomiudvalget_{two[0]}.json",
        f"2026-05-18_oekonomiudvalget_{two[1]}.json",
    ]

    again = run_cli("fetch", portal.url, "--out", "mirror", "--since", "2026-05-01", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.endswith("0 items written; 1 skipped (unchanged), 0 failed\n")


def test_failed_meetings_are_listed_and_the_exit_code_is_one(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    portal.remove_meeting(two[0], keep_listed=True)
    done = run_cli("fetch", portal.url, "--out", "mirror", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("casesummary: error")]
    assert errors == [
        f"casesummary: error: meeting {two[0]} (Økonomiudvalget, 2026-04-20): MeetingNotFound: "
        f"{portal.url}/api/agenda/dagsorden/{two[0]}: no such meeting (HTTP 404)",
        f"casesummary: error: PortalError: {portal.url}: 1 of 2 meetings could not be fetched",
    ]
    assert done.stdout.endswith(
        "1 new, 0 changed, 24 items written; 0 skipped (unchanged), 1 failed\n"
    )
    assert len(list((tmp_path / "mirror").glob("*.json"))) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Gotham"], ["unknown portal 'Gotham'", "Hvidovre", "Middelfart"]),
        (["PORTAL_URL", "--since", "18-05-2026"], ["Invalid value for '--since'"]),
        (["PORTAL_URL", "--committee", "Byråd"], ["no committee matches 'Byråd'"]),
        (["NOT_A_PORTAL"], ["answered text/html where JSON was expected: not a FirstAgenda"]),
    ],
)
def test_bad_input_is_one_line_and_exit_two(
    portal: PortalStubServer, two: list[str], tmp_path: Path, args: list[str], words: list[str]
) -> None:
    if "NOT_A_PORTAL" in args:
        portal.queue(PortalReply(200, b"<html>hjem</html>", headers={"Content-Type": "text/html"}))
    argv = [a.replace("PORTAL_URL", portal.url).replace("NOT_A_PORTAL", portal.url) for a in args]
    done = run_cli("fetch", *argv, "--out", "mirror", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("casesummary: error: ")
    for word in words:
        assert word in done.stderr


def test_portals_lists_the_known_portals(tmp_path: Path) -> None:
    done = run_cli("portals", cwd=tmp_path)
    assert done.returncode == 0
    rows = done.stdout.splitlines()
    assert len(rows) == len(known_portals())
    assert any(r.startswith("Hvidovre") and "dagsordener-referater.hvidovre.dk" in r for r in rows)
    listed = json.loads(run_cli("portals", "--json", cwd=tmp_path).stdout)
    assert listed == [p.model_dump() for p in known_portals()]

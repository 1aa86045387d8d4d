"""report.html in a real headless Chromium: every case renders, nothing in the content runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from casesummary.eval.report import write_reports
from casesummary.eval.rundir import CaseInfo, CaseRecord, RunData, RunInfo

#: A browser to use instead of the one found on PATH (an empty or missing path: none).
CHROMIUM_ENV = "CASESUMMARY_CHROMIUM"


def _find_chromium() -> str | None:
    if CHROMIUM_ENV in os.environ:
        given = os.environ[CHROMIUM_ENV]
        return given if given and os.access(given, os.X_OK) else None
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


CHROMIUM = _find_chromium()
#: Why the browser tests did not run, and how to make them run.
SKIP_REASON = (
    "Chromium not found (no `chromium` on PATH, no /usr/bin/chromium"
    f"{', $' + CHROMIUM_ENV + ' is not an executable' if CHROMIUM_ENV in os.environ else ''}): "
    "these tests open report.html in headless Chromium; install it with "
    "`sudo apt-get install chromium` (Debian/Ubuntu; .ci/run does), "
    f"or point ${CHROMIUM_ENV} at a Chromium or Chrome binary"
)

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)

#: Each payload, if it ever ran, would leave a mark the dumped DOM shows.
SCRIPT_PAYLOAD = "<script>document.title='PWNED'</script>"
IMG_PAYLOAD = (
    "<img src=x onerror=\"document.body.insertAdjacentHTML('beforeend','<p id=xss-ran>ran</p>')\">"
)
ANSWER: dict[str, Any] = {
    "question": "Skal udvalget godkende planen?",
    "summary": "Udvalget skal tage stilling til planen. Planen koster 2 mio. kr.",
    "pros": ["Flere i job", "Klar plan", "Afsat budget"],
    "cons": ["Gener", "Binder midler", "Usikker effekt"],
    "keywords": ["Beskæftigelse"],
}


class _Dom(HTMLParser):
    """Start tags with their attributes, and the document title."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _dump_dom(tmp_path: Path, page: Path) -> _Dom:
    # The virtual time budget lets load and error events (an <img> failing) fire before the dump.
    result = _chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    dom = _Dom()
    dom.feed(result.stdout)
    return dom


def _run(directory: Path, n_cases: int, *, hostile: bool) -> RunData:
    info = RunInfo(
        prompt_id="summary",
        prompt_version="1",
        prompt_fingerprint="f" * 64,
        backend="baseline",
        backend_name="baseline",
        model="extractive",
        taxonomy_name="default",
        taxonomy_version="1",
        taxonomy_fingerprint="t" * 64,
        repeat=1,
        concurrency=1,
        cache=False,
        started=datetime(2026, 11, 23, tzinfo=UTC),
        casesummary_version="0.1.0",
    )
    cases: dict[str, CaseInfo] = {}
    records: list[CaseRecord] = []
    payload = f" {SCRIPT_PAYLOAD} {IMG_PAYLOAD}" if hostile else ""
    for i in range(n_cases):
        case_id = f"case-{i:02d}"
        cases[case_id] = CaseInfo(
            id=case_id,
            municipality="hvidovre",
            source_format="firstagenda-meeting",
            title=f"Punkt {i}{payload}",
            source_excerpt=f"Sagsfremstilling{payload}",
            expected=ANSWER,
        )
        output = {**ANSWER, "summary": ANSWER["summary"] + payload, "pros": [IMG_PAYLOAD, "b", "c"]}
        records.append(
            CaseRecord(
                case_id=case_id,
                repeat=0,
                status="ok",
                output=output if hostile else ANSWER,
                metrics={"similarity": i / n_cases},
                checks={"question_mark": i % 2 == 0},
            )
        )
    cases["closed"] = CaseInfo(
        id="closed", source_format="firstagenda-meeting", expect_skip="closed"
    )
    records.append(CaseRecord(case_id="closed", repeat=0, status="skipped", reason="closed"))
    directory.mkdir(parents=True, exist_ok=True)
    return RunData(directory=directory, run=info, cases=cases, records=records)


@pytest.mark.chromium
@needs_chromium
def test_report_renders_a_section_per_case_and_a_screenshot(tmp_path: Path) -> None:
    run = _run(tmp_path / "run", 7, hostile=False)
    _, html = write_reports(run)
    dom = _dump_dom(tmp_path, html)
    sections = [
        a.get("id")
        for tag, a in dom.elements
        if tag == "section" and "case" in (a.get("class") or "").split()
    ]
    assert sections == [f"case-case-{i:02d}" for i in range(7)] + ["case-closed"]
    rows = [a for tag, a in dom.elements if tag == "tr" and "case-row" in (a.get("class") or "")]
    assert len(rows) == 8
    failing = [a for tag, a in dom.elements if tag == "span" and a.get("class") == "check fail"]
    # Cases 1, 3 and 5 fail question_mark: marked in the case index and in their sections.
    assert len(failing) == 6

    shot = tmp_path / "shot.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", html.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000  # a rendered page, not an empty canvas


@pytest.mark.chromium
@needs_chromium
def test_hostile_content_is_escaped_and_never_runs(tmp_path: Path) -> None:
    run = _run(tmp_path / "run", 2, hostile=True)
    _, html = write_reports(run)
    source = html.read_text(encoding="utf-8")
    assert "<script" not in source
    assert "<img" not in source
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in source
    assert "&lt;img src=x onerror=" in source

    dom = _dump_dom(tmp_path, html)
    assert dom.title.startswith("Eval summary@1")
    assert not [a for _, a in dom.elements if a.get("id") == "xss-ran"]
    assert not [tag for tag, _ in dom.elements if tag in ("script", "img")]


@pytest.mark.chromium
@needs_chromium
def test_the_payload_does_run_when_not_escaped(tmp_path: Path) -> None:
    """The control: Chromium here runs scripts and error handlers, so the test above can fail."""
    page = tmp_path / "raw.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>t</title></head><body>{SCRIPT_PAYLOAD}{IMG_PAYLOAD}"
        "</body></html>",
        encoding="utf-8",
    )
    dom = _dump_dom(tmp_path, page)
    assert dom.title == "PWNED"
    assert [a for _, a in dom.elements if a.get("id") == "xss-ran"]


def test_without_chromium_the_skip_says_why_and_how_to_install(tmp_path: Path) -> None:
    """Runs everywhere: the browser tests, without a browser, are skipped with a useful reason."""
    env = {**os.environ, CHROMIUM_ENV: str(tmp_path / "no-such-chromium")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", __file__,
         "-k", "not without_chromium"],
        capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 skipped" in done.stdout
    assert "Chromium not found" in done.stdout
    assert "sudo apt-get install chromium" in done.stdout
    assert CHROMIUM_ENV in done.stdout

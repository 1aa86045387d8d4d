"""Progress on stderr: plain lines off a terminal (CI logs), a bar on one, nothing when quiet."""

from __future__ import annotations

import io
import re
import time

import pytest

from casesummary._progress import PROGRESS_ENV, Progress, StepLog, progress_interval

LINE = re.compile(r"^summarize: (\d+)/(\d+) items? done(, (\d+) failed)?, \d+ s$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_each_update_is_a_line_when_the_interval_is_zero(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROGRESS_ENV, "0")
    stream = io.StringIO()
    with Progress(3, desc="summarize", unit="item", stream=stream) as progress:
        progress.update()
        progress.update(failed=True)
        progress.update()
    lines = stream.getvalue().splitlines()
    assert [LINE.match(line).groups()[:2] for line in lines] == [  # type: ignore[union-attr]
        ("1", "3"),
        ("2", "3"),
        ("3", "3"),
    ]
    assert lines[1].endswith(", 1 failed, " + lines[1].rsplit(", ", 1)[1])
    assert "\r" not in stream.getvalue()


def test_off_a_terminal_a_short_run_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROGRESS_ENV, "3600")
    stream = io.StringIO()
    with Progress(2, desc="summarize", unit="item", stream=stream) as progress:
        progress.update(2)
    assert stream.getvalue() == ""


def test_the_clock_speaks_while_nothing_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hanging server must not leave the log silent: lines come without any update."""
    monkeypatch.setenv(PROGRESS_ENV, "0.01")
    stream = io.StringIO()
    progress = Progress(1, desc="summarize", unit="item", stream=stream)
    deadline = time.monotonic() + 30
    while "0/1 item done" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    progress.update()
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("summarize: 0/1 item done, ")
    assert lines[-1].startswith("summarize: 1/1 item done, ")  # and the last word on close


def test_on_a_terminal_it_is_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROGRESS_ENV, "0")
    stream = Terminal()
    with Progress(2, desc="eval", unit="case", stream=stream) as progress:
        progress.update()
        progress.update(failed=True)
    shown = stream.getvalue()
    assert "\r" in shown
    assert "eval" in shown
    assert "2/2" in shown
    assert "1 failed" in shown


def test_disabled_or_empty_work_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROGRESS_ENV, "0")
    for stream, progress in (
        (s := io.StringIO(), Progress(2, desc="x", unit="item", stream=s, enabled=False)),
        (t := Terminal(), Progress(0, desc="x", unit="item", stream=t)),
    ):
        progress.update()
        progress.close()
        assert stream.getvalue() == ""


@pytest.mark.parametrize(("raw", "seconds"), [("", 5.0), ("2.5", 2.5), ("-1", 5.0), ("x", 5.0)])
def test_the_interval_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str, seconds: float
) -> None:
    monkeypatch.setenv(PROGRESS_ENV, raw)
    assert progress_interval() == seconds


def test_a_step_log_writes_each_step_off_a_terminal() -> None:
    stream = io.StringIO()
    with StepLog("fetch", "meeting", stream=stream) as log:
        log.step(1, 2, "2026-04-20 Økonomiudvalget: new, 24 items")
        log.step(2, 2, "2026-05-18 Økonomiudvalget: unchanged")
    assert stream.getvalue().splitlines() == [
        "fetch 1/2: 2026-04-20 Økonomiudvalget: new, 24 items",
        "fetch 2/2: 2026-05-18 Økonomiudvalget: unchanged",
    ]


def test_a_step_log_is_a_bar_on_a_terminal_that_learns_its_total() -> None:
    stream = Terminal()
    with StepLog("summarize", "item", stream=stream) as log:
        log.step(1, 3, "first")
        log.step(4, 5, "the list grew")
    shown = stream.getvalue()
    assert "\r" in shown
    assert "4/5" in shown
    assert "first" not in shown  # a bar shows counts, not each step's text

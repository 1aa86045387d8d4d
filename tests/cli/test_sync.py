"""`casesummary sync`, run as a user runs it: the feed, a second run, a killed run resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casesummary.feed import RESULTS_DIR, FeedEntry
from casesummary.testing import OpenAIStubServer, PortalStubServer, copy_meeting


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "casesummary", *map(str, args)]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("CASESUMMARY_", "OPENAI_"))}


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def feed(out: Path) -> dict[str, FeedEntry]:
    return {
        p.stem: FeedEntry.model_validate_json(p.read_bytes())
        for p in sorted((out / RESULTS_DIR).glob("*.json"))
    }


@pytest.fixture
def one(portal: PortalStubServer, hvidovre_meeting: bytes, hvidovre_meeting_id: str) -> str:
    portal.publish(hvidovre_meeting)
    return hvidovre_meeting_id


def test_sync_writes_the_feed_and_a_second_run_summarises_nothing(
    portal: PortalStubServer, one: str, tmp_path: Path
) -> None:
    first = run_cli("sync", portal.url, "--out", "feed", "--backend", "baseline", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"fetch: 1 meeting from {portal.url}: 1 new, 0 changed, 24 items written; "
        "0 skipped (unchanged), 0 failed",
        "sync: 24 items: 18 summarised, 0 unchanged, 6 skipped (closed or empty), 0 failed",
    ]
    entries = feed(tmp_path / "feed")
    assert len(entries) == 24
    assert {e.status for e in entries.values()} == {"ok", "skipped"}
    assert all(e.meeting_id == one for e in entries.values())

    second = run_cli("sync", portal.url, "--out", "feed", "--backend", "baseline", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[1] == (
        "sync: 24 items: 0 summarised, 18 unchanged, 6 skipped (closed or empty), 0 failed"
    )
    assert {k: v.updated_at for k, v in feed(tmp_path / "feed").items()} == {
        k: v.updated_at for k, v in entries.items()
    }


def test_sync_wants_a_backend_to_be_chosen(
    portal: PortalStubServer, one: str, tmp_path: Path
) -> None:
    done = run_cli("sync", portal.url, "--out", "feed", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "casesummary: error: sync needs --backend SPEC (or $CASESUMMARY_BACKEND); "
        "--backend baseline is the offline, extractive one\n"
    )
    assert portal.requests == []


def test_failed_items_give_exit_code_one_and_one_line_each(
    portal: PortalStubServer, one: str, tmp_path: Path
) -> None:
    with OpenAIStubServer() as model:
        model.queue(*[_refusal()] * 200)
        spec = f"openai-compatible:stub-model@{model.base_url}?max_retries=0"
        done = run_cli(
            "sync",
            portal.url,
            "--out",
            "feed",
            "--backend",
            spec,
            "--committee",
            "Økonomi",
            cwd=tmp_path,
        )
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("casesummary: error")]
    assert len(errors) == 19
    assert all(": RefusalError: " in line for line in errors[:18])
    assert errors[-1] == (
        "casesummary: error: BackendError: 18 items or meeting files could not be summarised"
    )
    assert sum(e.status == "failed" for e in feed(tmp_path / "feed").values()) == 18


def _refusal() -> object:
    from casesummary.testing import StubAnswer

    return StubAnswer(refusal="Det kan jeg ikke hjælpe med.")


def test_a_killed_sync_resumes_without_asking_for_a_finished_item_again(
    portal: PortalStubServer, hvidovre_meeting: bytes, tmp_path: Path
) -> None:
    for number in (1, 2):
        meeting = copy_meeting(hvidovre_meeting, number, day=f"2026-05-{10 + number}")
        for entry in meeting["Dagsordenpunkter"]:
            entry["Navn"] += f" [{number}]"  # so that each request names its item
        portal.publish(meeting)
    out = tmp_path / "feed"
    with OpenAIStubServer(latency_s=0.25) as model:
        spec = f"openai-compatible:stub-model@{model.base_url}"
        args = ("sync", portal.url, "--out", out, "--backend", spec, "--concurrency", "2")
        process = subprocess.Popen(
            command(*args),
            cwd=tmp_path,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 90
            while _summarised(out) < 6:
                assert process.poll() is None, "sync finished before it could be killed"
                assert time.monotonic() < deadline, "sync made no progress"
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)

        done_at_kill = {e.title for e in feed(out).values() if e.status == "ok"}  # all parse
        asked_before = len(model.chat_requests)
        assert 6 <= len(done_at_kill) < 36

        resumed = run_cli(*args, cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stderr
        asked_again = [_title(r.body) for r in model.chat_requests[asked_before:]]

    finished = {e.title for e in feed(out).values() if e.status == "ok"}
    assert len(finished) == 36
    assert done_at_kill.isdisjoint(asked_again)
    assert set(asked_again) == finished - done_at_kill
    # A request the killed run had in flight may reach the server's log after the kill.
    assert len(asked_again) - len(set(asked_again)) <= 2
    assert list(out.rglob("*.tmp")) == []


def _summarised(out: Path) -> int:
    """Result files with a summary so far (skipped items are written first, without a call)."""
    count = 0
    for path in (out / RESULTS_DIR).glob("*.json") if (out / RESULTS_DIR).is_dir() else []:
        try:
            count += json.loads(path.read_bytes()).get("status") == "ok"
        except (OSError, ValueError):
            continue
    return count


def _title(body: object) -> str:
    """The title of the item a chat request asks about (its "# Title" line)."""
    assert isinstance(body, dict)
    for message in body["messages"]:
        for line in str(message.get("content") or "").splitlines():
            if line.startswith("# "):
                return line[2:]
    raise AssertionError("no title in the request")

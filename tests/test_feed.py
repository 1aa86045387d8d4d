"""sync(): one result file per item, made once; only new or changed items reach the backend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casesummary.backends.base import BackendRequest
from casesummary.exceptions import BackendConnectionError, InvalidBackendSpec
from casesummary.feed import RESULTS_DIR, FeedEntry, sync
from casesummary.prompt import load_prompt
from casesummary.taxonomy import load_taxonomy
from casesummary.testing import FunctionBackend, PortalStubServer, answer_for, copy_meeting
from casesummary.testing.fakes import FakeAnswer

OPEN_WITH_TEXT = 18  # of the Hvidovre meeting's 24 items: 3 closed, 3 routine ones without text


def answering(fail_on: str | None = None) -> FunctionBackend:
    """A backend with a valid answer for every item (a connection error for one title)."""

    def answer(request: BackendRequest) -> FakeAnswer:
        if fail_on is not None and request.item.title.startswith(fail_on):
            return BackendConnectionError("the model server went away")
        return answer_for(request)

    return FunctionBackend(answer)


def results(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / RESULTS_DIR).iterdir())}


def entries(out: Path) -> dict[str, FeedEntry]:
    return {
        name.removesuffix(".json"): FeedEntry.model_validate_json(body)
        for name, body in results(out).items()
    }


@pytest.fixture
def two(portal: PortalStubServer, hvidovre_meeting: bytes) -> list[str]:
    return [
        portal.publish(copy_meeting(hvidovre_meeting, 1, day="2026-04-20")),
        portal.publish(copy_meeting(hvidovre_meeting, 2, day="2026-05-18")),
    ]


def test_the_first_sync_summarises_every_open_item_and_records_the_rest(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    backend = answering()
    report = sync(portal.url, tmp_path, backend=backend)

    assert len(backend.calls) == 2 * OPEN_WITH_TEXT
    found = entries(tmp_path)
    assert len(found) == 48
    by_status = {s: [e for e in found.values() if e.status == s] for s in ("ok", "skipped")}
    assert len(by_status["ok"]) == 36
    assert sorted(e.reason or "" for e in by_status["skipped"]) == ["closed"] * 6 + ["empty"] * 6
    closed = next(e for e in by_status["skipped"] if e.number == "32")
    assert closed.title.startswith("Godkendelse af udbudsbetingelser")
    assert (closed.reason, closed.result) == ("closed", None)

    prompt_fingerprint = load_prompt().fingerprint(load_taxonomy())
    entry = next(e for e in by_status["ok"] if e.number == "3")
    assert entry.result is not None
    assert entry.result.provenance.item_fingerprint == entry.item_fingerprint
    assert entry.prompt_fingerprint == prompt_fingerprint
    assert entry.result.provenance.prompt_fingerprint == prompt_fingerprint
    assert entry.meeting_id in two
    assert entry.url == f"{portal.url}/vis?id={entry.meeting_id}&punktid={entry.item_id}"
    assert (tmp_path / entry.meeting_file).is_file()
    assert (entry.committee, entry.meeting_name) == ("Økonomiudvalget", "Dagsorden")
    assert entry.municipality == "Hvidovre"
    assert entry.title.startswith("Skema A godkendelse ved Grenhusene")

    assert report.count("summarised") == 36
    assert report.count("skipped") == 12
    assert report.ok
    assert report.summary() == (
        "48 items: 36 summarised, 0 unchanged, 12 skipped (closed or empty), 0 failed"
    )


def test_a_second_sync_with_nothing_new_makes_no_backend_call(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    sync(portal.url, tmp_path, backend=answering())
    before = results(tmp_path)
    backend = answering()
    report = sync(portal.url, tmp_path, backend=backend)
    assert backend.calls == []
    assert results(tmp_path) == before
    assert (report.count("unchanged"), report.count("skipped")) == (36, 12)


def test_a_changed_item_is_summarised_again_and_only_it(
    portal: PortalStubServer, two: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    sync(portal.url, tmp_path, backend=answering())
    before = results(tmp_path)
    changed = copy_meeting(hvidovre_meeting, 2, day="2026-05-18")
    felt = changed["Dagsordenpunkter"][2]["Felter"][0]
    felt["Html"] = felt["Html"].replace("Grenhusene", "Grenhusene (rettet)", 1)
    portal.publish(changed, released="2026-05-14T09:00:00+02:00")

    backend = answering()
    report = sync(portal.url, tmp_path, backend=backend)

    assert [r.item.number for r in backend.calls] == ["3"]
    item_id = changed["Dagsordenpunkter"][2]["Id"]
    after = results(tmp_path)
    assert after[f"{item_id}.json"] != before[f"{item_id}.json"]
    assert {k: v for k, v in after.items() if not k.startswith(item_id)} == {
        k: v for k, v in before.items() if not k.startswith(item_id)
    }
    assert report.count("summarised") == 1
    assert report.fetch.count("changed") == 1


def test_a_new_taxonomy_summarises_every_item_again(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    sync(portal.url, tmp_path, backend=answering())
    topics = tmp_path / "emneord.yaml"
    topics.write_text(
        "name: lokal\nversion: '1'\ntopics: [Økonomi, Social, Beskæftigelse, Bolig]\n",
        encoding="utf-8",
    )
    backend = answering()
    sync(portal.url, tmp_path, backend=backend, taxonomy=topics)
    assert len(backend.calls) == 36
    fingerprints = {e.prompt_fingerprint for e in entries(tmp_path).values() if e.status == "ok"}
    assert fingerprints == {load_prompt().fingerprint(load_taxonomy(topics))}


def test_force_summarises_every_open_item_again(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    sync(portal.url, tmp_path, backend=answering())
    backend = answering()
    sync(portal.url, tmp_path, backend=backend, force=True)
    assert len(backend.calls) == 36


def test_a_failed_item_is_recorded_typed_and_tried_again_next_time(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    report = sync(portal.url, tmp_path, backend=answering(fail_on="Nyt flagregulativ"))
    assert not report.ok
    assert [(f.title, f.error_type) for f in report.failed] == [
        ("Nyt flagregulativ", "BackendConnectionError")
    ] * 2
    failed = [e for e in entries(tmp_path).values() if e.status == "failed"]
    assert len(failed) == 2
    assert failed[0].failure is not None
    assert failed[0].failure.error_type == "BackendConnectionError"
    assert failed[0].failure.message == "the model server went away"

    backend = answering()
    sync(portal.url, tmp_path, backend=backend)
    assert [r.item.title for r in backend.calls] == ["Nyt flagregulativ"] * 2
    assert {e.status for e in entries(tmp_path).values()} == {"ok", "skipped"}


def test_an_item_listed_again_in_a_later_meeting_is_summarised_once(
    portal: PortalStubServer, two: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    first = json.loads(portal.served(two[0]) or b"{}")
    later = copy_meeting(hvidovre_meeting, 3, day="2026-06-01")
    for mine, theirs in zip(later["Dagsordenpunkter"], first["Dagsordenpunkter"], strict=True):
        mine["Id"] = theirs["Id"]
    portal.publish(later)

    backend = answering()
    report = sync(portal.url, tmp_path, backend=backend)

    assert len(backend.calls) == 2 * OPEN_WITH_TEXT
    assert report.count("superseded") == 24
    assert len(entries(tmp_path)) == 48
    shared = first["Dagsordenpunkter"][2]["Id"]
    assert entries(tmp_path)[shared].meeting_id == later["Id"]


def test_cpr_numbers_are_masked_in_result_files_not_in_meeting_files(
    portal: PortalStubServer, tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    meeting = copy_meeting(hvidovre_meeting, 7)
    meeting["Dagsordenpunkter"][2]["Navn"] += " (sag vedr. 010190-1234)"
    portal.publish(meeting)
    sync(portal.url, tmp_path, backend=answering())
    item_id = meeting["Dagsordenpunkter"][2]["Id"]
    written = (tmp_path / RESULTS_DIR / f"{item_id}.json").read_text(encoding="utf-8")
    assert "010190-1234" not in written
    assert "XXXXXX-XXXX" in written
    assert b"010190-1234" in next(tmp_path.glob("*.json")).read_bytes()
    backend = answering()
    sync(portal.url, tmp_path, backend=backend)
    assert backend.calls == []


def test_a_meeting_the_parser_cannot_read_is_reported_and_the_rest_go_on(
    portal: PortalStubServer, two: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    odd = copy_meeting(hvidovre_meeting, 9, day="2026-06-01")
    odd["Dagsordenpunkter"][0]["Felter"] = 1
    portal.publish(odd)
    report = sync(portal.url, tmp_path, backend=answering())
    assert [(u.meeting_id, u.error_type) for u in report.unreadable] == [
        (odd["Id"], "InvalidAgendaItem")
    ]
    assert "Dagsordenpunkter[0].Felter" in report.unreadable[0].message
    assert not report.ok
    assert report.count("summarised") == 36
    assert report.summary().endswith("; 1 meeting files unreadable")
    assert report.fetch.count("new") == 3


def test_caller_mistakes_are_raised_before_anything_is_fetched(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    with pytest.raises(InvalidBackendSpec):
        sync(portal.url, tmp_path, backend="no-such-backend:x")
    with pytest.raises(Exception, match="concurrency must be at least 1"):
        sync(portal.url, tmp_path, backend=answering(), concurrency=0)
    assert portal.requests == []


async def test_sync_works_from_async_code(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    backend = answering()
    report = sync(portal.url, tmp_path, backend=backend, committee="økonomi")
    assert report.count("summarised") == 36


def test_progress_is_reported_for_every_item(
    portal: PortalStubServer, two: list[str], tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []

    def progress(outcome: Any, done: int, total: int) -> None:
        seen.append((done, total))

    sync(portal.url, tmp_path, backend=answering(), progress=progress)
    assert seen == [(n, 48) for n in range(1, 49)]

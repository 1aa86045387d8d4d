"""fetch(): meetings on disk as served; re-runs skip the unchanged; failures keep the rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casesummary.exceptions import NotAPortal, UnknownPortal, UserError
from casesummary.portal.client import PortalClient
from casesummary.portal.mirror import STATE_DIR, FetchedMeeting, fetch, slug
from casesummary.testing import PortalReply, PortalStubServer, copy_meeting


def meeting_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}


@pytest.fixture
def three(portal: PortalStubServer, hvidovre_meeting: bytes) -> list[str]:
    """Three meetings of two committees, listed the way the portal lists them."""
    return [
        portal.publish(copy_meeting(hvidovre_meeting, 1, day="2026-04-20")),
        portal.publish(copy_meeting(hvidovre_meeting, 2, day="2026-05-18")),
        portal.publish(
            copy_meeting(
                hvidovre_meeting, 3, day="2026-05-04", committee="Klima-, Miljø- og Teknikudvalget"
            )
        ),
    ]


def test_each_meeting_is_written_as_served_under_its_date_committee_and_id(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    report = fetch(portal.url, tmp_path)
    files = meeting_files(tmp_path)
    assert list(files) == [
        f"2026-04-20_oekonomiudvalget_{three[0]}.json",
        f"2026-05-04_klima-miljoe-og-teknikudvalget_{three[2]}.json",
        f"2026-05-18_oekonomiudvalget_{three[1]}.json",
    ]
    for name, body in files.items():
        meeting_id = name.rsplit("_", 1)[1].removesuffix(".json")
        assert body == portal.served(meeting_id)
    assert [m.status for m in report.meetings] == ["new", "new", "new"]
    assert [m.meeting_date for m in report.meetings] == [
        date(2026, 4, 20),
        date(2026, 5, 4),
        date(2026, 5, 18),
    ]
    assert report.items == 72
    assert report.summary() == (
        f"3 meetings from {portal.url}: 3 new, 0 changed, 72 items written; "
        "0 skipped (unchanged), 0 failed"
    )


def test_a_rerun_with_nothing_new_asks_for_no_meeting(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    fetch(portal.url, tmp_path)
    before = meeting_files(tmp_path)
    asked = len(portal.meeting_requests)
    report = fetch(portal.url, tmp_path)
    assert len(portal.meeting_requests) == asked
    assert [m.status for m in report.meetings] == ["unchanged"] * 3
    assert [m.items for m in report.meetings] == [24, 24, 24]
    assert meeting_files(tmp_path) == before


def test_a_re_released_meeting_is_fetched_again_and_only_it(
    portal: PortalStubServer, three: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    fetch(portal.url, tmp_path)
    before = meeting_files(tmp_path)
    changed = copy_meeting(hvidovre_meeting, 2, day="2026-05-18")
    changed["Dagsordenpunkter"][2]["Navn"] += " (rettet)"
    portal.publish(changed, released="2026-05-14T09:00:00+02:00")
    asked = len(portal.meeting_requests)

    report = fetch(portal.url, tmp_path)

    assert portal.meeting_requests[asked:] == [f"/api/agenda/dagsorden/{three[1]}"]
    assert [m.status for m in report.meetings] == ["unchanged", "unchanged", "changed"]
    after = meeting_files(tmp_path)
    name = f"2026-05-18_oekonomiudvalget_{three[1]}.json"
    assert after[name] == portal.served(three[1])
    assert {k: v for k, v in after.items() if k != name} == {
        k: v for k, v in before.items() if k != name
    }


def test_a_re_release_with_the_same_bytes_rewrites_nothing(
    portal: PortalStubServer, three: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    fetch(portal.url, tmp_path)
    path = next(tmp_path.glob(f"*_{three[0]}.json"))
    stamp = path.stat().st_mtime_ns
    portal.publish(
        copy_meeting(hvidovre_meeting, 1, day="2026-04-20"), released="2026-05-01T10:00:00+02:00"
    )
    report = fetch(portal.url, tmp_path)
    assert report.meetings[0].status == "unchanged"
    assert path.stat().st_mtime_ns == stamp
    assert len(portal.meeting_requests) == 4


def test_an_edit_without_re_release_needs_recheck(
    portal: PortalStubServer, three: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    fetch(portal.url, tmp_path)
    edited = copy_meeting(hvidovre_meeting, 1, day="2026-04-20")
    edited["Dagsordenpunkter"][0]["Navn"] = "Godkendelse af dagsorden (ændret)"
    portal.add_meeting(edited)  # served changed, listed as before
    assert [m.status for m in fetch(portal.url, tmp_path).meetings] == ["unchanged"] * 3
    rechecked = fetch(portal.url, tmp_path, recheck=True)
    assert [m.status for m in rechecked.meetings] == ["changed", "unchanged", "unchanged"]
    assert "(ændret)".encode() in next(tmp_path.glob(f"*_{three[0]}.json")).read_bytes()


def test_a_renamed_committee_renames_the_file(
    portal: PortalStubServer, three: list[str], tmp_path: Path, hvidovre_meeting: bytes
) -> None:
    fetch(portal.url, tmp_path)
    portal.publish(
        copy_meeting(
            hvidovre_meeting, 1, day="2026-04-20", committee="Økonomi- og Erhvervsudvalget"
        )
    )
    report = fetch(portal.url, tmp_path)
    assert report.meetings[0].file == f"2026-04-20_oekonomi-og-erhvervsudvalget_{three[0]}.json"
    assert list(tmp_path.glob(f"*_{three[0]}.json")) == [tmp_path / report.meetings[0].file]


@pytest.mark.parametrize(
    ("options", "days"),
    [
        ({"committee": "økonomi"}, ["2026-04-20", "2026-05-18"]),
        ({"committee": "KLIMA"}, ["2026-05-04"]),
        ({"since": date(2026, 5, 1)}, ["2026-05-04", "2026-05-18"]),
        ({"until": date(2026, 5, 4)}, ["2026-04-20", "2026-05-04"]),
        ({"since": date(2026, 5, 4), "until": date(2026, 5, 4)}, ["2026-05-04"]),
        ({"since": date(2027, 1, 1)}, []),
    ],
)
def test_filters(
    portal: PortalStubServer,
    three: list[str],
    tmp_path: Path,
    options: dict[str, object],
    days: list[str],
) -> None:
    report = fetch(portal.url, tmp_path, **options)  # type: ignore[arg-type]
    assert [str(m.meeting_date) for m in report.meetings] == days
    assert len(meeting_files(tmp_path)) == len(days)


def test_an_unknown_committee_lists_the_committees(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    with pytest.raises(UserError, match=r"no committee matches 'Byråd' \(committees: Klima-"):
        fetch(portal.url, tmp_path, committee="Byråd")


def test_since_after_until_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="--since 2026-05-02 is after --until 2026-05-01"):
        fetch("https://h.dk", tmp_path, since=date(2026, 5, 2), until=date(2026, 5, 1))


def test_failing_meetings_are_listed_and_the_rest_kept(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    gone = three[0]
    portal.remove_meeting(gone, keep_listed=True)
    portal.queue(*[PortalReply(503, path=f"/api/agenda/dagsorden/{three[2]}")] * 4)

    with PortalClient(portal.url, sleep=lambda s: None) as client:
        report = fetch(client, tmp_path)

    by_id = {m.meeting_id: m for m in report.meetings}
    assert by_id[gone].status == "failed"
    assert by_id[gone].error_type == "MeetingNotFound"
    assert by_id[three[2]].status == "failed"
    assert by_id[three[2]].error_type == "PortalHTTPError"
    assert "HTTP 503" in (by_id[three[2]].message or "")
    assert by_id[three[1]].status == "new"
    assert list(meeting_files(tmp_path)) == [f"2026-05-18_oekonomiudvalget_{three[1]}.json"]
    assert [m.meeting_id for m in report.failed] == [gone, three[2]]
    assert report.summary().endswith("0 skipped (unchanged), 2 failed")


def test_what_a_killed_run_leaves_is_cleaned_or_checked(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    fetch(portal.url, tmp_path)
    (tmp_path / f".2026-05-18_oekonomiudvalget_{three[1]}.json.0a1b2c.tmp").write_bytes(b'{"Dag')
    (tmp_path / STATE_DIR / f"{three[0]}.json").unlink()  # killed before its state was written
    (tmp_path / STATE_DIR / f"{three[2]}.json").write_text("{broken")
    asked = len(portal.meeting_requests)

    report = fetch(portal.url, tmp_path)

    assert list(tmp_path.glob(".*.tmp")) == []
    assert sorted(portal.meeting_requests[asked:]) == sorted(
        f"/api/agenda/dagsorden/{i}" for i in (three[0], three[2])
    )
    assert [m.status for m in report.meetings] == ["unchanged"] * 3
    assert len(portal.meeting_requests) == asked + 2
    assert fetch(portal.url, tmp_path).meetings[0].status == "unchanged"
    assert len(portal.meeting_requests) == asked + 2


def test_a_meeting_file_spoilt_on_disk_is_fetched_again(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    fetch(portal.url, tmp_path)
    spoilt = next(tmp_path.glob(f"*_{three[1]}.json"))
    spoilt.write_bytes(b"")  # what a power cut can leave of a file written without fsync
    gone = next(tmp_path.glob(f"*_{three[2]}.json"))
    gone.unlink()
    asked = len(portal.meeting_requests)
    report = fetch(portal.url, tmp_path)
    assert sorted(portal.meeting_requests[asked:]) == sorted(
        f"/api/agenda/dagsorden/{i}" for i in (three[1], three[2])
    )
    assert [m.status for m in report.meetings] == ["unchanged", "new", "changed"]
    assert spoilt.read_bytes() == portal.served(three[1])
    assert gone.read_bytes() == portal.served(three[2])


def test_progress_is_reported_once_per_meeting(
    portal: PortalStubServer, three: list[str], tmp_path: Path
) -> None:
    seen: list[tuple[str, int, int]] = []

    def progress(meeting: FetchedMeeting, done: int, total: int) -> None:
        seen.append((meeting.meeting_id, done, total))

    fetch(portal.url, tmp_path, progress=progress)
    assert sorted(m for m, _, _ in seen) == sorted(three)
    assert [(d, t) for _, d, t in seen] == [(1, 3), (2, 3), (3, 3)]


def test_the_real_committee_list_selects_the_real_meeting(
    portal: PortalStubServer,
    hvidovre_listing: bytes,
    hvidovre_meeting: bytes,
    hvidovre_meeting_id: str,
    tmp_path: Path,
) -> None:
    portal.set_committees(hvidovre_listing)
    portal.add_meeting(hvidovre_meeting)
    report = fetch(portal.url, tmp_path, committee="Økonomiudvalget", since=date(2026, 5, 18))
    assert [(m.meeting_id, m.name, m.status) for m in report.meetings] == [
        (hvidovre_meeting_id, "Dagsorden", "new")
    ]
    path = tmp_path / f"2026-05-18_oekonomiudvalget_{hvidovre_meeting_id}.json"
    assert path.read_bytes() == hvidovre_meeting


def test_bad_portals_and_directories(portal: PortalStubServer, tmp_path: Path) -> None:
    with pytest.raises(UnknownPortal, match="Hvidovre"):
        fetch("Gotham", tmp_path)
    portal.queue(PortalReply(200, b"<html><body>Velkommen</body></html>"))
    with pytest.raises(NotAPortal):
        fetch(portal.url, tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="not a directory"):
        fetch(portal.url, blocker)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Økonomiudvalget", "oekonomiudvalget"),
        ("Klima-, Miljø- og Teknikudvalget", "klima-miljoe-og-teknikudvalget"),
        ("Børne- og Uddannelsesudvalget", "boerne-og-uddannelsesudvalget"),
        ("Ældre- og Sundhedsudvalget  ", "aeldre-og-sundhedsudvalget"),
        ("Byrådet / Kommunalbestyrelsen", "byraadet-kommunalbestyrelsen"),
        ("???", "udvalg"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected

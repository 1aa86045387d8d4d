"""fetch(): a portal's meetings on disk, one JSON file each, exactly as the portal served them.

    report = fetch("Hvidovre", "hvidovre/", committee="Økonomi", since=date(2026, 1, 1))

Layout of `out`:

    <YYYY-MM-DD>_<committee-slug>_<meetingId>.json   the meeting as served (`api/agenda/dagsorden`)
    .casesummary/fetch/<meetingId>.json             what the last fetch saw: the listing's
                                                    signature, the file's name and size, items

How a re-run knows a meeting changed: the portal sends no ETag or Last-Modified
(`cache-control: no-cache`, `expires: -1`), so conditional requests are out. The committee list,
fetched once per run, states for every meeting its `ReleasedDate`, name (Dagsorden, Referat,
Tillægsdagsorden), date, place and whether it is finished; a re-release changes them. A meeting
whose listing is unchanged since the last fetch, and whose file is still there with the same
size, is skipped without a request. Any other meeting is downloaded and compared byte for byte
with the file on disk, which is rewritten only when they differ. `recheck=True` downloads every
selected meeting and compares, for a portal that edits a meeting without re-releasing it.

Meetings download `client.max_in_flight` at a time (`PortalClient.meetings`); files are
written whole, then renamed, in the calling thread (not fsync'd: what a power cut spoils is
fetched again). A meeting that fails is reported with its typed error and the rest are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from casesummary._files import remove_temporaries, write_atomic
from casesummary.exceptions import UserError, one_line
from casesummary.portal.client import PortalClient
from casesummary.portal.known import municipality_of, resolve_portal
from casesummary.portal.models import CommitteeList, ListedMeeting, MeetingDocument
from casesummary.portal.urls import check_id

#: Where fetch keeps what it saw of each meeting, inside the output directory.
STATE_DIR = Path(".casesummary") / "fetch"

MeetingStatus = Literal["new", "changed", "unchanged", "failed"]
FetchProgress = Callable[["FetchedMeeting", int, int], None]

_FILE_ID = re.compile(r"_([A-Za-z0-9][A-Za-z0-9-]{0,127})\.json$")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


class FetchedMeeting(BaseModel):
    """What became of one selected meeting: new, changed, unchanged (skipped) or failed."""

    model_config = ConfigDict(frozen=True)

    meeting_id: str
    committee: str
    period: str
    meeting_date: date | None
    name: str | None  # the portal's own: "Dagsorden", "Referat", "Tillægsdagsorden", …
    released: datetime | None
    status: MeetingStatus
    file: str | None = None  # the file's name inside the output directory, when there is one
    items: int = 0
    error_type: str | None = None
    message: str | None = None


class FetchReport(BaseModel):
    """Every selected meeting's outcome, in date order."""

    model_config = ConfigDict(frozen=True)

    portal: str  # the base URL, without credentials
    municipality: str | None
    out: str
    meetings: list[FetchedMeeting]

    def count(self, status: MeetingStatus) -> int:
        return sum(1 for m in self.meetings if m.status == status)

    @property
    def failed(self) -> list[FetchedMeeting]:
        return [m for m in self.meetings if m.status == "failed"]

    @property
    def items(self) -> int:
        """Agenda items in the meetings written by this run."""
        return sum(m.items for m in self.meetings if m.status in ("new", "changed"))

    def summary(self) -> str:
        """The closing line: meetings, items, skipped and failed."""
        return (
            f"{_n(len(self.meetings), 'meeting')} from {self.portal}: {self.count('new')} new, "
            f"{self.count('changed')} changed, {_n(self.items, 'item')} written; "
            f"{self.count('unchanged')} skipped (unchanged), {self.count('failed')} failed"
        )


class _Seen(BaseModel):
    """The state file of one meeting: what the last successful fetch saw."""

    listing: str
    size: int
    file: str
    items: int
    fetched_at: datetime


def fetch(
    portal: str | PortalClient,
    out: str | Path,
    *,
    committee: str | None = None,
    since: date | None = None,
    until: date | None = None,
    recheck: bool = False,
    progress: FetchProgress | None = None,
) -> FetchReport:
    """Mirror the selected meetings of `portal` (a URL, host or known municipality) into `out`.

    `committee` keeps the committees whose name contains it (case-insensitive); `since` and
    `until` bound the meeting date (inclusive). `progress(meeting, done, total)` is called as
    each meeting is settled. Raises UnknownPortal, NotAPortal or a PortalError when the committee
    list itself cannot be had; a failing meeting only marks that meeting failed.
    """
    if since is not None and until is not None and since > until:
        raise UserError(f"--since {since} is after --until {until}")
    target = _output_dir(Path(out))
    with _portal(portal) as (client, municipality):
        listing = client.committees()
        chosen = select(listing, committee=committee, since=since, until=until, url=client.url)
        outcomes = _Mirror(client, target, recheck, progress).run(chosen)
    return FetchReport(
        portal=client.url, municipality=municipality, out=str(target), meetings=outcomes
    )


def select(
    listing: CommitteeList,
    *,
    committee: str | None = None,
    since: date | None = None,
    until: date | None = None,
    url: str = "",
) -> list[ListedMeeting]:
    """The listed meetings the filters keep, oldest first."""
    meetings = listing.meetings()
    if committee is not None and committee.strip():
        wanted = committee.strip().casefold()
        meetings = [m for m in meetings if wanted in m.committee.casefold()]
        if not meetings:
            names = sorted({c.name.strip() for c in listing.committees()}, key=str.casefold)
            where = f"{url}: " if url else ""
            raise UserError(
                f"{where}no committee matches {committee!r} (committees: {', '.join(names)})"
            )
    if since is not None:
        meetings = [m for m in meetings if m.entry.day is not None and m.entry.day >= since]
    if until is not None:
        meetings = [m for m in meetings if m.entry.day is not None and m.entry.day <= until]
    return sorted(meetings, key=lambda m: (m.entry.day or date.min, m.committee, m.id))


def meeting_file_name(meeting: ListedMeeting) -> str:
    """`<YYYY-MM-DD>_<committee-slug>_<meetingId>.json` ("undated" when the portal gives none)."""
    day = meeting.entry.day.isoformat() if meeting.entry.day else "undated"
    return f"{day}_{slug(meeting.committee)}_{meeting.id}.json"


def slug(name: str) -> str:
    """'Klima-, Miljø- og Teknikudvalget' -> 'klima-miljoe-og-teknikudvalget'."""
    folded = name.casefold().translate(_DANISH)
    text = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return text[:60].rstrip("-") or "udvalg"


# -- the run -------------------------------------------------------------------------------------


class _Mirror:
    """One fetch run: decide, download in worker threads, write in the calling thread."""

    def __init__(
        self,
        client: PortalClient,
        target: Path,
        recheck: bool,
        progress: FetchProgress | None,
    ) -> None:
        self.client = client
        self.target = target
        self.state_dir = target / STATE_DIR
        self.recheck = recheck
        self.progress = progress
        self.existing = _existing_files(target)
        self.done = 0
        self.total = 0

    def run(self, chosen: list[ListedMeeting]) -> list[FetchedMeeting]:
        self.total = len(chosen)
        outcomes: dict[str, FetchedMeeting] = {}
        downloads: list[ListedMeeting] = []
        for meeting in chosen:
            skipped = self._skip_without_request(meeting)
            if skipped is None:
                downloads.append(meeting)
            else:
                outcomes[meeting.id] = self._settle(skipped)
        if downloads:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            by_id = {m.id: m for m in downloads}
            for meeting_id, document in self.client.meetings(by_id):
                meeting = by_id[meeting_id]
                outcomes[meeting.id] = self._settle(self._store(meeting, document))
        return [outcomes[m.id] for m in chosen]

    def _settle(self, outcome: FetchedMeeting) -> FetchedMeeting:
        self.done += 1
        if self.progress is not None:
            self.progress(outcome, self.done, self.total)
        return outcome

    def _skip_without_request(self, meeting: ListedMeeting) -> FetchedMeeting | None:
        """The outcome of a meeting whose listing has not changed since it was fetched."""
        try:
            check_id(meeting.id, what="meeting id", url=self.client.url)
        except UserError as exc:
            return _failed(meeting, exc, None)
        if self.recheck:
            return None
        seen = self._seen(meeting.id)
        if seen is None or seen.listing != meeting.entry.signature:
            return None
        try:
            if (self.target / seen.file).stat().st_size != seen.size:
                return None  # gone, truncated or replaced since: fetch it again
        except OSError:
            return None
        name = self._place(meeting, seen.file)
        if name != seen.file:
            self._remember(meeting, seen.size, name, seen.items)
        return _outcome(meeting, "unchanged", name, seen.items)

    def _store(self, meeting: ListedMeeting, got: MeetingDocument | Exception) -> FetchedMeeting:
        if isinstance(got, Exception):
            return _failed(meeting, got, self._any_file(meeting.id))
        try:
            previous = self._same_content(meeting.id, got.content)
            if previous is not None:
                name = self._place(meeting, previous)
                status: MeetingStatus = "unchanged"
            else:
                name = meeting_file_name(meeting)
                write_atomic(self.target / name, got.content, durable=False)
                status = "changed" if self.existing.get(meeting.id) else "new"
                self._drop_others(meeting.id, keep=name)
            self._remember(meeting, len(got.content), name, len(got.items))
        except OSError as exc:
            return _failed(meeting, exc, self._any_file(meeting.id))
        return _outcome(meeting, status, name, len(got.items))

    # -- files on disk -----------------------------------------------------------------------

    def _same_content(self, meeting_id: str, content: bytes) -> str | None:
        """The name of a file for this meeting that already holds exactly these bytes."""
        for name in self.existing.get(meeting_id, []):
            path = self.target / name
            try:
                if path.stat().st_size == len(content) and path.read_bytes() == content:
                    return name
            except OSError:
                continue
        return None

    def _place(self, meeting: ListedMeeting, current: str) -> str:
        """Rename the meeting's file when its date or committee name changed; the name it has."""
        wanted = meeting_file_name(meeting)
        if current != wanted:
            (self.target / current).replace(self.target / wanted)
            self.existing[meeting.id] = [wanted]
        self._drop_others(meeting.id, keep=wanted)
        return wanted

    def _drop_others(self, meeting_id: str, *, keep: str) -> None:
        for name in self.existing.get(meeting_id, []):
            if name != keep:
                (self.target / name).unlink(missing_ok=True)
        self.existing[meeting_id] = [keep]

    def _any_file(self, meeting_id: str) -> str | None:
        names = [n for n in self.existing.get(meeting_id, []) if (self.target / n).is_file()]
        return names[0] if names else None

    def _seen(self, meeting_id: str) -> _Seen | None:
        try:
            return _Seen.model_validate_json((self.state_dir / f"{meeting_id}.json").read_bytes())
        except (OSError, ValidationError):
            return None  # never fetched, or a state file we cannot trust: download again

    def _remember(self, meeting: ListedMeeting, size: int, name: str, items: int) -> None:
        seen = _Seen(
            listing=meeting.entry.signature,
            size=size,
            file=name,
            items=items,
            fetched_at=datetime.now(UTC),
        )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # Not fsync'd: a lost state file only means the meeting is downloaded and compared again.
        state = seen.model_dump_json().encode()
        write_atomic(self.state_dir / f"{meeting.id}.json", state, durable=False)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _outcome(
    meeting: ListedMeeting, status: MeetingStatus, name: str, items: int
) -> FetchedMeeting:
    return FetchedMeeting(
        meeting_id=meeting.id,
        committee=meeting.committee,
        period=meeting.period,
        meeting_date=meeting.entry.day,
        name=meeting.entry.name,
        released=meeting.entry.released,
        status=status,
        file=name,
        items=items,
    )


def _failed(meeting: ListedMeeting, error: BaseException, file: str | None) -> FetchedMeeting:
    return FetchedMeeting(
        meeting_id=meeting.id,
        committee=meeting.committee,
        period=meeting.period,
        meeting_date=meeting.entry.day,
        name=meeting.entry.name,
        released=meeting.entry.released,
        status="failed",
        file=file,
        error_type=type(error).__name__,
        message=one_line(error),
    )


def _existing_files(target: Path) -> dict[str, list[str]]:
    """meeting id -> names of the meeting files already in `target`."""
    found: dict[str, list[str]] = {}
    for path in sorted(target.glob("*.json")):
        match = _FILE_ID.search(path.name)
        if match and path.is_file():
            found.setdefault(match.group(1), []).append(path.name)
    return found


def _output_dir(target: Path) -> Path:
    try:
        target.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UserError(f"{target}: not a directory") from None
    except OSError as exc:
        raise UserError(f"{target}: cannot create the directory ({exc.strerror or exc})") from None
    remove_temporaries(target)
    if (target / STATE_DIR).is_dir():
        remove_temporaries(target / STATE_DIR)
    return target


@contextmanager
def _portal(portal: str | PortalClient) -> Iterator[tuple[PortalClient, str | None]]:
    """The client to use and the municipality, closing a client made here."""
    if isinstance(portal, PortalClient):
        yield portal, municipality_of(portal.base_url)
        return
    base, municipality = resolve_portal(portal)
    client = PortalClient(base)
    try:
        yield client, municipality
    finally:
        client.close()


__all__ = ["FetchReport", "FetchedMeeting", "fetch", "meeting_file_name", "select", "slug"]

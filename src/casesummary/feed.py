"""sync(): a portal's agenda items as Prompt resultater, one JSON file per item, each made once.

    report = casesummary.sync("Hvidovre", "feed/", backend="openai:gpt-4o-mini",
                              since=date(2026, 5, 1))

`sync` runs `fetch` (casesummary.portal.mirror), then summarises only the items that are new or
whose text changed. The output directory is the web app's feed:

    <YYYY-MM-DD>_<committee-slug>_<meetingId>.json   each meeting as the portal served it
    results/<itemId>.json                           one FeedEntry per agenda item
    .casesummary/fetch/<meetingId>.json             what fetch saw of each meeting

A `FeedEntry` holds where the item is (portal, meeting, page URL, committee, date, number,
title), the item and prompt fingerprints it was made from, and its status: "ok" with the
CaseSummary and its provenance, "failed" with the typed SummaryFailure, or "skipped" with the
reason ("closed", "empty").

An item is summarised again only when its `AgendaItem.fingerprint` or the prompt's
`PromptTemplate.fingerprint(taxonomy)` differs from its result file's, so a second run with
nothing new makes no backend call. Failed items are tried again on the next run. Each result file
is written whole, then renamed, as its item finishes: a killed run leaves no half-written file
and resumes with the items it had not finished. Danish CPR numbers are masked in result files.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from casesummary._files import remove_temporaries, write_atomic
from casesummary.exceptions import CaseSummaryError, UserError, one_line
from casesummary.portal.client import PortalClient
from casesummary.portal.mirror import FetchedMeeting, FetchProgress, FetchReport, fetch
from casesummary.portal.urls import is_portal_id, item_page
from casesummary.prompt import PromptTemplate
from casesummary.redact import masked
from casesummary.result import CaseSummary, SummaryFailure
from casesummary.sources import load_items
from casesummary.summarizer import BackendArg, Summarizer, run_in_new_loop
from casesummary.taxonomy import Taxonomy

if TYPE_CHECKING:
    from casesummary.item import AgendaItem

#: Bumped when a FeedEntry's meaning changes (fields may be added without a bump).
FEED_FORMAT = 1
RESULTS_DIR = "results"

ItemStatus = Literal["summarised", "unchanged", "skipped", "failed", "superseded"]
SyncProgress = Callable[["ItemOutcome", int, int], None]


class FeedEntry(BaseModel):
    """One agenda item in the feed (`results/<itemId>.json`)."""

    model_config = ConfigDict(frozen=True)

    feed_format: int = FEED_FORMAT
    item_id: str
    meeting_id: str
    portal: str
    url: str  # the item on the portal's own page: {portal}/vis?id=M&punktid=I
    meeting_file: str
    municipality: str | None = None
    committee: str | None = None
    meeting_date: date | None = None
    meeting_name: str | None = None  # the portal's: "Dagsorden", "Referat", …
    number: str | None = None
    title: str
    item_fingerprint: str
    prompt_fingerprint: str
    status: Literal["ok", "failed", "skipped"]
    reason: Literal["closed", "empty"] | None = None
    result: CaseSummary | None = None
    failure: SummaryFailure | None = None
    updated_at: datetime


class ItemOutcome(BaseModel):
    """What this run did with one item."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    meeting_id: str
    title: str
    status: ItemStatus
    error_type: str | None = None
    message: str | None = None


class UnreadableMeeting(BaseModel):
    """A fetched meeting file whose items could not be read."""

    model_config = ConfigDict(frozen=True)

    meeting_id: str
    file: str
    error_type: str
    message: str


class SyncReport(BaseModel):
    """The fetch, and what became of every item of the fetched meetings."""

    model_config = ConfigDict(frozen=True)

    fetch: FetchReport
    results_dir: str
    items: list[ItemOutcome]
    unreadable: list[UnreadableMeeting] = []

    def count(self, status: ItemStatus) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def failed(self) -> list[ItemOutcome]:
        return [i for i in self.items if i.status == "failed"]

    @property
    def ok(self) -> bool:
        """Nothing failed: no meeting, no meeting file, no item."""
        return not (self.failed or self.unreadable or self.fetch.failed)

    def summary(self) -> str:
        """The closing line about the items."""
        line = (
            f"{len(self.items)} item{'' if len(self.items) == 1 else 's'}: "
            f"{self.count('summarised')} summarised, "
            f"{self.count('unchanged')} unchanged, {self.count('skipped')} skipped "
            f"(closed or empty), {self.count('failed')} failed"
        )
        if self.count("superseded"):
            line += f", {self.count('superseded')} listed again in a later meeting"
        if self.unreadable:
            line += f"; {len(self.unreadable)} meeting files unreadable"
        return line


def sync(
    portal: str | PortalClient,
    out: str | Path,
    *,
    backend: BackendArg = None,
    committee: str | None = None,
    since: date | None = None,
    until: date | None = None,
    prompt: str | PromptTemplate | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    concurrency: int = 4,
    force: bool = False,
    recheck: bool = False,
    fetch_progress: FetchProgress | None = None,
    progress: SyncProgress | None = None,
) -> SyncReport:
    """Fetch `portal` into `out`, then summarise every new or changed item into `out/results`.

    `backend`, `prompt` and `taxonomy` are as for `summarize` (backend: else
    $CASESUMMARY_BACKEND, else the offline baseline). `force` summarises every open item again
    (after changing backend, say); `recheck` is fetch's. Caller mistakes (an unknown backend,
    a broken prompt) are raised before anything is fetched; a failing item or meeting is
    recorded and the rest go on.
    """
    if concurrency < 1:
        raise UserError(f"concurrency must be at least 1, not {concurrency}")
    with Summarizer(backend, prompt=prompt, taxonomy=taxonomy) as summarizer:
        fetched = fetch(
            portal,
            out,
            committee=committee,
            since=since,
            until=until,
            recheck=recheck,
            progress=fetch_progress,
        )
        plan = _Plan(fetched, summarizer.prompt.fingerprint(summarizer.taxonomy), force)
        jobs = plan.build()
        outcomes = _Summaries(plan, jobs, summarizer, concurrency, progress).start()
    return SyncReport(
        fetch=fetched,
        results_dir=str(plan.results),
        items=outcomes,
        unreadable=plan.unreadable,
    )


# -- deciding what to do -------------------------------------------------------------------------


class _Job:
    """An item to summarise, and the entry its result goes into."""

    def __init__(self, item: AgendaItem, entry: dict[str, Any]) -> None:
        self.item = item
        self.entry = entry

    @property
    def item_id(self) -> str:
        return str(self.entry["item_id"])


class _Plan:
    """Reads the fetched meetings and settles every item that needs no backend call."""

    def __init__(self, fetched: FetchReport, prompt_fingerprint: str, force: bool) -> None:
        self.fetched = fetched
        self.target = Path(fetched.out)
        self.results = self.target / RESULTS_DIR
        self.prompt_fingerprint = prompt_fingerprint
        self.force = force
        self.unreadable: list[UnreadableMeeting] = []
        self.settled: list[ItemOutcome] = []  # the items that needed no backend call

    def build(self) -> list[_Job]:
        try:
            self.results.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"{self.results}: cannot create ({exc.strerror or exc})") from None
        remove_temporaries(self.results)
        candidates: dict[str, tuple[AgendaItem, dict[str, Any]]] = {}
        superseded: list[ItemOutcome] = []
        for meeting in sorted(self.fetched.meetings, key=_meeting_order):
            for item, entry in self._items(meeting):
                previous = candidates.get(entry["item_id"])
                if previous is not None:
                    superseded.append(_outcome(previous[1], "superseded"))
                candidates[entry["item_id"]] = (item, entry)
        self.settled = superseded
        jobs: list[_Job] = []
        for item, entry in candidates.values():
            outcome = self._settle(item, entry)
            if outcome is None:
                jobs.append(_Job(item, entry))
            else:
                self.settled.append(outcome)
        return jobs

    def _items(self, meeting: FetchedMeeting) -> list[tuple[AgendaItem, dict[str, Any]]]:
        """(item, entry fields) for every item of a fetched meeting's file."""
        if meeting.file is None:
            return []
        path = self.target / meeting.file
        try:
            raw = json.loads(path.read_bytes())
            entries = raw.get("Dagsordenpunkter") if isinstance(raw, dict) else None
            if not entries:
                return []
            items = load_items(path, municipality=self.fetched.municipality)
            if len(items) != len(entries):
                raise ValueError(f"{len(entries)} items in the file, {len(items)} parsed")
        except (OSError, ValueError, CaseSummaryError) as exc:
            self.unreadable.append(
                UnreadableMeeting(
                    meeting_id=meeting.meeting_id,
                    file=meeting.file,
                    error_type=type(exc).__name__,
                    message=one_line(exc),
                )
            )
            return []
        out = []
        for index, (entry, item) in enumerate(zip(entries, items, strict=True)):
            portal_id = str(entry.get("Id") or "").strip() if isinstance(entry, dict) else ""
            known = is_portal_id(portal_id)
            item_id = portal_id if known else f"{meeting.meeting_id}-{index + 1}"
            fields = {
                "item_id": item_id,
                "meeting_id": meeting.meeting_id,
                "portal": self.fetched.portal,
                "url": item_page(
                    self.fetched.portal, meeting.meeting_id, portal_id if known else None
                ),
                "meeting_file": meeting.file,
                "municipality": item.municipality,
                "committee": item.committee or meeting.committee,
                "meeting_date": item.meeting_date or meeting.meeting_date,
                "meeting_name": meeting.name,
                "number": item.number,
                "title": item.title,
                "item_fingerprint": item.fingerprint,
                "prompt_fingerprint": self.prompt_fingerprint,
            }
            out.append((item, fields))
        return out

    def _settle(self, item: AgendaItem, fields: dict[str, Any]) -> ItemOutcome | None:
        """The outcome of an item that needs no backend call (writing what must be written)."""
        existing = _read_entry(self.results / f"{fields['item_id']}.json")
        if not item.is_open or not item.has_text:
            reason = "closed" if not item.is_open else "empty"
            entry = {**fields, "status": "skipped", "reason": reason}
            if not _same(existing, entry):
                self.write(entry)
            return _outcome(fields, "skipped")
        if (
            existing is not None
            and not self.force
            and existing.status == "ok"
            and existing.item_fingerprint == item.fingerprint
            and existing.prompt_fingerprint == self.prompt_fingerprint
        ):
            entry = {**fields, "status": "ok", "result": existing.result}
            if not _same(existing, entry):
                self.write(entry)  # moved to another meeting or renamed: same summary
            return _outcome(fields, "unchanged")
        return None

    def write(self, entry: dict[str, Any]) -> None:
        record = FeedEntry(**entry, updated_at=datetime.now(UTC))
        text = masked(record).model_dump_json(indent=2) + "\n"
        write_atomic(self.results / f"{record.item_id}.json", text.encode("utf-8"))


def _same(existing: FeedEntry | None, entry: dict[str, Any]) -> bool:
    """Whether the file already says this (ignoring when it was written)."""
    if existing is None:
        return False
    fresh = FeedEntry(**entry, updated_at=existing.updated_at)
    return masked(fresh).model_dump_json() == existing.model_dump_json()


def _read_entry(path: Path) -> FeedEntry | None:
    try:
        return FeedEntry.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None  # none yet, or one we cannot trust: make it again


def _meeting_order(meeting: FetchedMeeting) -> tuple[date, float, str]:
    released = meeting.released.timestamp() if meeting.released is not None else 0.0
    return (meeting.meeting_date or date.min, released, meeting.file or "")


def _outcome(
    fields: dict[str, Any],
    status: ItemStatus,
    error_type: str | None = None,
    message: str | None = None,
) -> ItemOutcome:
    return ItemOutcome(
        item_id=fields["item_id"],
        meeting_id=fields["meeting_id"],
        title=fields["title"],
        status=status,
        error_type=error_type,
        message=message,
    )


# -- asking the backend --------------------------------------------------------------------------


class _Summaries:
    """Summarises the jobs `concurrency` at a time, writing each result as it finishes."""

    def __init__(
        self,
        plan: _Plan,
        jobs: list[_Job],
        summarizer: Summarizer,
        concurrency: int,
        progress: SyncProgress | None,
    ) -> None:
        self.plan = plan
        self.jobs = jobs
        self.summarizer = summarizer
        self.concurrency = concurrency
        self.progress = progress
        self.outcomes: list[ItemOutcome] = list(plan.settled)
        self.total = len(plan.settled) + len(jobs)

    def start(self) -> list[ItemOutcome]:
        for index, outcome in enumerate(self.plan.settled, 1):
            if self.progress is not None:
                self.progress(outcome, index, self.total)
        if self.jobs:
            run_in_new_loop(self._all(), self.summarizer.backend)
        return self.outcomes

    async def _all(self) -> None:
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one(job: _Job) -> None:
            async with semaphore:
                (result,) = await self.summarizer.asummarize_many([job.item], concurrency=1)
            self._record(job, result)

        await asyncio.gather(*(one(job) for job in self.jobs))

    def _record(self, job: _Job, result: CaseSummary | SummaryFailure) -> None:
        if isinstance(result, CaseSummary):
            self.plan.write({**job.entry, "status": "ok", "result": result})
            outcome = _outcome(job.entry, "summarised")
        else:
            self.plan.write({**job.entry, "status": "failed", "failure": result})
            outcome = _outcome(job.entry, "failed", result.error_type, result.message)
        self.outcomes.append(outcome)
        if self.progress is not None:
            self.progress(outcome, len(self.outcomes), self.total)


__all__ = [
    "FEED_FORMAT",
    "FeedEntry",
    "ItemOutcome",
    "SyncReport",
    "UnreadableMeeting",
    "sync",
]

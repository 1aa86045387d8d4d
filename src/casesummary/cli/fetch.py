"""`casesummary fetch PORTAL --out DIR`: every selected meeting as served, one JSON file each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from casesummary._progress import StepLog
from casesummary.exceptions import PortalError
from casesummary.portal.mirror import FetchedMeeting, FetchReport, fetch

DATE = click.DateTime(formats=["%Y-%m-%d"])
F = TypeVar("F", bound=Callable[..., Any])


def portal_options(function: F) -> F:
    """PORTAL, --out, --committee, --since, --until and --recheck: shared with `sync`."""
    for decorator in reversed(
        (
            click.argument("portal", metavar="PORTAL"),
            click.option(
                "--out",
                required=True,
                type=click.Path(path_type=Path, file_okay=False),
                help="Output directory for the meeting files (and results/); created if missing.",
            ),
            click.option(
                "--committee", metavar="TEXT", help="Only committees whose name contains TEXT."
            ),
            click.option("--since", type=DATE, help="First meeting date, YYYY-MM-DD."),
            click.option("--until", type=DATE, help="Last meeting date, YYYY-MM-DD."),
            click.option(
                "--recheck",
                is_flag=True,
                help="Download every selected meeting again and compare, even when the "
                "portal's listing of it has not changed.",
            ),
        )
    ):
        function = decorator(function)
    return function


@click.command(name="fetch")
@portal_options
def command(
    portal: str,
    out: Path,
    committee: str | None,
    since: datetime | None,
    until: datetime | None,
    recheck: bool,
) -> None:
    """Fetch the meetings of PORTAL (a base URL, or a municipality: see `casesummary portals`).

    Each meeting is written as the portal served it, to
    DIR/<YYYY-MM-DD>_<committee>_<meetingId>.json. A re-run skips meetings whose listing has not
    changed, and rewrites a meeting only when its bytes did. Meetings that fail are listed on
    stderr, the rest are kept, and the exit code is 1.
    """
    with StepLog("fetch", "meeting") as progress:
        report = fetch(
            portal,
            out,
            committee=committee,
            since=day(since),
            until=day(until),
            recheck=recheck,
            progress=lambda m, done, total: progress.step(done, total, describe(m)),
        )
    click.echo(f"fetch: {report.summary()}")
    fail_on_meetings(report)


def day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def describe(meeting: FetchedMeeting) -> str:
    """`2026-05-18 Økonomiudvalget (Dagsorden) 0cad2b4d-…: new, 24 items`."""
    when = meeting.meeting_date.isoformat() if meeting.meeting_date else "undated"
    kind = f" ({meeting.name})" if meeting.name else ""
    what = f"{meeting.status}, {meeting.items} items"
    if meeting.status == "failed":
        what = f"failed: {meeting.error_type}"
    return f"{when} {meeting.committee}{kind} {meeting.meeting_id}: {what}"


def fail_on_meetings(report: FetchReport) -> None:
    """One stderr line per failed meeting, then a run-time error (exit 1) if there were any."""
    for meeting in report.failed:
        when = meeting.meeting_date.isoformat() if meeting.meeting_date else "undated"
        click.echo(
            f"casesummary: error: meeting {meeting.meeting_id} ({meeting.committee}, {when}): "
            f"{meeting.error_type}: {meeting.message}",
            err=True,
        )
    if report.failed:
        raise PortalError(
            f"{len(report.failed)} of {len(report.meetings)} meetings could not be fetched",
            url=report.portal,
        )

"""`casesummary sync PORTAL --out DIR --backend SPEC`: fetch, then summarise the new and changed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from casesummary._progress import StepLog
from casesummary.backends.spec import ENV_VAR, resolve_spec
from casesummary.cli._options import prompt_and_taxonomy
from casesummary.cli.fetch import day, describe, fail_on_meetings, portal_options
from casesummary.exceptions import BackendError
from casesummary.feed import ItemOutcome, SyncReport, sync


@click.command(name="sync")
@portal_options
@click.option(
    "--backend",
    "backend_spec",
    metavar="SPEC",
    help="e.g. openai:gpt-4o-mini (default: $CASESUMMARY_BACKEND; `baseline` for the offline one).",
)
@prompt_and_taxonomy
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(min=1),
    help="Items summarised at once.",
)
@click.option(
    "--force", is_flag=True, help="Summarise every open item again (after changing backend, say)."
)
def command(
    portal: str,
    out: Path,
    committee: str | None,
    since: datetime | None,
    until: datetime | None,
    recheck: bool,
    backend_spec: str | None,
    prompt_spec: str | None,
    taxonomy_file: Path | None,
    concurrency: int,
    force: bool,
) -> None:
    """Fetch PORTAL into DIR, then summarise the items that are new or whose text changed.

    Each item gets DIR/results/<itemId>.json: its Prompt resultater with provenance, or the
    typed failure, or why it was skipped (closed, empty). Items whose text and prompt are
    unchanged since their result was made cost no backend call; failed items are tried again.
    The README's "Portals and the feed" section describes the layout.
    """
    spec, fell_back = resolve_spec(backend_spec)
    if fell_back:  # a feed is published: its backend is chosen, never defaulted
        raise click.UsageError(
            f"sync needs --backend SPEC (or ${ENV_VAR}); --backend baseline is the offline, "
            "extractive one"
        )
    with StepLog("fetch", "meeting") as fetching, StepLog("summarize", "item") as items:
        report = sync(
            portal,
            out,
            backend=spec,
            committee=committee,
            since=day(since),
            until=day(until),
            prompt=prompt_spec,
            taxonomy=taxonomy_file,
            concurrency=concurrency,
            force=force,
            recheck=recheck,
            fetch_progress=lambda m, done, total: fetching.step(done, total, describe(m)),
            progress=lambda i, done, total: items.step(done, total, _describe(i)),
        )
    click.echo(f"fetch: {report.fetch.summary()}")
    click.echo(f"sync: {report.summary()}")
    _fail(report)


def _describe(outcome: ItemOutcome) -> str:
    what = outcome.status if outcome.status != "failed" else f"failed: {outcome.error_type}"
    return f"{outcome.item_id} {outcome.title[:60]}: {what}"


def _fail(report: SyncReport) -> None:
    for item in report.failed:
        click.echo(
            f"casesummary: error: item {item.item_id} ({item.title[:80]}): "
            f"{item.error_type}: {item.message}",
            err=True,
        )
    for meeting in report.unreadable:
        click.echo(
            f"casesummary: error: {meeting.file}: {meeting.error_type}: {meeting.message}",
            err=True,
        )
    if report.fetch.failed:
        fail_on_meetings(report.fetch)
    if report.failed or report.unreadable:
        total = len(report.failed) + len(report.unreadable)
        raise BackendError(f"{total} items or meeting files could not be summarised")

"""`casesummary summarize FILE`: print the Prompt resultater block of each open item with text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from casesummary.backends.spec import FALLBACK_NOTICE
from casesummary.exceptions import BackendError, NothingToSummarize
from casesummary.item import AgendaItem
from casesummary.result import CaseSummary, SummaryFailure, answer_values
from casesummary.sources import load_items
from casesummary.summarizer import Summarizer, check_summarizable

SKIP_REASONS = {"closed": "lukket punkt", "empty": "ingen tekst"}


@click.command(name="summarize")
@click.argument("file", metavar="FILE")
@click.option(
    "--backend",
    "backend_spec",
    metavar="SPEC",
    help="e.g. openai:gpt-4o-mini (default: $CASESUMMARY_BACKEND, else the offline baseline).",
)
@click.option("--prompt", "prompt_spec", metavar="ID", help="summary, summary@1.0.0 or a .md file")
@click.option(
    "--taxonomy",
    "taxonomy_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Keyword taxonomy file (default: the shipped one).",
)
@click.option("--item", "item_number", metavar="N", help="Only the item with this number.")
@click.option("--json", "as_json", is_flag=True, help="Print CaseSummary JSON with provenance.")
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(min=1),
    help="Items of a meeting summarised at once.",
)
def command(
    file: str,
    backend_spec: str | None,
    prompt_spec: str | None,
    taxonomy_file: Path | None,
    item_number: str | None,
    as_json: bool,
    concurrency: int,
) -> None:
    """Summarise the agenda item(s) in FILE into Prompt resultater.

    A file with several items (a whole meeting) gets every open item with text summarised and
    the closed or empty ones reported as skipped; --item N picks one. With --json a single item
    prints one CaseSummary object, several print a list of {number, title, status, ...} entries.
    """
    items = load_items(file)
    if item_number is not None:
        items = _select(items, item_number)
    if not items:
        raise click.UsageError(f"{file}: no agenda items found")
    with Summarizer(backend_spec, prompt=prompt_spec, taxonomy=taxonomy_file) as summarizer:
        if summarizer.fell_back:
            click.echo(FALLBACK_NOTICE, err=True)
        if len(items) == 1:
            item = items[0]
            _check_single(item)
            result = summarizer.summarize(item)
            click.echo(_json(result.model_dump(mode="json")) if as_json else format_text(result))
            return
        todo = [i for i in items if i.is_open and i.has_text]
        results = summarizer.summarize_many(todo, concurrency=concurrency)
    outcomes: dict[int, CaseSummary | SummaryFailure] = {
        id(i): r for i, r in zip(todo, results, strict=True)
    }
    entries = [_entry(i, outcomes.get(id(i))) for i in items]
    if as_json:
        click.echo(_json(entries))
    else:
        click.echo(_meeting_text(items, outcomes))
    failed = [e for e in entries if e["status"] == "failed"]
    for entry in failed:
        click.echo(
            f"casesummary: error: item {entry['number'] or '?'} ({entry['title']}): "
            f"{entry['error_type']}: {entry['message']}",
            err=True,
        )
    if failed:
        raise BackendError(f"{len(failed)} of {len(todo)} items could not be summarised")


def _select(items: list[AgendaItem], number: str) -> list[AgendaItem]:
    chosen = [i for i in items if (i.number or "").strip() == number.strip()]
    if not chosen:
        numbers = ", ".join(i.number for i in items if i.number) or "none"
        raise click.UsageError(f"no item number {number!r} (numbers in the file: {numbers})")
    return chosen[:1]


def _check_single(item: AgendaItem) -> None:
    try:
        check_summarizable(item)
    except NothingToSummarize as exc:
        why = "it is closed" if exc.reason == "closed" else "it has no text"
        raise click.UsageError(f"nothing to summarise in {item.title!r}: {why}") from None


def _entry(item: AgendaItem, outcome: CaseSummary | SummaryFailure | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"number": item.number, "title": item.title}
    if outcome is None:
        reason = "closed" if not item.is_open else "empty"
        return {**entry, "status": "skipped", "reason": reason}
    if isinstance(outcome, CaseSummary):
        return {**entry, "status": "ok", "result": outcome.model_dump(mode="json")}
    return {
        **entry,
        "status": "failed",
        "error_type": outcome.error_type,
        "message": outcome.message,
    }


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def format_text(result: CaseSummary) -> str:
    """The Prompt resultater block as the portals show it, then disclosure and provenance."""
    lines = ["Prompt resultater", ""]
    for spec, values in answer_values(result):
        shown = [f"  • {v}" for v in values] if spec.is_list else values
        lines += [spec.label, "", *shown, ""]
    lines += [result.disclosure, provenance_line(result)]
    return "\n".join(lines)


def provenance_line(result: CaseSummary) -> str:
    """One line saying which prompt and model wrote the text, and at what cost."""
    p = result.provenance
    kind = ", udtræk" if p.extractive else ""
    return (
        f"[{p.prompt_id}@{p.prompt_version} · {p.backend}/{p.model}{kind} · "
        f"forsøg: {p.attempts} · tokens: {p.usage.input_tokens} ind, {p.usage.output_tokens} ud]"
    )


def _meeting_text(
    items: list[AgendaItem], outcomes: dict[int, CaseSummary | SummaryFailure]
) -> str:
    blocks: list[str] = []
    for item in items:
        heading = f"Punkt {item.number}: {item.title}" if item.number else item.title
        outcome = outcomes.get(id(item))
        if outcome is None:
            reason = SKIP_REASONS["closed" if not item.is_open else "empty"]
            blocks.append(f"{heading}\n(sprunget over: {reason})")
        elif isinstance(outcome, CaseSummary):
            blocks.append(f"{heading}\n\n{format_text(outcome)}")
        else:
            blocks.append(f"{heading}\n(fejl: {outcome.error_type})")
    return "\n\n\n".join(blocks)

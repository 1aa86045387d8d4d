"""`casesummary summarize FILE`: print the Prompt resultater block of each open item with text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from casesummary.item import AgendaItem
    from casesummary.result import CaseSummary, SummaryFailure

SKIP_REASONS = {"closed": "lukket punkt", "empty": "ingen tekst"}


@click.command(name="summarize")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
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
@click.option(
    "--max-input-tokens",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Token budget for the item text, replacing the prompt's (a context= window caps it).",
)
def command(
    file: Path,
    backend_spec: str | None,
    prompt_spec: str | None,
    taxonomy_file: Path | None,
    item_number: str | None,
    as_json: bool,
    concurrency: int,
    max_input_tokens: int | None,
) -> None:
    """Summarise the agenda item(s) in FILE into Prompt resultater.

    A file with several items (a whole meeting) gets every open item with text summarised and
    the closed or empty ones reported as skipped; --item N picks one. With --json a single item
    prints one CaseSummary object, several print a list of {number, title, status, ...} entries.
    """
    from casesummary.backends.registry import get_backend, resolve_backend_spec
    from casesummary.prompt import load_prompt
    from casesummary.sources import load_items
    from casesummary.summarizer import summarize, summarize_many
    from casesummary.taxonomy import load_taxonomy

    items = load_items(file)
    if item_number is not None:
        items = _select(items, item_number)
    if not items:
        raise click.UsageError(f"{file}: no agenda items found")
    prompt = load_prompt(prompt_spec)
    taxonomy = load_taxonomy(taxonomy_file)
    spec, notice = resolve_backend_spec(backend_spec)
    backend = get_backend(spec)
    if notice:
        click.echo(notice, err=True)

    if len(items) == 1:
        item = items[0]
        _check_single(item)
        result = summarize(
            item,
            backend=backend,
            prompt=prompt,
            taxonomy=taxonomy,
            max_input_tokens=max_input_tokens,
        )
        click.echo(_json(result.model_dump(mode="json")) if as_json else format_text(result))
        return

    todo = [i for i in items if i.is_open and i.has_text]
    results = summarize_many(
        todo,
        backend=backend,
        prompt=prompt,
        taxonomy=taxonomy,
        concurrency=concurrency,
        max_input_tokens=max_input_tokens,
    )
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
        from casesummary.exceptions import BackendError

        raise BackendError(f"{len(failed)} of {len(todo)} items could not be summarised")


def _select(items: list[AgendaItem], number: str) -> list[AgendaItem]:
    chosen = [i for i in items if (i.number or "").strip() == number.strip()]
    if not chosen:
        numbers = ", ".join(i.number for i in items if i.number) or "none"
        raise click.UsageError(f"no item number {number!r} (numbers in the file: {numbers})")
    return chosen[:1]


def _check_single(item: AgendaItem) -> None:
    from casesummary.exceptions import NothingToSummarize
    from casesummary.summarizer import check_summarizable

    try:
        check_summarizable(item)
    except NothingToSummarize as exc:
        why = "it is closed" if exc.reason == "closed" else "it has no text"
        raise click.UsageError(f"nothing to summarise in {item.title!r}: {why}") from None


def _entry(item: AgendaItem, outcome: CaseSummary | SummaryFailure | None) -> dict[str, Any]:
    from casesummary.result import CaseSummary

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
    from casesummary.result import LABELS

    lines = ["Prompt resultater", "", LABELS["question"], "", result.question, ""]
    lines += [LABELS["summary"], "", result.summary, ""]
    for field, values in (("pros", result.pros), ("cons", result.cons)):
        lines += [LABELS[field], "", *(f"  • {v}" for v in values), ""]
    lines += [LABELS["keywords"], "", *(f"  • {k}" for k in result.keywords), ""]
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
    from casesummary.result import CaseSummary

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

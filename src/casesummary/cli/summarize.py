"""`casesummary summarize FILE...`: the Prompt resultater block of each open item with text."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from casesummary._progress import Progress
from casesummary.backends.spec import FALLBACK_NOTICE
from casesummary.cli._evidence import format_evidence
from casesummary.cli._inputs import reading
from casesummary.cli._options import prompt_and_taxonomy
from casesummary.exceptions import BackendError, NothingToSummarize
from casesummary.grounding import GROUNDING_LEVELS, GroundingLevel
from casesummary.item import AgendaItem
from casesummary.result import CaseSummary, SummaryFailure, answer_values
from casesummary.summarizer import OnResult, Summarizer, check_summarizable

SKIP_REASONS = {"closed": "lukket punkt", "empty": "ingen tekst"}


@click.command(name="summarize")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--backend",
    "backend_spec",
    metavar="SPEC",
    help="e.g. openai:gpt-4o-mini (default: $CASESUMMARY_BACKEND, else the offline baseline).",
)
@prompt_and_taxonomy
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
    "--evidence",
    "show_evidence",
    is_flag=True,
    help="Print the quote behind each claim under the block (a prompt that asks for quotes).",
)
@click.option(
    "--grounding",
    type=click.Choice(GROUNDING_LEVELS),
    default=None,
    help="How strictly numbers, dates (all: and names) must occur in the item "
    "(default: the prompt's).",
)
@click.option(
    "--max-input-tokens",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Token budget for the item text, replacing the prompt's (a context= window caps it).",
)
@click.option(
    "--jsonl",
    "as_jsonl",
    is_flag=True,
    help="Print one JSON entry per line as each item finishes (kept if the run is stopped).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def command(
    files: tuple[str, ...],
    backend_spec: str | None,
    prompt_spec: str | None,
    taxonomy_file: Path | None,
    item_number: str | None,
    as_json: bool,
    concurrency: int,
    show_evidence: bool,
    grounding: GroundingLevel | None,
    max_input_tokens: int | None,
    as_jsonl: bool,
    quiet: bool,
) -> None:
    """Summarise the agenda item(s) in each FILE, or at a portal address, into Prompt resultater.

    A FILE may be a directory (every file in it) or '-' (stdin). One item prints its block
    (with --json one CaseSummary object). Several items (a whole meeting, several files) get
    every open item with text summarised and the closed or empty ones reported as skipped;
    --json prints a list of {number, title, status, ...} entries, --jsonl one entry per line as
    each item finishes. --item N picks one item of a single FILE.
    """
    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl exclude each other")
    if item_number is not None and len(files) != 1:
        raise click.UsageError("--item needs exactly one FILE")
    with reading(files) as loaded:
        inputs = loaded.inputs
        several = loaded.several
        items = [(loaded.name, item) for loaded in inputs for item in loaded.items]
        if item_number is not None:
            items = [(inputs[0].name, item) for item in _select(inputs[0].items, item_number)]
        if not items:
            raise click.UsageError(f"{', '.join(files)}: no agenda items found")
        with Summarizer(
            backend_spec,
            prompt=prompt_spec,
            taxonomy=taxonomy_file,
            grounding=grounding,
            max_input_tokens=max_input_tokens,
        ) as summarizer:
            if show_evidence and not summarizer.prompt.evidence:
                raise click.UsageError(
                    f"--evidence needs a prompt that asks for quotes; {summarizer.prompt.spec} "
                    "does not (try --prompt summary@2)"
                )
            if summarizer.fell_back:
                click.echo(FALLBACK_NOTICE, err=True)
            if len(items) == 1 and not as_jsonl:
                item = items[0][1]
                _check_single(item)
                with Progress(1, desc="summarize", unit="item", enabled=not quiet) as progress:
                    result = summarizer.summarize(item)
                    progress.update()
                if as_json:
                    click.echo(_json(result.model_dump(mode="json")))
                else:
                    click.echo(_with_evidence(result, show_evidence))
                return
            todo = [(name, item) for name, item in items if item.is_open and item.has_text]
            if as_jsonl:
                for name, item in items:
                    if not (item.is_open and item.has_text):
                        _print_line(_entry(item, None, name if several else None))

            def stream(position: int, outcome: CaseSummary | SummaryFailure) -> None:
                name, item = todo[position]
                _print_line(_entry(item, outcome, name if several else None))

            with Progress(len(todo), desc="summarize", unit="item", enabled=not quiet) as progress:
                results = summarizer.summarize_many(
                    [item for _, item in todo],
                    concurrency=concurrency,
                    on_result=_counted(progress, stream if as_jsonl else None),
                )
        outcomes: dict[int, CaseSummary | SummaryFailure] = {
            id(item): r for (_, item), r in zip(todo, results, strict=True)
        }
        entries = [_entry(i, outcomes.get(id(i)), name if several else None) for name, i in items]
        if as_json:
            click.echo(_json(entries))
        elif not as_jsonl:
            click.echo(_many_text(items, outcomes, several=several, show_evidence=show_evidence))
        failed = [e for e in entries if e["status"] == "failed"]
        for entry in failed:
            where = f"{entry['file']}: " if several else ""
            click.echo(
                f"casesummary: error: {where}item {entry['number'] or '?'} ({entry['title']}): "
                f"{entry['error_type']}: {entry['message']}",
                err=True,
            )
        if failed:
            raise BackendError(f"{len(failed)} of {len(todo)} items could not be summarised")


def _counted(
    progress: Progress, then: OnResult | None
) -> Callable[[int, CaseSummary | SummaryFailure], None]:
    """An on_result callback that counts each outcome on `progress`, after passing it on."""

    def callback(position: int, outcome: CaseSummary | SummaryFailure) -> None:
        if then is not None:
            then(position, outcome)
        progress.update(failed=isinstance(outcome, SummaryFailure))

    return callback


def _print_line(entry: dict[str, Any]) -> None:
    """One JSON entry on one line, flushed at once (a stopped run keeps every finished line)."""
    click.echo(json.dumps(entry, ensure_ascii=False))
    sys.stdout.flush()


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


def _entry(
    item: AgendaItem, outcome: CaseSummary | SummaryFailure | None, file: str | None = None
) -> dict[str, Any]:
    """One item's line of the --json list and of --jsonl (the shapes the README documents)."""
    entry: dict[str, Any] = {"file": file} if file is not None else {}
    entry.update({"number": item.number, "title": item.title})
    if outcome is None:
        reason = "closed" if not item.is_open else "empty"
        return {**entry, "status": "skipped", "reason": reason}
    if isinstance(outcome, CaseSummary):
        return {**entry, "status": "ok", "result": outcome.model_dump(mode="json")}
    return {
        **entry,
        "status": "failed",
        "reason": outcome.reason,
        "error_type": outcome.error_type,
        "message": outcome.message,
        "attempts": outcome.attempts,
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


def _with_evidence(result: CaseSummary, show: bool) -> str:
    """The block, and with `show` the quotes under it."""
    text = format_text(result)
    return f"{text}\n\n{format_evidence(result)}" if show else text


def _many_text(
    items: list[tuple[str, AgendaItem]],
    outcomes: dict[int, CaseSummary | SummaryFailure],
    *,
    several: bool,
    show_evidence: bool = False,
) -> str:
    """Each item's block under its heading; with several inputs, each input under its name."""
    blocks: list[str] = []
    shown: str | None = None
    for name, item in items:
        if several and name != shown:
            blocks.append(f"=== {name} ===")
            shown = name
        heading = f"Punkt {item.number}: {item.title}" if item.number else item.title
        outcome = outcomes.get(id(item))
        if outcome is None:
            reason = SKIP_REASONS["closed" if not item.is_open else "empty"]
            blocks.append(f"{heading}\n(sprunget over: {reason})")
        elif isinstance(outcome, CaseSummary):
            blocks.append(f"{heading}\n\n{_with_evidence(outcome, show_evidence)}")
        else:
            blocks.append(f"{heading}\n(fejl: {outcome.error_type})")
    return "\n\n\n".join(blocks)

"""`casesummary batch submit|status|collect`: bulk summaries through the providers' Batch APIs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from casesummary.batch.collection import collect, status
from casesummary.batch.submission import submit
from casesummary.cli._options import prompt_and_taxonomy

if TYPE_CHECKING:
    from casesummary.batch.state import BatchState


@click.group(name="batch")
def command() -> None:
    """Summarise many items through the OpenAI Batch API or Azure OpenAI Global Batch.

    Half price, answered within 24 hours. `submit` estimates the cost and submits, `status`
    shows each batch, `collect` downloads, validates, follows up and writes results.jsonl.
    """


@command.command(name="submit")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--backend",
    "backend_spec",
    required=True,
    metavar="SPEC",
    help="openai:MODEL or azure:DEPLOYMENT (a global batch deployment).",
)
@click.option(
    "--state",
    "state_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="State directory: new, or the one of a submit to continue.",
)
@prompt_and_taxonomy
@click.option(
    "--max-rounds",
    default=2,
    show_default=True,
    type=click.IntRange(min=0),
    help="Follow-up batches for invalid answers and unfinished requests.",
)
@click.option("--yes", "-y", is_flag=True, help="Submit without asking.")
def submit_command(
    inputs: tuple[Path, ...],
    backend_spec: str,
    state_dir: Path,
    prompt_spec: str | None,
    taxonomy_file: Path | None,
    max_rounds: int,
    yes: bool,
) -> None:
    """Submit every agenda item in INPUTS (files or directories) as batches.

    Prints the estimated tokens and cost at batch prices and asks before anything is
    uploaded (unless --yes). Run it again on the same --state to continue a submit that was
    stopped; nothing is submitted twice.
    """

    def confirm(state: BatchState) -> bool:
        click.echo(estimate_text(state))
        if yes:
            return True
        if not sys.stdin.isatty():
            click.echo(
                "casesummary: not submitted: pass --yes to submit without a terminal to ask on",
                err=True,
            )
            return False
        return click.confirm("Submit?", default=False)

    state = submit(
        list(inputs),
        backend=backend_spec,
        state_dir=state_dir,
        prompt=prompt_spec,
        taxonomy=taxonomy_file,
        confirm=confirm,
        max_rounds=max_rounds,
    )
    if state.phase == "prepared":
        click.echo(f"not submitted; the request files are in {state_dir} (run again to submit)")
        return
    click.echo(status_text(state))
    click.echo(f"collect with: casesummary batch collect {state_dir} --wait")


@command.command(name="status")
@click.argument("state_dir", type=click.Path(path_type=Path, file_okay=False))
def status_command(state_dir: Path) -> None:
    """Show each batch of STATE_DIR: its status and request counts."""
    click.echo(status_text(status(state_dir)))


@command.command(name="collect")
@click.argument("state_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--wait", is_flag=True, help="Poll until every batch is done and results written.")
@click.option(
    "--poll-interval",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="S",
    help="Seconds between polls with --wait.",
)
@click.option(
    "--finish-direct",
    is_flag=True,
    help="Finish invalid answers and unfinished requests through the normal API.",
)
def collect_command(state_dir: Path, wait: bool, poll_interval: float, finish_direct: bool) -> None:
    """Download the finished batches of STATE_DIR, validate and follow up; write results.jsonl."""
    result = collect(
        state_dir,
        wait=wait,
        poll_interval=poll_interval,
        finish_direct=finish_direct,
        progress=lambda line: click.echo(line, err=True),
    )
    click.echo(status_text(result.state))
    if result.done:
        click.echo(f"results: {result.results} ({result.ok} ok, {result.failed} failed)")
    else:
        click.echo("not finished yet: run collect again later, or with --wait")


def estimate_text(state: BatchState) -> str:
    """The estimate a submit prints before asking."""
    estimate = state.estimate
    cost = "unknown (no batch price for this model)"
    if estimate.cost_usd is not None:
        cost = f"at most ${estimate.cost_usd:.2f} at batch prices"
    parts = len(state.parts)
    return "\n".join(
        [
            f"{state.items} items: {estimate.requests} requests in {parts} file(s), "
            f"{state.skipped} skipped (closed or empty)",
            f"input tokens:  about {estimate.input_tokens:,} (estimated, o200k_base)",
            f"output tokens: at most {estimate.max_output_tokens:,} (max_tokens per request)",
            f"cost: {cost} ({state.backend})",
        ]
    )


def status_text(state: BatchState) -> str:
    """Each part's batches, one line each."""
    lines = [f"{state.backend} · {state.items} items · {state.phase}"]
    for part in state.parts:
        for rnd in part.rounds:
            counts = rnd.counts
            done = ""
            if counts is not None:
                done = f" {counts.completed}/{counts.total} done, {counts.failed} failed"
            where = (rnd.batch.id or "not submitted") if rnd.via == "batch" else "direct"
            status = rnd.status or ("finished" if rnd.via == "direct" else "pending")
            lines.append(
                f"  part {part.index} round {rnd.round}: {where} {status}{done}"
                f" ({rnd.requests} requests)"
            )
    return "\n".join(lines)

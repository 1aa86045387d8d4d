"""`casesummary compare RUN_A RUN_B`: what changed from one eval run to another, worst first."""

from __future__ import annotations

from pathlib import Path

import click

from casesummary.eval.compare import DEFAULT_CASE_METRICS, compare_runs, format_comparison


@click.command(name="compare")
@click.argument("run_a", type=click.Path(path_type=Path))
@click.argument("run_b", type=click.Path(path_type=Path))
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    metavar="NAME",
    help="Show this metric's delta per case (repeatable; default: similarity and pass_rate).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole comparison as JSON.")
def command(run_a: Path, run_b: Path, metrics: tuple[str, ...], as_json: bool) -> None:
    """Compare two eval runs: B − A per metric with paired 95 % CIs, then per case, worst first."""
    comparison = compare_runs(run_a, run_b)
    if as_json:
        click.echo(comparison.model_dump_json(indent=2))
        return
    known = [m.metric for m in comparison.metrics]
    unknown = [m for m in metrics if m not in known]
    if unknown:
        raise click.UsageError(
            f"--metric: unknown metric {unknown[0]!r} (known: {', '.join(known)})"
        )
    text = format_comparison(comparison, metrics=metrics or DEFAULT_CASE_METRICS)
    click.echo(text, nl=False)

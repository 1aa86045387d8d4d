"""`casesummary summarize` (not written yet)."""

from __future__ import annotations

import click


@click.command(name="summarize")
def command() -> None:
    """Not available yet."""
    raise click.UsageError("'summarize' is not available yet")

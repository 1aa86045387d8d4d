"""`casesummary eval` (not written yet)."""

from __future__ import annotations

import click


@click.command(name="eval")
def command() -> None:
    """Not available yet."""
    raise click.UsageError("'eval' is not available yet")

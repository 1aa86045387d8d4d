"""`casesummary compare` (not written yet)."""

from __future__ import annotations

import click


@click.command(name="compare")
def command() -> None:
    """Not available yet."""
    raise click.UsageError("'compare' is not available yet")

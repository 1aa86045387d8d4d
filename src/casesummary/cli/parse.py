"""`casesummary parse` (not written yet)."""

from __future__ import annotations

import click


@click.command(name="parse")
def command() -> None:
    """Not available yet."""
    raise click.UsageError("'parse' is not available yet")

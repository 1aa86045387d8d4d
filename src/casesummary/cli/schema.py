"""`casesummary schema` (not written yet)."""

from __future__ import annotations

import click


@click.command(name="schema")
def command() -> None:
    """Not available yet."""
    raise click.UsageError("'schema' is not available yet")

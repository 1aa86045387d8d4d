"""`casesummary portals`: the municipalities whose portal `fetch` and `sync` know by name."""

from __future__ import annotations

import json

import click

from casesummary.portal.known import known_portals


@click.command(name="portals")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def command(as_json: bool) -> None:
    """List the known FirstAgenda portals (any other portal works by its URL)."""
    portals = known_portals()
    if as_json:
        payload = [p.model_dump() for p in portals]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    width = max(len(p.municipality) for p in portals)
    url_width = max(len(p.url) for p in portals)
    for p in portals:
        click.echo(f"{p.municipality:<{width}}  {p.url:<{url_width}}  ({p.source})")

"""`casesummary parse FILE`: show the agenda item(s) a file holds, as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from casesummary.item import AgendaItem
from casesummary.portal.urls import is_url
from casesummary.sources import parse_source


@click.command(name="parse")
@click.argument("file", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of item objects.")
@click.option("--municipality", metavar="NAME", help="The municipality, if the file does not say.")
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    help="Read FILE as this format instead of detecting it (see the formats in --help).",
)
def command(file: str, as_json: bool, municipality: str | None, format_name: str | None) -> None:
    """Parse FILE and show its agenda items; the format is detected from the content.

    Formats: firstagenda-item, firstagenda-meeting (portal JSON), firstagenda-page (portal
    HTML), firstagenda-pdf, sbsys-xml, edoc-xml, acadre-xml, minutes-text, item-text, and
    any installed source plugin. '-' reads stdin. FILE may also be a portal address:
    https://HOST/vis?id=MEETING[&punktid=ITEM].
    """
    source: Path | bytes | str = sys.stdin.buffer.read() if file == "-" else Path(file)
    if is_url(file):
        source = file  # a portal address: fetched by load_items
    parsed = parse_source(source, municipality=municipality, format=format_name)
    items = parsed.items
    if as_json:
        payload = [item.model_dump(mode="json") for item in items]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    how = "forced" if format_name else "detected"
    count = f"{len(items)} item" + ("" if len(items) == 1 else "s")
    click.echo(f"Format: {parsed.format} ({how}), {count}\n")
    click.echo("\n\n".join(_describe(item) for item in items))


def _describe(item: AgendaItem) -> str:
    """A readable view: title, the facts about the item, then each section under its heading."""
    number = f"Punkt {item.number}: " if item.number else ""
    lines = [f"{number}{item.title}"]
    facts = [
        ("Kommune", item.municipality),
        ("Udvalg", item.committee),
        ("Mødedato", item.meeting_date.isoformat() if item.meeting_date else None),
        ("Mødested", item.meeting_place),
        ("Sagstype", item.case_type),
        ("Sagsnr.", item.case_number),
        ("Format", item.source_format.value),
    ]
    lines += [f"  {label}: {value}" for label, value in facts if value]
    lines.append(f"  Åben: {'ja' if item.is_open else 'nej (lukket punkt)'}")
    if not item.sections:
        lines.append("  (ingen tekst)")
    for section in item.sections:
        lines += ["", f"== {section.heading} [{section.kind.value}] ==", section.text]
    if item.attachments:
        lines += ["", "== Bilag =="]
        lines += [f"- {a.title}" for a in item.attachments]
    return "\n".join(lines)

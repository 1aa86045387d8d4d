"""`casesummary parse FILE...`: show the agenda item(s) each input holds, as text or JSON."""

from __future__ import annotations

import json

import click

from casesummary.cli._inputs import reading
from casesummary.item import AgendaItem


@click.command(name="parse")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of item objects.")
@click.option("--municipality", metavar="NAME", help="The municipality, if the file does not say.")
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    help="Read FILE as this format instead of detecting it (see the formats in --help).",
)
def command(
    files: tuple[str, ...], as_json: bool, municipality: str | None, format_name: str | None
) -> None:
    """Parse each FILE and show its agenda items; the format is detected from the content.

    Formats: firstagenda-item, firstagenda-meeting (portal JSON), firstagenda-page (portal
    HTML), firstagenda-pdf, sbsys-xml, edoc-xml, acadre-xml, minutes-text, item-text, and
    any installed source plugin. A FILE may be a directory (every file in it), '-' (stdin) or
    a portal address: https://HOST/vis?id=MEETING[&punktid=ITEM]. Several inputs print their
    items in the order given.
    """
    with reading(files, municipality=municipality, format=format_name) as loaded_inputs:
        inputs = loaded_inputs.inputs
        if as_json:
            payload = [item.model_dump(mode="json") for i in inputs for item in i.items]
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        how = "forced" if format_name else "detected"
        blocks = []
        several = loaded_inputs.several
        for loaded in inputs:
            count = f"{len(loaded.items)} item" + ("" if len(loaded.items) == 1 else "s")
            text = f"Format: {loaded.format} ({how}), {count}\n\n" + "\n\n".join(
                _describe(item) for item in loaded.items
            )
            blocks.append(f"=== {loaded.name} ===\n\n{text}" if several else text)
        click.echo("\n\n".join(blocks))


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

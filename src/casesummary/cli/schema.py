"""`casesummary schema`: print the JSON Schema of a published result, or of the model's answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from casesummary.prompt import load_prompt
from casesummary.result import CaseSummary
from casesummary.taxonomy import load_taxonomy
from casesummary.validation import answer_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def case_summary_schema() -> dict[str, Any]:
    """The JSON Schema of `CaseSummary` as serialised: what the web app reads (with the optional
    `evidence` and `citations` a prompt that asks for quotes adds)."""
    return {"$schema": DRAFT, **CaseSummary.model_json_schema(mode="serialization")}


@click.command(name="schema")
@click.option(
    "--answer",
    is_flag=True,
    help="Print the schema of the model's answer (keywords limited to the taxonomy) instead.",
)
@click.option(
    "--taxonomy",
    "taxonomy_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Taxonomy file for --answer (default: the shipped one).",
)
@click.option(
    "--prompt",
    "prompt_spec",
    metavar="ID",
    help="Prompt for --answer (default: the latest summary); it decides whether the answer "
    "carries evidence.",
)
def command(answer: bool, taxonomy_file: Path | None, prompt_spec: str | None) -> None:
    """Print the JSON Schema of a CaseSummary (the published result, with provenance)."""
    if answer:
        prompt = load_prompt(prompt_spec)
        taxonomy = load_taxonomy(taxonomy_file)
        schema = {"$schema": DRAFT, **answer_schema(taxonomy, evidence=prompt.evidence)}
    else:
        if taxonomy_file is not None or prompt_spec is not None:
            raise click.UsageError("--taxonomy and --prompt only apply together with --answer")
        schema = case_summary_schema()
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))

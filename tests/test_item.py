"""AgendaItem: the fingerprint is stable across formatting and changes with content."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from casesummary import load_item
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat, content_fingerprint

ODENSE = "odense-beu-2025-pejlemaerker.item.json"


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def test_fingerprint_ignores_key_order_and_json_layout(fixtures_dir: Path) -> None:
    raw = json.loads((fixtures_dir / ODENSE).read_text(encoding="utf-8"))
    base = load_item(raw).fingerprint
    for seed in range(3):
        reordered = json.dumps(
            _shuffled(raw, random.Random(seed)), indent=seed, ensure_ascii=seed == 1
        )
        assert load_item(reordered).fingerprint == base


def test_fingerprint_ignores_whitespace_in_the_html(fixtures_dir: Path) -> None:
    raw = json.loads((fixtures_dir / ODENSE).read_text(encoding="utf-8"))
    base = load_item(raw).fingerprint
    spaced = json.loads(json.dumps(raw))
    spaced["Felter"][0]["Html"] = spaced["Felter"][0]["Html"].replace(" ", "  \r\n ")
    assert load_item(spaced).fingerprint == base


def test_fingerprint_changes_with_content(fixtures_dir: Path) -> None:
    raw = json.loads((fixtures_dir / ODENSE).read_text(encoding="utf-8"))
    base = load_item(raw).fingerprint
    changed = json.loads(json.dumps(raw))
    changed["Felter"][0]["Html"] = changed["Felter"][0]["Html"].replace("syv", "otte", 1)
    assert load_item(changed).fingerprint != base


def test_fingerprint_ignores_source_format_but_not_fields() -> None:
    sections = (
        Section(heading="Indstilling", kind=SectionKind.RECOMMENDATION, text="At  godkende."),
    )
    a = AgendaItem(source_format=SourceFormat.ITEM_TEXT, title="Budget", sections=sections)
    b = AgendaItem(source_format=SourceFormat.MINUTES_TEXT, title=" Budget ", sections=sections)
    c = AgendaItem(source_format=SourceFormat.ITEM_TEXT, title="Budget", is_open=False)
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert a.fingerprint == content_fingerprint(a.content())
    assert len(a.fingerprint) == 64


def test_section_lookup_and_has_text() -> None:
    item = AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Budget",
        sections=(Section(heading="Økonomi", kind=SectionKind.ECONOMY, text="Ingen."),),
    )
    assert item.section(SectionKind.ECONOMY) is item.sections[0]
    assert item.section(SectionKind.SUMMARY) is None
    assert item.has_text
    assert not AgendaItem(source_format=SourceFormat.ITEM_TEXT, title="Tom").has_text

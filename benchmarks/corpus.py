"""The items the token figures are measured over, each with the floor it is measured against.

The floor is what a person reading the item sees, taken from the raw source and never from the
parser under test (else the ratio would be circular):

- portal JSON: the title (`Navn`/`Caption`) and the visible text of each field's HTML, read with
  selectolax's plain `text()` after removing `<title>`, `<meta>`, `<style>` and `<script>` and
  marking a line break around each block element (as a browser lays them out: without it,
  words of adjacent paragraphs would run together);
- minutes text: the lines from the item's "Punkt N:" line up to the next "Punkt" line, without
  its closing "Bilag" list (attachments are documents, not the item's text: the portal JSON's
  floor leaves its `Bilag` out too);
- item text: the whole file;
- a PDF: PDFium's own text of the pages after the first (the meeting's front page), with the
  hyphens PDFium itself joined at line ends, without the closing "Bilag" list;
- a portal page: the title and the visible text of each row's `.details` (plain `text()`),
  without the attachment list;
- SBSYS, eDoc and Acadre XML: the item's title and the visible text of every field the export
  carries for it (`Content`, `FullText` less its "Bilag" lines, `CasePresentation/Content`,
  `bulletcontent`).

Whitespace in the floor is folded: one space inside a line, one newline between lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casesummary.item import AgendaItem

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIXTURE_ITEM = DATA / "fixtures" / "odense-beu-2025-pejlemaerker.item.json"
FIXTURE_MEETING = DATA / "fixtures" / "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
GOLDEN = ROOT / "golden"

_INVISIBLE = "title, meta, style, script"
# Elements a browser lays out on their own lines (CSS display: block, list-item, table-row), and
# table cells, which it separates by a tab: as HTML's innerText does.
_LINES = (
    "address, article, aside, blockquote, br, center, dd, div, dl, dt, figcaption, figure, "
    "footer, h1, h2, h3, h4, h5, h6, header, hr, li, main, nav, ol, p, pre, section, table, "
    "tr, ul, caption"
)
_CELLS = "td, th"
_PUNKT = re.compile(r"^[ \t]*Punkt[ \t]+(\d{1,4}[a-zA-Z]?)[ \t]*:", re.MULTILINE)


@dataclass(frozen=True)
class CorpusItem:
    """One item: its parsed form, its visible text, and its raw JSON when it came from JSON."""

    label: str
    item: AgendaItem
    visible: str
    raw_json: str | None  # set only for the fixtures, the figure `token_ratio_vs_raw` is over


def fold(text: str) -> str:
    """Whitespace folded: single spaces inside lines, single newlines between non-empty lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_visible(html: str) -> str:
    """What a browser shows of a fragment of portal HTML: its text, a line per block element."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    for node in tree.css(_LINES):
        node.insert_before("\n")
        node.insert_after("\n")
    for node in tree.css(_CELLS):
        node.insert_after("\t")
    root = tree.body or tree.root
    return fold(root.text(separator="")) if root is not None else ""


def json_item_visible(raw: dict[str, Any]) -> str:
    """The title and the visible text of every field (HTML or plain) of one portal item."""
    title = raw.get("Navn") or raw.get("Caption") or ""
    parts = [fold(title)]
    for field in raw.get("Felter") or []:
        body = field.get("Html") or field.get("Tekst") or ""
        parts.append(html_visible(body) if body.strip() else "")
    decision = raw.get("ItemDecision")
    if isinstance(decision, str):
        parts.append(html_visible(decision))
    return "\n".join(p for p in parts if p)


def minutes_visible(text: str, number: str) -> str:
    """The lines of item `number` in minutes text: its "Punkt" line up to the next one."""
    starts = [(m.start(), m.group(1)) for m in _PUNKT.finditer(text)]
    for index, (start, found) in enumerate(starts):
        if found == number:
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            return fold(text[start:end])
    raise LookupError(f"no 'Punkt {number}:' line")


def visible_text(path: Path, source_format: str, number: str | None) -> str:
    """What a reader sees of the one item in a golden input, read without the parser."""
    if source_format == "firstagenda-pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path.read_bytes())
        pages = [document[i].get_textpage().get_text_bounded() for i in range(1, len(document))]
        return _without_bilag(fold("\n".join(pages).replace("\x02", "")))
    if source_format == "firstagenda-page":
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        parts = []
        for node in tree.css("ul.list-unstyled"):
            node.decompose()
        for row in tree.css("tr.punktrow"):
            for node in row.css(".overskrift, .details"):
                parts.append(html_visible(node.html or ""))
        return fold("\n".join(parts))
    if source_format in ("sbsys-xml", "edoc-xml", "acadre-xml"):
        from lxml import etree

        root = etree.fromstring(path.read_bytes().replace(b"&#xC;", b" "))
        parts: list[str] = []

        def add(text: str | None) -> None:
            if text and text.strip():
                parts.append(html_visible(text) if "<" in text else text)

        if source_format == "sbsys-xml":
            for item in root.iter("{*}Item"):
                add(item.findtext("{*}Caption"))
                for field in item.iter("{*}ItemField"):
                    if (field.findtext("{*}Content") or "").strip():
                        add(field.findtext("{*}Caption"))
                        add(field.findtext("{*}Content"))
        elif source_format == "edoc-xml":
            for item in root.iter("{*}MeetingAgendaItem"):  # FullText holds the title too
                add(re.sub(r"\nBilag\n(?:.+\n)+", "\n", item.findtext("{*}FullText") or ""))
        else:
            for table in root.iter("table"):
                fields = {f.get("name"): f.text or "" for f in table.iterfind("fields/field")}
                if table.get("name") == "agendaitem":
                    add(fields.get("name"))
                elif table.get("name") == "bullet" and fields.get("bulletcontent", "").strip():
                    add(fields.get("bulletname"))
                    add(fields.get("bulletcontent"))
        return fold("\n".join(parts))
    text = path.read_text(encoding="utf-8")
    if source_format == "minutes-text":
        return _without_bilag(minutes_visible(text, number or ""))
    return fold(text)


def _without_bilag(text: str) -> str:
    """Folded text without its closing attachment list (from a last "Bilag" line on)."""
    lines = text.split("\n")
    if "Bilag" in lines:
        last = len(lines) - 1 - lines[::-1].index("Bilag")
        lines = lines[:last]
    return "\n".join(lines)


def _json_items(path: Path) -> list[tuple[dict[str, Any], str]]:
    """Each raw portal item in a JSON file with its JSON text as the file holds it."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if "Dagsordenpunkter" not in data:
        return [(data, text)]
    out = []
    for raw in data["Dagsordenpunkter"]:
        compact = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
        out.append((raw, compact if compact in text else json.dumps(raw, ensure_ascii=False)))
    return out


def corpus() -> list[CorpusItem]:
    """Every golden and fixture item with text, each distinct raw item once."""
    from casesummary.eval.golden import load_golden
    from casesummary.sources import load_items

    found: list[CorpusItem] = []
    seen: set[str] = set()

    def add_json(path: Path, label: str, *, fixture: bool) -> None:
        raws = _json_items(path)
        items = load_items(path)
        if len(items) != len(raws):
            raise RuntimeError(f"{path}: {len(raws)} raw items, {len(items)} parsed")
        for (raw, text), item in zip(raws, items, strict=True):
            key = json.dumps(raw, sort_keys=True, ensure_ascii=False)
            visible = json_item_visible(raw)
            title = fold(raw.get("Navn") or raw.get("Caption") or "")
            if key in seen or visible == title:  # closed or empty: nothing but a title
                continue
            seen.add(key)
            number = raw.get("Punktnummer") or raw.get("Number") or "?"
            found.append(CorpusItem(f"{label} #{number}", item, visible, text if fixture else None))

    add_json(FIXTURE_ITEM, FIXTURE_ITEM.name, fixture=True)
    add_json(FIXTURE_MEETING, FIXTURE_MEETING.name, fixture=True)
    for case in load_golden(GOLDEN):
        if case.expect_skip:
            continue
        if case.input_path.suffix == ".json":
            add_json(case.input_path, case.id, fixture=False)
            continue
        visible = visible_text(case.input_path, case.source_format.value, case.item_number)
        if visible in seen:
            continue
        seen.add(visible)
        found.append(CorpusItem(case.id, case.load_item(), visible, None))
    return found

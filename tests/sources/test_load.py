"""load_items/load_item on the real fixtures and seeds: every format, every item, all the text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from casesummary import InvalidAgendaItem, load_item, load_items
from casesummary.item import AgendaItem, SectionKind, SourceFormat

from .visible import coverage, item_text, reference_html_text, word_coverage

ODENSE = "odense-beu-2025-pejlemaerker.item.json"
HVIDOVRE = "hvidovre-oekonomiudvalget-2026-05-18.meeting.json"
SLAGELSE = "003_427661368110dddd.txt"
MINUTES = "004_ec700c404d257eec.txt"


@pytest.fixture(scope="module")
def hvidovre(fixtures_dir: Path) -> tuple[dict[str, Any], list[AgendaItem]]:
    raw = json.loads((fixtures_dir / HVIDOVRE).read_text(encoding="utf-8"))
    return raw, load_items(fixtures_dir / HVIDOVRE)


# --- FirstAgenda item ------------------------------------------------------------------------


def test_odense_item_keeps_the_portal_headings_in_order(fixtures_dir: Path) -> None:
    item = load_item(fixtures_dir / ODENSE)
    assert [s.heading for s in item.sections] == [
        "Sagsresumé",
        "Indstilling",
        "Sagsfremstilling",
        "Økonomi",
    ]
    assert [s.kind for s in item.sections] == [
        SectionKind.SUMMARY,
        SectionKind.RECOMMENDATION,
        SectionKind.PRESENTATION,
        SectionKind.ECONOMY,
    ]


def test_odense_item_fields(fixtures_dir: Path) -> None:
    item = load_item(fixtures_dir / ODENSE)
    assert item.source_format is SourceFormat.FIRSTAGENDA_ITEM
    assert item.title == "Pejlemærker for implementering af beskæftigelsesreformen"
    assert item.case_type == "C-sag"
    assert item.case_number == "00.01.00-A00-25-25"
    assert item.number == "5"
    assert item.municipality == "Odense"
    # IsOpen is false in the portal JSON, but the item is published with its full text.
    assert item.is_open
    assert item.recommendation == (
        "Beskæftigelses- og Socialforvaltningen indstiller, at udvalget drøfter pejlemærkerne."
    )
    assert item.decision is None


def test_odense_text_is_clean(fixtures_dir: Path) -> None:
    item = load_item(fixtures_dir / ODENSE)
    summary = item.sections[0].text
    assert "Dagsordenspunkt" not in summary
    assert "\xa0" not in summary
    assert "  " not in summary
    assert "<" not in summary
    assert "1. Frisættelsen skal bruges til at tilrettelægge" in summary
    assert "\n7. Et professionelt virksomhedssamarbejde" in summary
    assert "\n\n\n" not in "".join(s.text for s in item.sections)


def test_odense_visible_text_is_kept(fixtures_dir: Path) -> None:
    raw = json.loads((fixtures_dir / ODENSE).read_text(encoding="utf-8"))
    source = reference_html_text(raw["Felter"][0]["Html"]) + raw["Navn"]
    kept = item_text(load_items(raw))
    assert coverage(source, kept) >= 0.99
    assert word_coverage(source, kept) >= 0.99


# --- FirstAgenda meeting ---------------------------------------------------------------------


def test_hvidovre_meeting_loads_every_item(
    hvidovre: tuple[dict[str, Any], list[AgendaItem]],
) -> None:
    raw, items = hvidovre
    assert len(items) == len(raw["Dagsordenpunkter"]) == 24
    assert [i.number for i in items] == [p["Number"] for p in raw["Dagsordenpunkter"]]
    for item in items:
        assert item.source_format is SourceFormat.FIRSTAGENDA_MEETING
        assert item.committee == "Økonomiudvalget"
        assert item.meeting_date == date(2026, 5, 18)
        assert item.meeting_place == "Hvidovre"
        assert item.municipality == "Hvidovre"


def test_hvidovre_open_items_keep_their_visible_text(
    hvidovre: tuple[dict[str, Any], list[AgendaItem]],
) -> None:
    raw, items = hvidovre
    for punkt, item in zip(raw["Dagsordenpunkter"], items, strict=True):
        if not item.is_open:
            continue
        source = reference_html_text(punkt["Felter"][0]["Html"] or "") + punkt["Caption"]
        kept = item_text([item])
        assert coverage(source, kept) >= 0.99, item.number
        assert word_coverage(source, kept) >= 0.99, item.number


def test_hvidovre_closed_and_routine_items(
    hvidovre: tuple[dict[str, Any], list[AgendaItem]],
) -> None:
    _, items = hvidovre
    by_number = {i.number: i for i in items}
    for number in ("32", "33", "34"):
        closed = by_number[number]
        assert not closed.is_open
        assert closed.sections == ()
        assert not closed.title.startswith("Lukket")
        assert closed.case_type == "Beslutning"
    for number, title in (
        ("1", "Godkendelse af dagsorden"),
        ("2", "Meddelelser"),
        ("31", "Eventuelt"),
    ):
        routine = by_number[number]
        assert routine.is_open
        assert routine.sections == ()
        assert routine.title == title


def test_hvidovre_headings_and_kinds(hvidovre: tuple[dict[str, Any], list[AgendaItem]]) -> None:
    _, items = hvidovre
    grenhusene = next(i for i in items if i.number == "3")
    assert grenhusene.title == "Skema A godkendelse ved Grenhusene"
    assert grenhusene.case_type == "Beslutning"
    headings = {s.heading: s.kind for s in grenhusene.sections}
    assert headings["Beslutningstema"] is SectionKind.SUMMARY
    assert headings["Beslutning i Økonomiudvalget den 16-03-2026"] is SectionKind.DECISION
    assert headings["Økonomiske konsekvenser"] is SectionKind.ECONOMY
    assert headings["Retsgrundlag"] is SectionKind.LEGAL
    # Sub-headings inside a body stay in its text instead of splitting the item.
    assert "Om Grenhusene" not in headings
    presentation = grenhusene.section(SectionKind.PRESENTATION)
    assert presentation is not None
    assert "474.501.000 kr." in (grenhusene.recommendation or "")
    assert "49,08 %" in grenhusene.sections[1].text
    assert "\nOm Grenhusene\n" in next(
        s.text for s in grenhusene.sections if s.heading == "Sagsfremstilling"
    )
    flag = next(i for i in items if i.number == "10")
    assert flag.sections[1].heading == "18.05.2026 Supplerende indstilling"
    assert flag.recommendation == flag.sections[1].text  # the newest recommendation comes first
    assert len(grenhusene.attachments) == 9
    assert grenhusene.attachments[0].document_id == "7410e4a3-b07a-44c2-ba27-1a06cbb1f453"


# --- Minutes text ----------------------------------------------------------------------------


def test_minutes_one_item_per_punkt(seeds_dir: Path) -> None:
    items = load_items(seeds_dir / MINUTES)
    assert [i.number for i in items] == [str(n) for n in range(1, 10)]
    first = items[0]
    assert first.source_format is SourceFormat.MINUTES_TEXT
    assert first.title == "Beskæftigelsesplan 2017"
    assert first.case_number == "15.00.00-P16-1-16"
    assert first.committee == "Beskæftigelses- og Socialudvalget"
    assert first.meeting_date == date(2016, 11, 22)
    assert first.meeting_place == "Salen, Ørbækvej 100, 5220 Odense SØ"
    assert first.municipality == "Odense"
    assert [s.heading for s in first.sections] == [
        "Resume",
        "INDSTILLING",
        "Beslutning",
        "Sagsfremstilling",
        "Text",
        "Økonomi",
    ]
    assert first.decision == "Beskæftigelses- og Socialudvalget anbefaler indstillingen."
    assert [a.title for a in first.attachments] == [
        "Fælles fynsk tillæg til Beskæftigelsesplan 2017",
        "Beskæftigelsesplan 2017",
    ]
    # The table of contents is not an item and its lines are in no item's text.
    assert all("....." not in s.text for i in items for s in i.sections)


def test_minutes_visible_text_is_kept(seeds_dir: Path) -> None:
    text = (seeds_dir / MINUTES).read_text(encoding="utf-8")
    kept = item_text(load_items(text))
    body = text[text.index("Punkt 1:") :]  # the header and table of contents are skipped
    assert coverage(body, kept) >= 0.99
    assert word_coverage(text, kept) >= 0.99


# --- One item as text ------------------------------------------------------------------------


def test_item_text_fields(seeds_dir: Path) -> None:
    item = load_item(seeds_dir / SLAGELSE)
    assert item.source_format is SourceFormat.ITEM_TEXT
    assert item.title == "JobFokus - fremtidig indsats på beskæftigelsesområdet"
    assert item.case_type == "B"
    assert item.number == "7"
    assert item.case_number == "330-2015-51128"
    assert item.is_open
    assert item.committee == "Beskæftigelses- og Integrationsudvalget"
    assert item.municipality == "Slagelse"
    assert item.meeting_date == date(2015, 8, 11)
    kinds = [s.kind for s in item.sections]
    assert kinds[:3] == [SectionKind.SUMMARY, SectionKind.BACKGROUND, SectionKind.LEGAL]
    assert SectionKind.RECOMMENDATION in kinds
    assert SectionKind.DECISION in kinds
    assert (item.decision or "").startswith("Fraværende:\n\nGodkendt.")
    assert item.attachments[0].document_id == "330-2015-401843"


def test_item_text_visible_text_is_kept(seeds_dir: Path) -> None:
    text = (seeds_dir / SLAGELSE).read_text(encoding="utf-8")
    assert word_coverage(text, item_text(load_items(text))) >= 0.99


# --- Sources of every kind -------------------------------------------------------------------


def test_every_source_kind_gives_the_same_item(fixtures_dir: Path) -> None:
    path = fixtures_dir / ODENSE
    text = path.read_text(encoding="utf-8")
    variants: list[Any] = [path, str(path), text, text.encode("utf-8"), json.loads(text)]
    fingerprints = {load_item(v).fingerprint for v in variants}
    assert len(fingerprints) == 1


def test_municipality_from_the_caller_wins(fixtures_dir: Path) -> None:
    item = load_item(fixtures_dir / ODENSE, municipality="Testkommune")
    assert item.municipality == "Testkommune"


def test_load_item_wants_exactly_one(fixtures_dir: Path) -> None:
    with pytest.raises(InvalidAgendaItem, match="exactly one agenda item, found 24"):
        load_item(fixtures_dir / HVIDOVRE)
    assert load_item(fixtures_dir / HVIDOVRE, number="5").title.startswith("Opsamling fra seminar")
    with pytest.raises(InvalidAgendaItem, match="no agenda item numbered '99'"):
        load_item(fixtures_dir / HVIDOVRE, number="99")


def test_policy_documents_are_not_items(seeds_dir: Path) -> None:
    for name in ("001_3429856c39443d47.txt", "002_d5560d68f5b1acfd.txt"):
        with pytest.raises(InvalidAgendaItem, match="no recognisable agenda item"):
            load_items(seeds_dir / name)


# --- Snapshots -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "name"),
    [("fixtures", ODENSE), ("fixtures", HVIDOVRE), ("seeds", SLAGELSE), ("seeds", MINUTES)],
)
def test_snapshot(
    folder: str, name: str, fixtures_dir: Path, seeds_dir: Path, snapshot_json: SnapshotAssertion
) -> None:
    path = (fixtures_dir if folder == "fixtures" else seeds_dir) / name
    assert [item.model_dump(mode="json") for item in load_items(path)] == snapshot_json


def test_portal_variants_both_spellings_tekst_bilag_and_decision() -> None:
    raw = {
        "Caption": "A-sag: Ny skolestruktur",
        "Number": 4,
        "CaseNumber": "17.01.00-A00-1-26",
        "IsOpen": True,
        "Felter": [
            {"Navn": "Resume", "Html": None, "Tekst": "Skolerne samles.\n\n\nFra 2027 &amp; frem."},
            {"Navn": "", "Html": "<span class='indstilling'><p>At godkende.</p></span>"},
        ],
        "Bilag": [{"Navn": "Notat", "Id": "abc", "Link": "https://example.org/notat.pdf"}, "Kort"],
        "ItemDecision": {"Html": "<p>Godkendt&nbsp;uden bemærkninger.</p>"},
    }
    item = load_item(raw)
    assert (item.title, item.case_type, item.number) == ("Ny skolestruktur", "A-sag", "4")
    assert [(s.heading, s.kind) for s in item.sections] == [
        ("Resume", SectionKind.SUMMARY),
        ("Indstilling", SectionKind.RECOMMENDATION),  # named from the span class hint
        ("Beslutning", SectionKind.DECISION),
    ]
    assert item.sections[0].text == "Skolerne samles.\n\nFra 2027 & frem."
    assert item.decision == "Godkendt uden bemærkninger."
    assert [(a.title, a.document_id, a.url) for a in item.attachments] == [
        ("Notat", "abc", "https://example.org/notat.pdf"),
        ("Kort", None, None),
    ]


def test_closed_only_without_text_or_by_title() -> None:
    empty_closed = load_item({"Navn": "Personalesag", "IsOpen": False, "Felter": [{"Html": ""}]})
    assert not empty_closed.is_open
    titled = load_item({"Navn": "Lukket: Salg af grund", "Felter": []})
    assert not titled.is_open
    assert titled.title == "Salg af grund"
    published = load_item({"Navn": "Budget", "IsOpen": False, "Felter": [{"Html": "<p>Tekst</p>"}]})
    assert published.is_open

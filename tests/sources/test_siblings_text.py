"""Minutes as text and one item as text, as other municipalities and copies write them.

The same two items are written in the variants the layouts allow: sub-numbered and dashed
"Punkt" lines, capitals, a heading and its text on one line, a front page worded "Dagsorden for
…", Windows line ends and odd spaces, a closed item; and text that has "Punkt N:" lines without
being an agenda.
"""

from __future__ import annotations

from datetime import date

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import SectionKind
from casesummary.sources import parse_source

MINUTES = """DAGSORDEN Økonomiudvalget d. 12-03-2024
Mødedato Tirsdag d. 12. marts 2024 kl. 17:00
Mødested Rådhuset

Punkt 1: Godkendelse af dagsorden
00.01.00-A00-1-24
Indstilling
Direktionen indstiller, at dagsordenen godkendes.

Punkt 2: Budget
00.30.14-S00-2-24
Sagsfremstilling
Tekst om budgettet.
Beslutning
Godkendt.
"""


def _items(text: str) -> list[tuple[str | None, str, str | None, bool]]:
    parsed = parse_source(text)
    assert parsed.format == "minutes-text"
    return [(i.number, i.title, i.case_number, i.is_open) for i in parsed.items]


BOTH = [
    ("1", "Godkendelse af dagsorden", "00.01.00-A00-1-24", True),
    ("2", "Budget", "00.30.14-S00-2-24", True),
]


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Punkt 2: Budget", "2"),
        ("Punkt 2. Budget", "2"),
        ("Punkt 2.1: Budget", "2.1"),
        ("Punkt 2a: Budget", "2a"),
        ("Punkt 2 - Budget", "2"),
        ("Punkt 2 – Budget", "2"),
        ("PUNKT 2: Budget", "2"),
    ],
)
def test_item_lines_as_layouts_number_them(line: str, number: str) -> None:
    assert _items(MINUTES.replace("Punkt 2: Budget", line)) == [
        BOTH[0],
        (number, "Budget", "00.30.14-S00-2-24", True),
    ]


def test_a_range_after_a_dash_is_no_title() -> None:
    text = MINUTES.replace("Tekst om budgettet.", "Tekst om budgettet.\nPunkt 3 - 5 er udsat.")
    assert _items(text) == BOTH


@pytest.mark.parametrize(
    "decision",
    ["Beslutning: Godkendt.", "Beslutning i Økonomiudvalget den 12-03-2024: Godkendt."],
)
def test_a_heading_and_its_text_on_one_line(decision: str) -> None:
    (_, budget) = load_items(MINUTES.replace("Beslutning\nGodkendt.", decision))
    assert budget.decision == "Godkendt."
    assert [s.kind for s in budget.sections] == [SectionKind.PRESENTATION, SectionKind.DECISION]


def test_a_field_or_an_attachment_with_a_colon_stays_one_line() -> None:
    text = MINUTES.replace(
        "Tekst om budgettet.",
        "Tekst om budgettet.\nUdvalg: Magistraten\nDato: 02-09-2025\nBilag\nIndstilling: notat",
    )
    (_, budget) = load_items(text)
    presentation = budget.section(SectionKind.PRESENTATION)
    assert presentation is not None
    assert presentation.text == "Tekst om budgettet.\nUdvalg: Magistraten\nDato: 02-09-2025"
    assert [a.title for a in budget.attachments] == ["Indstilling: notat"]


@pytest.mark.parametrize(
    ("first_line", "committee"),
    [
        ("Dagsorden for Økonomiudvalget", "Økonomiudvalget"),
        ("Referat af mødet i Teknisk Udvalg", "Teknisk Udvalg"),
        ("REFERAT fra mødet i Børne- og Skoleudvalget", "Børne- og Skoleudvalget"),
        ("DAGSORDEN Økonomiudvalget d. 12-03-2024", "Økonomiudvalget"),
    ],
)
def test_front_pages_worded_otherwise(first_line: str, committee: str) -> None:
    text = MINUTES.replace("DAGSORDEN Økonomiudvalget d. 12-03-2024", first_line)
    assert {(i.committee, i.meeting_date) for i in load_items(text)} == {
        (committee, date(2024, 3, 12))
    }


def test_windows_line_ends_tabs_and_odd_spaces() -> None:
    text = MINUTES.replace("\n", "\r\n").replace("Punkt 2: Budget", "Punkt 2:\tBudget\xa0 2024")
    assert _items(text) == [BOTH[0], ("2", "Budget 2024", "00.30.14-S00-2-24", True)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "windows-1252", "utf-16"])
def test_minutes_text_in_the_encodings_files_come_in(encoding: str) -> None:
    assert _items_of(MINUTES.replace("Budget", "Budget for Ældreområdet").encode(encoding)) == [
        BOTH[0],
        ("2", "Budget for Ældreområdet", "00.30.14-S00-2-24", True),
    ]


def _items_of(data: bytes) -> list[tuple[str | None, str, str | None, bool]]:
    return [(i.number, i.title, i.case_number, i.is_open) for i in load_items(data)]


def test_an_item_titled_only_lukket_punkt_is_closed() -> None:
    text = MINUTES.replace("Punkt 2: Budget", "Punkt 2: Lukket punkt")
    assert _items(text)[1] == ("2", "Lukket punkt", "00.30.14-S00-2-24", False)


def test_text_with_numbered_points_that_is_no_agenda() -> None:
    text = (
        "Klimapolitik 2030\nVedtaget af Byrådet\n\nPunkt 1: Formål\n"
        "Politikken beskriver kommunens mål.\nPunkt 2: Mål\nKommunen skal være CO2-neutral.\n"
    )
    with pytest.raises(
        InvalidAgendaItem,
        match=r"<string>: line 4: text with 'Punkt N:' lines but nothing else an agenda has",
    ):
        load_items(text)


# --- one item as text ------------------------------------------------------------------------

ITEM = """7. Budgetopfølgning 2024
Sagsnr.: 24/1234
Dok.nr.: 24/5678
Åbent
Kompetence: Økonomiudvalget

Beslutningstema
Økonomiudvalget skal tage stilling til budgetopfølgningen.

Indstilling
Administrationen indstiller, at budgetopfølgningen godkendes.

Beslutning i Økonomiudvalget den 12-03-2024:
Godkendt.
"""


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("7. Budgetopfølgning 2024", "7", "Budgetopfølgning 2024"),
        ("3.1. Budgetopfølgning 2024", "3.1", "Budgetopfølgning 2024"),
        ("3.1 Budgetopfølgning 2024", "3.1", "Budgetopfølgning 2024"),
        ("2030 Klimaplan", None, "2030 Klimaplan"),
    ],
)
def test_item_text_numbered_otherwise(line: str, number: str | None, title: str) -> None:
    (item,) = load_items(ITEM.replace("7. Budgetopfølgning 2024", line))
    assert (item.number, item.title, item.case_number) == (number, title, "24/1234")


def test_item_text_decision_on_its_heading_line() -> None:
    text = ITEM.replace(
        "Beslutning i Økonomiudvalget den 12-03-2024:\nGodkendt.",
        "Beslutning i Økonomiudvalget den 12-03-2024: Godkendt med de faldne bemærkninger.",
    )
    (item,) = load_items(text)
    assert item.decision == "Godkendt med de faldne bemærkninger."
    assert item.meeting_date == date(2024, 3, 12)

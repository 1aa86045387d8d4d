"""FirstAgenda agenda and minutes PDFs as another municipality's would differ (CONSTRUCTED).

The PDFs are built in the test with reportlab (tests/sources/pdfs.py), laid out like FirstAgenda's
printed agenda: a front page, then "Punkt N: <title>" in a large bold type, the case number,
bold headings. What varies is what varies between municipalities and documents: running
headers and footers and where the page number stands, a one- or two-page document, a word
hyphenated across a page break, a title wrapped over three lines, headings in capitals or at the
body's size, a heading and its text on one line, text in two columns, and PDFs that are no
agenda at all.
"""

from __future__ import annotations

from datetime import date

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import AgendaItem, SectionKind
from casesummary.sources import parse_source

from .pdfs import Align, Line, make_columns_pdf, make_pdf

TITLE = 24.0
HEAD = 14.0

FRONT: list[Line] = [
    ("DAGSORDEN Økonomiudvalget d. 12-03-2024", 20.0, True),
    "Mødedato Tirsdag d. 12. marts 2024 kl. 17:00",
    "Mødested Rådhuset, mødelokale 1",
]
AGENDA_ITEM: list[Line] = [
    ("Punkt 1: Godkendelse af dagsorden", TITLE, True),
    "82.00.00-A00-1-24",
    ("Indstilling", HEAD, True),
    "Direktionen indstiller, at dagsordenen godkendes.",
]
BUDGET: list[Line] = [
    ("Punkt 2: Budgetopfølgning pr. 29. februar 2024 for", TITLE, True),
    ("Økonomiudvalgets område med forventet regnskab og", TITLE, True),
    ("tillægsbevillinger", TITLE, True),
    "00.30.14-S00-2-24",
    ("Sagsfremstilling", HEAD, True),
    "Forvaltningen har udarbejdet en budgetopfølgning for hele kommunen, som viser et mer-",
    "forbrug på driften.",
    ("Økonomi", HEAD, True),
    "Merforbruget finansieres af kassebeholdningen.",
    ("Indstilling", HEAD, True),
    "Direktionen indstiller, at budgetopfølgningen tages til efterretning.",
    ("Bilag", HEAD, True),
    "Budgetopfølgning februar 2024",
    "Indstilling",
]
BUDGET_TITLE = (
    "Budgetopfølgning pr. 29. februar 2024 for Økonomiudvalgets område med forventet regnskab "
    "og tillægsbevillinger"
)


def _everything(items: list[AgendaItem]) -> str:
    return "\n".join(
        [i.title for i in items]
        + [s.text for i in items for s in i.sections]
        + [a.title for i in items for a in i.attachments]
    )


def _check_budget_agenda(items: list[AgendaItem]) -> None:
    agenda, budget = items
    assert (agenda.number, agenda.title, agenda.case_number) == (
        "1",
        "Godkendelse af dagsorden",
        "82.00.00-A00-1-24",
    )
    assert agenda.recommendation == "Direktionen indstiller, at dagsordenen godkendes."
    assert (budget.number, budget.title, budget.case_number) == (
        "2",
        BUDGET_TITLE,
        "00.30.14-S00-2-24",
    )
    assert [(s.heading, s.kind) for s in budget.sections] == [
        ("Sagsfremstilling", SectionKind.PRESENTATION),
        ("Økonomi", SectionKind.ECONOMY),
        ("Indstilling", SectionKind.RECOMMENDATION),
    ]
    assert budget.sections[0].text == (
        "Forvaltningen har udarbejdet en budgetopfølgning for hele kommunen, som viser et "
        "merforbrug på driften."
    )
    assert [a.title for a in budget.attachments] == ["Budgetopfølgning februar 2024", "Indstilling"]
    assert budget.decision is None  # an agenda: nothing is decided yet
    for item in items:
        assert (item.committee, item.meeting_date, item.meeting_place) == (
            "Økonomiudvalget",
            date(2024, 3, 12),
            "Rådhuset, mødelokale 1",
        )


@pytest.mark.parametrize(
    ("header", "footer", "header_align", "footer_align"),
    [
        (
            "Hvidovre Kommune · Økonomiudvalget 12-03-2024",
            "Side {page} af {pages}",
            "left",
            "center",
        ),
        (None, "{page}", "left", "right"),
        ("Side {page}", None, "right", "left"),
        ("Økonomiudvalgets dagsorden", "- {page} -", "center", "center"),
        ("Dagsorden 12.03.2024 {page}/{pages}", "Udskrevet fra FirstAgenda", "left", "left"),
    ],
)
def test_running_headers_and_footers_of_other_municipalities(
    header: str | None, footer: str | None, header_align: Align, footer_align: Align
) -> None:
    last_page: list[Line] = [("Punkt 3: Eventuelt", TITLE, True), "00.01.00-A00-3-24"]
    pages = [FRONT, AGENDA_ITEM, BUDGET, last_page]
    data = make_pdf(
        pages,
        header=header,
        footer=footer,
        header_align=header_align,
        footer_align=footer_align,
    )
    parsed = parse_source(data)
    assert parsed.format == "firstagenda-pdf"
    *items, last = parsed.items
    _check_budget_agenda(items)
    assert (last.number, last.title, last.case_number, last.sections) == (
        "3",
        "Eventuelt",
        "00.01.00-A00-3-24",
        (),
    )
    lines = _everything(parsed.items).split("\n")
    for running in (header, footer):
        if running:
            assert not any(running.format(page=3, pages=4) in line for line in lines)


@pytest.mark.parametrize("footer", ["Side {page} af {pages}", "- {page} -", "{page}"])
def test_a_short_pdf_has_no_page_numbers_in_its_text(footer: str) -> None:
    """One or two pages are too few to see a footer recur; a page number is still no text."""
    one = make_pdf([[*FRONT, "", "", *AGENDA_ITEM]], footer=footer, footer_align="center")
    (item,) = load_items(one)
    assert item.recommendation == "Direktionen indstiller, at dagsordenen godkendes."
    two = make_pdf([[*FRONT, "", "", *AGENDA_ITEM], BUDGET], footer=footer, footer_align="right")
    items = load_items(two)
    _check_budget_agenda(items)
    assert footer.format(page=2, pages=2) not in _everything(items).split("\n")


def test_a_word_hyphenated_across_a_page_break() -> None:
    """PDFium joins the page's last line ("… et mer-") to the footer that follows it; the word
    goes on at the top of the next page, under the running header."""
    first_half, second_half = BUDGET[:6], BUDGET[6:]
    data = make_pdf(
        [FRONT, AGENDA_ITEM, first_half, second_half],
        header="Økonomiudvalget 12-03-2024",
        footer="Side {page} af {pages}",
        footer_align="center",
    )
    items = load_items(data)
    _check_budget_agenda(items)
    assert "Side 3 af 4" not in _everything(items)


def test_headings_in_capitals_at_the_body_size_and_with_a_colon() -> None:
    item: list[Line] = [
        ("Punkt 3: Salg af areal ved Hvidovrevej", TITLE, True),
        "Sagsnr.: 24/1234",
        ("SAGSFREMSTILLING", 10.0, True),
        "Kommunen har modtaget et købstilbud på arealet.",
        ("Indstilling:", 10.0, False),
        "At arealet sælges til den tilbudte pris.",
        ("BESLUTNING", 10.0, True),
        "Godkendt.",
    ]
    (parsed,) = load_items(make_pdf([FRONT, item]))
    assert (parsed.number, parsed.title, parsed.case_number) == (
        "3",
        "Salg af areal ved Hvidovrevej",
        "24/1234",
    )
    assert [(s.heading, s.kind) for s in parsed.sections] == [
        ("SAGSFREMSTILLING", SectionKind.PRESENTATION),
        ("Indstilling", SectionKind.RECOMMENDATION),
        ("BESLUTNING", SectionKind.DECISION),
    ]
    assert (parsed.recommendation, parsed.decision) == (
        "At arealet sælges til den tilbudte pris.",
        "Godkendt.",
    )


def test_a_heading_and_its_text_on_one_line() -> None:
    item: list[Line] = [
        ("Punkt 4: Orientering om vintertjenesten", TITLE, True),
        "24/999",
        "Indstilling: At orienteringen tages til efterretning.",
        "Beslutning i Økonomiudvalget den 12-03-2024: Taget til efterretning.",
    ]
    (parsed,) = load_items(make_pdf([FRONT, item]))
    assert [(s.heading, s.kind) for s in parsed.sections] == [
        ("Indstilling", SectionKind.RECOMMENDATION),
        ("Beslutning i Økonomiudvalget den 12-03-2024", SectionKind.DECISION),
    ]
    assert parsed.recommendation == "At orienteringen tages til efterretning."
    assert parsed.decision == "Taget til efterretning."


def test_text_in_two_columns() -> None:
    left: list[Line] = [
        ("Sagsfremstilling", HEAD, True),
        "Forvaltningen foreslår nye",
        "skoledistrikter fra 2025.",
        "Høringen er afsluttet.",
    ]
    right: list[Line] = [
        ("Indstilling", HEAD, True),
        "Forvaltningen indstiller, at",
        "distrikterne godkendes.",
    ]
    data = make_columns_pdf("Punkt 1: Skoledistrikter", "17.00.00-A00-3-24", [left, right])
    (item,) = load_items(data)
    assert [(s.heading, s.text) for s in item.sections] == [
        (
            "Sagsfremstilling",
            "Forvaltningen foreslår nye skoledistrikter fra 2025.\nHøringen er afsluttet.",
        ),
        ("Indstilling", "Forvaltningen indstiller, at distrikterne godkendes."),
    ]


@pytest.mark.parametrize(
    ("first_line", "committee"),
    [
        ("Dagsorden for Børne- og Skoleudvalget", "Børne- og Skoleudvalget"),
        ("REFERAT af mødet i Teknisk Udvalg", "Teknisk Udvalg"),
        (
            "Referat Kultur- og Fritidsudvalget 2022-2025 d. 12-03-2024",
            "Kultur- og Fritidsudvalget",
        ),
    ],
)
def test_the_front_page_as_other_municipalities_word_it(first_line: str, committee: str) -> None:
    front: list[Line] = [
        (first_line, 20.0, True),
        "Mødetidspunkt: 12. marts 2024 kl. 17.00",
        "Mødelokale: Byrådssalen",
    ]
    (item,) = load_items(make_pdf([front, AGENDA_ITEM]))
    assert (item.committee, item.meeting_date, item.meeting_place) == (
        committee,
        date(2024, 3, 12),
        "Byrådssalen",
    )


# --- PDFs that are no agenda -------------------------------------------------------------------


def test_a_policy_with_numbered_points_is_no_agenda() -> None:
    policy: list[Line] = [
        ("Klimapolitik 2030", TITLE, True),
        "Vedtaget af Byrådet",
        ("Punkt 1: Formål", HEAD, True),
        "Politikken beskriver kommunens mål for at nedbringe udledningen af CO2.",
        ("Punkt 2: Mål", HEAD, True),
        "Kommunen skal være CO2-neutral i 2030.",
    ]
    with pytest.raises(
        InvalidAgendaItem,
        match=r"a PDF with 'Punkt N:' lines but nothing else an agenda has .*Supported: "
        r"FirstAgenda portal JSON",
    ):
        load_items(make_pdf([policy]))


def test_a_pdf_without_items_says_how_it_begins() -> None:
    report: list[Line] = [
        ("Årsrapport for Hvidovre Bibliotekerne 2023", TITLE, True),
        "Udlånet steg med 4 procent.",
    ]
    with pytest.raises(
        InvalidAgendaItem,
        match=r"no 'Punkt N: <title>' items \(it begins 'Årsrapport for Hvidovre Bibliotekerne "
        r"2023'\).*Supported: FirstAgenda portal JSON",
    ):
        load_items(make_pdf([report]))

"""The real documents municipalities publish (tests/data/real): every item, as the document says.

Counts are not enough: numbers, titles, case numbers, section headings and kinds, the
recommendation, the decision, the attachments and the closed flag are checked against what
each document holds (read by eye from the document itself).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import AgendaItem, SectionKind, SourceFormat
from casesummary.sources import parse_source

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
PDF = REAL / "aarhus-byraad-2025-08-27.referat.pdf"
PAGE = REAL / "aarhus-byraad-2025-10-08.dagsorden.html"
SBSYS = REAL / "ballerup-kmb-it-udvalget-2013-05-15.sbsys.xml"
EDOC = REAL / "ballerup-sundhed-forebyggelse-2012-12-04.edoc.xml"
ACADRE = REAL / "syddjurs-puk-2013-06-20.acadre.xml"
#: Found with the search tools (see tests/data/README.md), not among the shared samples.
FUJITSU = REAL / "hennys-testudvalg-2017-05-02.edoc-fujitsu.xml"
FUJITSU_REPUBLISHED = REAL / "hennys-testudvalg-2017-05-02.republished.edoc-fujitsu.xml"
MINUTES_PAGE = REAL / "aarhus-teknisk-udvalg-2025-10-01.referat.html"
#: Real documents of no supported format that sit right beside supported ones.
EDOC_HTML = REAL / "hennys-testudvalg-2017-05-02.edoc-fujitsu.html"
ACADRE_MANIFEST = REAL / "syddjurs-puk-2013-06-20.acadre-manifest.xml"
PORTAL_SEARCH = REAL / "hvidovre-soeg.firstagenda-search.json"


def _by_number(items: list[AgendaItem]) -> dict[str, AgendaItem]:
    return {item.number or "": item for item in items}


def _kinds(item: AgendaItem) -> list[tuple[str, SectionKind]]:
    return [(s.heading, s.kind) for s in item.sections]


@pytest.mark.parametrize(
    ("path", "name", "count"),
    [
        (PDF, "firstagenda-pdf", 21),
        (PAGE, "firstagenda-page", 33),
        (SBSYS, "sbsys-xml", 5),
        (EDOC, "edoc-xml", 8),
        (ACADRE, "acadre-xml", 1),
        (FUJITSU_REPUBLISHED, "edoc-xml", 6),
        (MINUTES_PAGE, "firstagenda-page", 6),
    ],
)
def test_every_real_sample_is_detected_with_its_exact_item_count(
    path: Path, name: str, count: int
) -> None:
    parsed = parse_source(path)
    assert parsed.format == name
    assert len(parsed.items) == count
    assert [i.number for i in parsed.items] == [str(n) for n in range(1, count + 1)]
    assert {i.source_format.value for i in parsed.items} == {name}
    # Detection reads the content, not the name: the same bytes under no name load the same.
    assert [i.fingerprint for i in load_items(path.read_bytes())] == [
        i.fingerprint for i in parsed.items
    ]


# --- FirstAgenda minutes PDF ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_items() -> dict[str, AgendaItem]:
    return _by_number(load_items(PDF))


def test_pdf_meeting_from_the_first_page(pdf_items: dict[str, AgendaItem]) -> None:
    for item in pdf_items.values():
        assert item.committee == "Aarhus Byråd"
        assert item.meeting_date == date(2025, 8, 27)
        assert item.meeting_place == "Byrådssalen"
        assert item.municipality == "Aarhus"


def test_pdf_titles_wrapped_over_lines_are_whole(pdf_items: dict[str, AgendaItem]) -> None:
    assert pdf_items["2"].title == (
        "Svar på forslag fra DD om principbeslutning om at sikre Havnens Perles fremtid på Aarhus Ø"
    )
    assert pdf_items["7"].title == (
        "Afrapportering på klimaregnskab samt orientering om ny 2030-fremskrivning"
    )
    assert pdf_items["10"].title == (
        "Lokalplan 1221 (tillæg 2 til lokalplan 411) – Erhvervsområde ved Kattrup, "
        "Hasselager-Kolt, med tillæg 1 - Endelig"
    )
    assert pdf_items["14"].title == (
        "Justering af ramme for kvalitetsopfølgning og tilsyn i Børn og Unge"
    )
    assert pdf_items["19"].title == (
        "Forslag fra EL og Viggo Jonasen, UFP, om tabt arbejdsfortjeneste ved skolevægring "
        "og lignende"
    )
    # Every title keeps its case number, on the line after the title.
    assert pdf_items["2"].case_number == "EMN-2025-003383"
    assert pdf_items["10"].case_number == "EMN-2025-008468"
    assert all(i.case_number and i.case_number.startswith("EMN-") for i in pdf_items.values())


def test_pdf_decisions_under_the_plural_heading(pdf_items: dict[str, AgendaItem]) -> None:
    assert pdf_items["1"].decision == "Godkendt."
    assert pdf_items["2"].decision == (
        "Fremsendes til Teknisk Udvalg til behandling i henhold til beslutning i byrådets møde "
        "den 27. august 2025."
    )
    # The unnamed lead paragraph after a decision is not part of it.
    assert pdf_items["10"].decision == pdf_items["2"].decision
    assert "Endelig vedtagelse" not in (pdf_items["10"].decision or "")
    # A decision of several lines keeps them, joined where the page wrapped them.
    decision_16 = pdf_items["16"].decision or ""
    assert (
        "jf. byrådets vedtagelse i mødet den 27. august 2025 om magistratsbehandling" in decision_16
    )
    assert decision_16.endswith("Sagen bedes tilbagesendt byrådet via Magistraten.")
    assert all(i.decision for i in pdf_items.values() if i.is_open)


def test_pdf_recommendation_is_never_the_attachment_list(
    pdf_items: dict[str, AgendaItem],
) -> None:
    assert pdf_items["2"].recommendation is not None
    assert pdf_items["2"].recommendation.startswith("Det indstilles:\nAt 1) der i forbindelse")
    assert (
        pdf_items["5"].recommendation
        == "Det indstilles:\nAt 1) Regnskabet for 2024 godkendes endeligt."
    )
    for item in pdf_items.values():
        if item.recommendation is not None:
            assert "Bilag 1:" not in item.recommendation
            assert item.section(SectionKind.RECOMMENDATION).heading == "Beslutningspunkter"  # type: ignore[union-attr]
    # "Indstilling" under Bilag is an attachment's name.
    assert [a.title for a in pdf_items["2"].attachments] == [
        "Indstilling",
        "Bilag 1: Beslutningsforslag",
        "Meningstilkendegivelse Havnens Perle (påført 07.04.2025)",
        "Byrådsdebat 09.04.2025",
        "Meningstilkendegivelse Havnens Perle (påført 27.08.2025)",
    ]
    assert pdf_items["13"].attachments[-1].title == "Indstilling"
    # A long attachment name wrapped onto the next line stays one attachment.
    assert pdf_items["10"].attachments[1].title == (
        "Bilag 1: Forslag til lokalplan nr. 1221, tillæg 2 til lokalplan nr. 411, Erhvervsområde "
        "ved Kattrup i Hasselager-Kolt med tillæg 1"
    )


def test_pdf_headings_and_kinds(pdf_items: dict[str, AgendaItem]) -> None:
    assert _kinds(pdf_items["2"]) == [
        ("Beslutninger", SectionKind.DECISION),
        ("BESLUTNINGSFORSLAG FRA DD", SectionKind.OTHER),
        ("INDSTILLING FRA MAGISTRATSAFDELINGEN FOR TEKNIK OG MILJØ", SectionKind.OTHER),
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningspunkter", SectionKind.RECOMMENDATION),
        ("Borgmesterens Afdelings påtegning", SectionKind.OTHER),
        ("Sagsforløb", SectionKind.OTHER),
    ]
    assert _kinds(pdf_items["15"]) == [
        ("Beslutninger", SectionKind.DECISION),
        ("BESLUTNINGSFORSLAG FRA M", SectionKind.OTHER),
    ]


def test_pdf_hyphenation_and_paragraphs(pdf_items: dict[str, AgendaItem]) -> None:
    text = "\n".join(s.text for i in pdf_items.values() for s in i.sections)
    assert "anlægsomkostninger fra de 11-årige" in text
    assert "an- lægsomkostninger" not in text
    assert "an-\nlægsomkostninger" not in text
    assert "dobbelt så mange p-pladser i p-huse, som der er fjernet" in text
    assert "UngiAarhus-tilbud" in text
    assert "\x02" not in text
    assert "\x1e" not in text
    assert "\x1f" not in text
    # Lines the page wrapped are one paragraph again.
    summary = pdf_items["10"].section(SectionKind.SUMMARY)
    assert summary is not None
    assert summary.text.startswith(
        "Formålet med lokalplantillægget er at fjerne krav om behov for 'besporing' "
        "(logistikservicering ved hjælp af godstog) for to delområder i lokalplanen."
    )


def test_pdf_closed_item(pdf_items: dict[str, AgendaItem]) -> None:
    closed = pdf_items["21"]
    assert closed.title == "Køb af landbrugsejendom"
    assert not closed.is_open
    assert all(i.is_open for n, i in pdf_items.items() if n != "21")


# --- FirstAgenda portal page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def page_items() -> dict[str, AgendaItem]:
    return _by_number(load_items(PAGE))


def test_page_meeting_and_rows(page_items: dict[str, AgendaItem]) -> None:
    first = page_items["1"]
    assert (first.committee, first.meeting_date, first.meeting_place) == (
        "Aarhus Byråd",
        date(2025, 10, 8),
        "Byrådssalen",
    )
    assert first.title == "Godkendelse af dagsorden"
    assert first.case_number == "EMN-2023-009832"
    assert first.sections == ()
    assert page_items["12"].title == (
        "Svar på forslag fra Børne- og ungebyrådet om flere lejrskoler og udflugter i grundskolen"
    )
    assert page_items["33"].case_number == "EMN-2025-010810"
    assert all(i.is_open for i in page_items.values())


def test_page_sections_as_the_portal_json_gives_them(page_items: dict[str, AgendaItem]) -> None:
    budget = page_items["2"]
    assert _kinds(budget) == [
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningspunkter", SectionKind.RECOMMENDATION),
        ("Sagsforløb:", SectionKind.OTHER),
    ]
    assert budget.recommendation == (
        "Det indstilles:\nAt 1) Byrådet drøfter og godkender eventuelle ændringer til "
        "budgetforslaget 2026."
    )
    assert budget.sections[0].text.startswith("Vores hverdag leves der, hvor vi bor")
    assert len(budget.attachments) == 22
    assert budget.attachments[0].title == "Indstilling"
    assert budget.attachments[0].document_id == "3b391cd5-bf32-4aad-965f-b3272f7fe101"
    # "Sagsforløb:" is a known heading: its span class ("resume") does not make it a summary.
    assert all(
        s.kind is SectionKind.OTHER
        for i in page_items.values()
        for s in i.sections
        if s.heading.startswith("Sagsforløb")
    )


def test_page_is_read_through_the_same_html_rules_as_the_json(
    page_items: dict[str, AgendaItem],
) -> None:
    from selectolax.lexbor import LexborHTMLParser

    html = PAGE.read_text(encoding="utf-8")
    row = LexborHTMLParser(html).css("tr.punktrow")[21]
    body = row.css_first("#sagsfremstillingContainer")
    assert body is not None
    item = {"Navn": "Udviklingsplan Aarhus Ø - endelig vedtagelse", "Felter": [{"Html": body.html}]}
    from_json = load_items(item)[0]
    assert [(s.heading, s.kind, s.text) for s in from_json.sections] == [
        (s.heading, s.kind, s.text) for s in page_items["22"].sections
    ]


# --- SBSYS ---------------------------------------------------------------------------------


def test_sbsys_publication() -> None:
    items = _by_number(load_items(SBSYS))
    first = items["1"]
    assert (first.committee, first.meeting_date, first.meeting_place) == (
        "KMB IT-udvalget",
        date(2013, 5, 15),
        "Mødecenter A, Lokale 3 på Ballerup Rådhus",
    )
    assert first.title == "Meddelelser"
    assert first.sections == ()
    it = items["2"]
    assert (
        it.title
        == "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018"
    )
    assert _kinds(it) == [
        ("Tidligere behandling", SectionKind.OTHER),
        ("Sammendrag", SectionKind.SUMMARY),
        ("Baggrund", SectionKind.BACKGROUND),
        ("Sagsfremstilling", SectionKind.PRESENTATION),
        ("Økonomiske konsekvenser og finansiering", SectionKind.ECONOMY),
        ("Beslutningen træffes af", SectionKind.OTHER),
        ("Indstilling", SectionKind.RECOMMENDATION),
    ]
    assert it.sections[0].text == "KMB IT-udvalget den 5. december 2012 Punkt 3"
    # <ol style="list-style-type: upper-alpha"> numbers its points A., B., …
    assert (it.recommendation or "").startswith(
        "Center for IT og Digitalisering indstiller, at\nA. Gennemførelse af pilottest"
    )
    assert it.decision is None  # the minutes' Beslutning field is still empty
    assert items["3"].title == "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)"
    assert [(a.title, a.document_id) for a in items["3"].attachments] == [
        (
            "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud",
            "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud.pdf",
        )
    ]
    assert items["5"].recommendation == (
        "Sekretariat for Politik og Ledelse indstiller, at\nA. Status på eDagsorden drøftes."
    )
    assert "<" not in "".join(s.text for i in items.values() for s in i.sections)


# --- eDoc ----------------------------------------------------------------------------------


def test_edoc_minutes_in_agenda_order() -> None:
    items = _by_number(load_items(EDOC))
    assert [i.number for i in items.values()] == [str(n) for n in range(1, 9)]
    build = items["2"]
    assert (build.committee, build.meeting_date) == (
        "Sundheds- og Forebyggelsesudvalget",
        date(2012, 12, 4),
    )
    assert build.title == "Bygningsvedligeholdelse 2013 - anlægsbevilling"
    assert build.case_number == "2012-28504"
    assert _kinds(build) == [
        ("Sammendrag", SectionKind.SUMMARY),
        ("Baggrund", SectionKind.BACKGROUND),
        ("Sagsfremstilling", SectionKind.PRESENTATION),
        ("Økonomiske konsekvenser og finansiering", SectionKind.ECONOMY),
        ("Beslutningen træffes af", SectionKind.OTHER),
        ("Indstilling", SectionKind.RECOMMENDATION),
        (
            "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 2",
            SectionKind.DECISION,
        ),
    ]
    assert (build.recommendation or "").startswith("Center for Ejendomme indstiller, at")
    assert "Anlægsbevilling på 1.316.000 kr." in (build.recommendation or "")
    assert (build.decision or "").startswith("Indstillingen godkendt")
    # The sub-heading inside Sagsfremstilling stays in its text.
    presentation = build.section(SectionKind.PRESENTATION)
    assert presentation is not None
    assert "\nCentralisering af ejendomsdriften\n" in presentation.text
    assert [a.title for a in build.attachments] == ["Bygningsliste og prioriteringssystem"]
    assert items["8"].decision is not None
    assert items["8"].decision.startswith("Taget til efterretning")
    assert items["7"].decision is not None
    assert "Gruppen af unge i Ballerup Kommune" in items["7"].decision
    text = "\n".join(s.text for i in items.values() for s in i.sections)
    assert "<?xml" not in text
    assert "<FullText>" not in text
    assert "\f" not in text


def test_edoc_in_fujitsus_namespace_as_os2dagsorden_ships_it() -> None:
    items = load_items(FUJITSU)
    assert [(i.number, i.title) for i in items] == [
        ("2", "test"),
        ("3", "test tabel"),
        ("4", "Fejloprettet"),
        ("5", "Fejloprettet"),
        ("6", "Underskriftsblad"),
    ]
    first = items[0]
    assert (first.committee, first.meeting_date, first.meeting_place) == (
        "Hennys testudvalg",
        date(2017, 5, 2),
        "Mødelokale 1, Midtpunkt",
    )
    assert first.sections == ()  # every presentation is empty
    by_number = _by_number(items)
    assert by_number["3"].case_number == "200906126"
    four = by_number["4"]
    assert _kinds(four) == [
        ("Præsentation", SectionKind.SUMMARY),
        ("Forvaltningen foreslår", SectionKind.RECOMMENDATION),
        ("Sagsbeskrivelse", SectionKind.PRESENTATION),
        ("Økonomi", SectionKind.ECONOMY),
        ("Høring", SectionKind.OTHER),
    ]
    assert four.recommendation == "At punktet drøftes."
    assert four.decision is None  # "Beslutning ikke frigivet" is a placeholder, not a decision
    presentation = four.section(SectionKind.PRESENTATION)
    assert presentation is not None
    assert presentation.text.startswith("På byrådsseminariet den 14. og 15. marts 2013")
    assert "\nBegrund hvorfor de, er de væsentligste.\n" in presentation.text  # <br /> lines
    assert (
        by_number["5"].recommendation
        == "- At anlægsregnskabet for de fire anlægsprojekter godkendes."
    )
    assert [s.text for s in by_number["6"].sections] == ["beskrivelse"]
    assert all(i.is_open for i in items)


# --- Acadre --------------------------------------------------------------------------------


def test_acadre_item_with_decisions_of_three_meetings() -> None:
    (item,) = load_items(ACADRE)
    assert item.number == "1"
    assert item.title == "Kulturkommune 2017. Politiske fokusområder"
    assert item.case_number == "12/27845"
    assert item.committee == "Udvalget for plan, udvikling og kultur (PUK)"
    assert item.meeting_date == date(2013, 6, 20)
    assert item.meeting_place == "Kaløvig Kursuscenter"
    assert item.municipality == "Syddjurs"
    assert [s.heading for s in item.sections] == [
        "Resumé",
        "Sagsfremstilling",
        "Økonomi og organisatoriske konsekvenser",
        "Indstilling",
        "Beslutning i Udvalget for plan, udvikling og kultur (PUK) den 10-04-2013",
        "Supplerende Sagsfremstilling",
        "Beslutning i Udvalget for plan, udvikling og kultur (PUK) den 24-04-2013",
        "Beslutning i Udvalget for plan, udvikling og kultur (PUK) den 20-06-2013",
    ]
    # The decision is this meeting's, not the first one the item carries.
    assert (item.decision or "").startswith("Punktet blev drøftet.")
    assert (item.recommendation or "").startswith("Direktøren indstiller, at Udvalget for Plan")
    assert [a.title for a in item.attachments] == [
        "Opsamlingsnotat. Temamøde 20.09.2012",
        "Politik for Kultur og Fritid - Lokalt engagement, Godkendt af byrådet 300409",
        "Kulturkommune 2017 - arbejdsoplæg til Udvalget for Plan, Udvikling og Kultur",
    ]
    assert "<" not in "".join(s.text for s in item.sections)


def test_every_item_of_every_real_sample_has_its_format() -> None:
    formats = {p: load_items(p)[0].source_format for p in (PDF, PAGE, SBSYS, EDOC, ACADRE)}
    assert formats == {
        PDF: SourceFormat.FIRSTAGENDA_PDF,
        PAGE: SourceFormat.FIRSTAGENDA_PAGE,
        SBSYS: SourceFormat.SBSYS_XML,
        EDOC: SourceFormat.EDOC_XML,
        ACADRE: SourceFormat.ACADRE_XML,
    }


# --- more real documents, found with the search tools --------------------------------------


def test_fujitsu_republished_with_closed_items_publishes_their_titles_only() -> None:
    """The same agenda published again 24 minutes later: numbered 1-6, items 5 and 6 closed
    ("Fortrolig publicering") while the export still holds their text and files."""
    items = _by_number(load_items(FUJITSU_REPUBLISHED))
    assert [(i.number, i.title, i.is_open) for i in items.values()] == [
        ("1", "test", True),
        ("2", "test tabel", True),
        ("3", "Fejloprettet", True),
        ("4", "Fejloprettet", True),
        ("5", "Anders' møgsag", False),
        ("6", "Underskriftsblad", False),
    ]
    assert [(a.title, a.document_id, a.url) for a in items["1"].attachments] == [
        (
            "TrekantBrand Nyhedsbrev nr. 1-2017.msg",
            "57bc6c9b-6867-4e36-9a73-d7ec2b8f815a",
            "\\Attachments\\6104646-6648380-1.pdf",
        ),
        (
            "Nyhedsbrev nr. 1-2017.pdf",
            "f49a674c-b7a2-4e26-88d0-d773e997c2ad",
            "\\Attachments\\6104646-6648381-1.pdf",
        ),
        (
            "Signaturbevis.txt",
            "9bfa0582-2274-4e3e-ab44-a779d721146d",
            "\\Attachments\\6104646-6648382-1.pdf",
        ),
        (
            "TrekantBrand nyhedsbrev nr. 2-2017.msg",
            "33445ce9-b12f-4fb8-98a5-b58bc61f72b0",
            "\\Attachments\\6110589-6660338-2.pdf",
        ),
    ]
    assert _kinds(items["3"]) == [
        ("Præsentation", SectionKind.SUMMARY),
        ("Forvaltningen foreslår", SectionKind.RECOMMENDATION),
        ("Sagsbeskrivelse", SectionKind.PRESENTATION),
        ("Økonomi", SectionKind.ECONOMY),
        ("Høring", SectionKind.OTHER),
    ]
    assert items["3"].recommendation == "At punktet drøftes."
    closed = items["5"]
    assert (closed.case_number, closed.sections, closed.attachments) == ("2016-003798", (), ())
    assert (items["6"].sections, items["6"].attachments) == ((), ())
    published = "\n".join(
        [s.text for i in items.values() for s in i.sections]
        + [a.title for i in items.values() for a in i.attachments]
    )
    assert "sjusket" not in published
    assert "Geosager" not in published


def test_portal_page_of_minutes_every_row() -> None:
    """Aarhus Teknisk Udvalg, minutes of 1 Oct 2025: the decision first, then an unnamed lead."""
    items = _by_number(load_items(MINUTES_PAGE))
    for item in items.values():
        assert (item.committee, item.meeting_date, item.meeting_place, item.municipality) == (
            "Teknisk Udvalg",
            date(2025, 10, 1),
            "Udvalgsværelse 398",
            "Aarhus",
        )
        assert item.is_open
    assert [(i.number, i.title, i.case_number) for i in items.values()] == [
        ("1", "Referat fra sidste udvalgsmøde", "EMN-2025-010561"),
        ("2", "Udviklingsplan Aarhus Ø - endelig vedtagelse", "EMN-2025-009242"),
        (
            "3",
            "Lokalplan 1221 (tillæg 2 til lokalplan 411) – Erhvervsområde ved Kattrup, "
            "Hasselager-Kolt, med tillæg 1 - Endelig",
            "EMN-2025-008468",
        ),
        ("4", "Forvaltningen orienterer", "EMN-2025-010561"),
        ("5", "Eventuelt", None),
        ("6", "Måltal for busfremkommelighed, jf. budgetforlig 2023", "EMN-2024-035156"),
    ]
    assert _kinds(items["1"]) == [("Beslutninger", SectionKind.DECISION)]
    assert items["1"].decision == "Ingen bemærkninger."
    assert _kinds(items["2"]) == [
        ("Beslutninger", SectionKind.DECISION),
        ("Resumé", SectionKind.SUMMARY),  # the unnamed lead, as the agenda page names it
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningspunkter", SectionKind.RECOMMENDATION),
        ("Sagsforløb", SectionKind.OTHER),
    ]
    decision = items["2"].decision or ""
    assert decision.startswith(
        "Et flertal i udvalget kunne tiltræde indstillingen i overensstemmelse med Magistratens "
        "anbefaling."
    )
    assert decision.endswith(
        "Liv Gro Jensen var forhindret i at deltage i udvalgets behandling af sagen."
    )
    assert items["2"].recommendation == (
        "Det indstilles:\nAt 1) Byrådet godkender forslag til bemærkninger, som det fremgår "
        "under afsnit 5.2 og i bilag 3.\nAt 2) Byrådet godkender udviklingsplanen som grundlag "
        "for byudviklingen samt grundlag for forretningsplan i en kommende indstilling."
    )
    assert [a.title for a in items["2"].attachments] == [
        "Indstilling",
        "Bilag 1: Udviklingsplan for Pier 3 med omgivelser med bilag og strategier",
        "Bilag 2: Høringssvar",
    ]
    assert ("Borgmesterens Afdelings påtegning", SectionKind.OTHER) in _kinds(items["3"])
    assert items["4"].decision == "Udvalget blev orienteret om arkitekturugen i uge 41."
    assert items["4"].attachments == ()
    assert (items["5"].decision or "").startswith("Udvalget drøftede og stillede spørgsmål")
    # The lead that is only "." says nothing and is left out.
    assert _kinds(items["6"]) == [
        ("Beslutninger", SectionKind.DECISION),
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningspunkter", SectionKind.RECOMMENDATION),
        ("Borgmesterens Afdelings påtegning", SectionKind.OTHER),
        ("Sagsforløb", SectionKind.OTHER),
    ]
    assert items["6"].decision == "Sagen blev udsat uden behandling."
    text = "\n".join(s.text for i in items.values() for s in i.sections)
    assert "Lukket punkt" not in text  # the page's script strings are no text
    assert "Kopier link" not in text


@pytest.mark.parametrize(
    ("path", "says"),
    [
        (EDOC_HTML, r"eDoc's HTML rendering of an agenda \(title 'Hennys testudvalg - Dagsorden"),
        (ACADRE_MANIFEST, r"an Acadre publication manifest.*Files_1863_3687982/3687981\.xml"),
        (PORTAL_SEARCH, r"a FirstAgenda portal's search results \(0 meetings\)"),
    ],
)
def test_real_documents_beside_the_formats_are_refused_saying_what_they_are(
    path: Path, says: str
) -> None:
    with pytest.raises(InvalidAgendaItem, match=says) as caught:
        load_items(path)
    assert str(path) in str(caught.value)
    assert "Supported: FirstAgenda portal JSON" in str(caught.value)

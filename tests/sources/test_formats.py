"""Each format beyond its one real sample: the variants a municipality could publish.

The documents here are built in the test from real text (the Aarhus minutes, the Ballerup
SBSYS items), in the layouts and shapes the format allows but the shared samples do not show:
running headers and footers, a title wrapped without a case number, the second SBSYS dialect,
Fujitsu's eDoc namespace, text minutes with plural headings and copied hyphenation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import SectionKind, SourceFormat
from casesummary.sources import format_names, parse_source

from .pdfs import make_pdf

REAL = Path(__file__).resolve().parents[1] / "data" / "real"

TITLE = 24.0
HEAD = 14.0


def _lisbjerg() -> list[tuple[str, float, bool] | str]:
    """Item 12 of the Aarhus minutes, line by line as its PDF lays it out."""
    return [
        ("Punkt 12: Anlægsbevilling til nyt idrætsanlæg i", TITLE, True),
        ("Lisbjerg", TITLE, True),
        "EMN-2025-007459",
        ("Beslutninger", HEAD, True),
        "Tilbagesendes Magistratsafdelingen for Kultur og Borgerservice med bemærkning, at",
        "byrådet i sit møde den 27. august 2025 har vedtaget Magistratens indstilling.",
        ("Resume", HEAD, True),
        "Byen Lisbjerg i det nordlige Aarhus er under udvikling. Derfor er det nødvendigt at",
        "etablere nye idrætsfaciliteter.",
        ("Beslutningspunkter", HEAD, True),
        "Det indstilles:",
        "At 4) Anlægsbevillingen på i alt 30,7 mio. kr. finansieres dels ved 12,3 mio. kr. til an-",
        "lægsomkostninger fra de 11-årige investeringsmidler.",
        ("Bilag", HEAD, True),
        "Indstilling",
        "Bilag 1: Kort over Lisbjerg med placering af idrætsanlæg",
    ]


def _budget() -> list[tuple[str, float, bool] | str]:
    return [
        ("Punkt 13: Mulighed for skoleskift til Ravnbakkeskolen", TITLE, True),
        "EMN-2025-007142",
        ("Beslutninger", HEAD, True),
        "Godkendt.",
        ("Resume", HEAD, True),
        "Der etableres en ny skole i skoledistriktet for den kommende Ravnbakkeskole.",
        ("Beslutningspunkter", HEAD, True),
        "At 1) byrådet godkender skoleskiftet.",
    ]


def test_pdf_running_headers_and_footers_are_removed(tmp_path: Path) -> None:
    front = [
        ("REFERAT Aarhus Byråd d. 27-08-2025", 20.0, True),
        "Mødedato Onsdag d. 27. august 2025 kl. 16:00",
        "Mødested Byrådssalen",
    ]
    pages = [front, _lisbjerg(), _budget(), ["Sagen blev behandlet sammen med sagerne 3-8."]]
    path = tmp_path / "referat.pdf"
    path.write_bytes(
        make_pdf(pages, header="Aarhus Byråd – referat", footer="Side {page} af {pages}")
    )
    parsed = parse_source(path)
    assert parsed.format == "firstagenda-pdf"
    lisbjerg, school = parsed.items
    assert lisbjerg.title == "Anlægsbevilling til nyt idrætsanlæg i Lisbjerg"
    assert lisbjerg.case_number == "EMN-2025-007459"
    assert (lisbjerg.committee, lisbjerg.meeting_date, lisbjerg.meeting_place) == (
        "Aarhus Byråd",
        date(2025, 8, 27),
        "Byrådssalen",
    )
    assert lisbjerg.decision == (
        "Tilbagesendes Magistratsafdelingen for Kultur og Borgerservice med bemærkning, at "
        "byrådet i sit møde den 27. august 2025 har vedtaget Magistratens indstilling."
    )
    assert "til anlægsomkostninger fra de 11-årige" in (lisbjerg.recommendation or "")
    assert [a.title for a in lisbjerg.attachments] == [
        "Indstilling",
        "Bilag 1: Kort over Lisbjerg med placering af idrætsanlæg",
    ]
    everything = "\n".join(
        [i.title for i in parsed.items]
        + [s.text for i in parsed.items for s in i.sections]
        + [a.title for i in parsed.items for a in i.attachments]
    )
    assert "Side " not in everything
    assert "Aarhus Byråd – referat" not in everything
    assert school.decision == "Godkendt."
    # The last page's text belongs to the item it continues.
    assert "Sagen blev behandlet sammen med sagerne 3-8." in school.sections[-1].text


def test_pdf_agenda_without_decisions(tmp_path: Path) -> None:
    front = [("DAGSORDEN Aarhus Byråd d. 08-10-2025", 20.0, True), "Mødested Byrådssalen"]
    path = tmp_path / "dagsorden.pdf"
    path.write_bytes(make_pdf([front, _budget()[:2] + _budget()[4:]]))
    (item,) = load_items(path)
    assert item.decision is None
    assert item.meeting_date == date(2025, 10, 8)
    assert [(s.heading, s.kind) for s in item.sections] == [
        ("Resume", SectionKind.SUMMARY),
        ("Beslutningspunkter", SectionKind.RECOMMENDATION),
    ]


def test_pdf_numbering_its_items_without_the_word_punkt(tmp_path: Path) -> None:
    """Items titled "12. …" in the title type are items, as "Punkt 12: …" would be."""
    front = [("REFERAT Aarhus Byråd d. 27-08-2025", 20.0, True), "Mødested Byrådssalen"]
    item = [
        (line[0].replace("Punkt 12: ", "12. "), line[1], line[2])
        if isinstance(line, tuple)
        else line
        for line in _lisbjerg()
    ]
    path = tmp_path / "referat.pdf"
    path.write_bytes(make_pdf([front, item]))
    (parsed,) = load_items(path)
    assert (parsed.number, parsed.title, parsed.case_number) == (
        "12",
        "Anlægsbevilling til nyt idrætsanlæg i Lisbjerg",
        "EMN-2025-007459",
    )
    assert (parsed.decision or "").startswith("Tilbagesendes Magistratsafdelingen")


def test_pdf_that_is_not_an_agenda_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notat.pdf"
    path.write_bytes(make_pdf([["Notat om kommunens klimaplan", "Teksten har ingen punkter."]]))
    with pytest.raises(InvalidAgendaItem, match="no 'Punkt N: <title>' items"):
        load_items(path)


def test_pdf_with_a_password_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "lukket.pdf"
    path.write_bytes(make_pdf([_budget()], password="hemmelig"))
    with pytest.raises(
        InvalidAgendaItem, match=r"lukket\.pdf: an encrypted \(password-protected\) PDF"
    ):
        load_items(path)


# --- minutes as text -----------------------------------------------------------------------


def test_minutes_text_copied_from_a_pdf() -> None:
    """The text the issue describes: no blank lines, plural headings, "an- lægs…" inline."""
    text = "\n".join(
        [
            "REFERAT Aarhus Byråd d. 27-08-2025",
            "Mødedato Onsdag d. 27. august 2025 kl. 16:00",
            "Indholdsfortegnelse",
            "Anlægsbevilling til nyt idrætsanlæg i Lisbjerg............ 19",
            *(
                (line if isinstance(line, str) else line[0]).replace("an-\nlæg", "an- læg")
                for line in _lisbjerg()
            ),
        ]
    ).replace("til an-\nlægsomkostninger", "til an- lægsomkostninger")
    (item,) = load_items(text)
    assert item.source_format is SourceFormat.MINUTES_TEXT
    assert item.title == "Anlægsbevilling til nyt idrætsanlæg i Lisbjerg"
    assert item.case_number == "EMN-2025-007459"
    assert (item.decision or "").startswith("Tilbagesendes Magistratsafdelingen")
    assert "til anlægsomkostninger fra de 11-årige" in (item.recommendation or "")
    assert item.recommendation is not None
    assert "Bilag 1" not in item.recommendation
    assert next(a.title for a in item.attachments) == "Indstilling"


def test_item_text_header_line_with_several_fields() -> None:
    text = (
        "JobFokus - fremtidig indsats på beskæftigelsesområdet (B)\n"
        "Sagsnr.: 330-2015-51128 Dok.nr.: 330-2015-335020 Åbent\n"
        "Beslutningstema\nBeskæftigelsesudvalget skal tage stilling til indsatsen.\n"
        "Indstilling\nAdministrationen indstiller, at indsatsen godkendes.\n"
    )
    (item,) = load_items(text)
    assert item.case_number == "330-2015-51128"
    assert item.is_open
    assert item.recommendation == "Administrationen indstiller, at indsatsen godkendes."


# --- SBSYS, the newer export ----------------------------------------------------------------


def _as_dagsorden(publication: Path, *, named_fields: bool) -> bytes:
    """The real Ballerup items in os2web_meetings' SBSYS shape (<Dagsorden>/<Møde>/…)."""
    from lxml import etree

    root = etree.parse(str(publication)).getroot()
    agenda = root.find("Agendas/Agenda")
    meeting = agenda.find("Meeting")
    out = etree.Element("Dagsorden", DagsordenID=agenda.get("ID"), Åben="true")
    out.set("Dagsordentype", "Referat")
    etree.SubElement(
        out,
        "Møde",
        MødeID=meeting.get("ID"),
        Udvalg=agenda.findtext("Committee/Name"),
        Mødedato="15. maj 2013",
        Mødetid="16:30",
        Mødested=meeting.findtext("Where"),
    )
    points = etree.SubElement(out, "Dagsordenpunkter")
    for item in agenda.find("Items"):
        point = etree.SubElement(points, "Dagsordenpunkt", DagsordenpunktID=item.get("ID"))
        point.set("Åbent", item.findtext("IsPublic").lower())
        etree.SubElement(point, "Overskrift").text = item.findtext("Caption")
        fields = sorted(item.find("Fields"), key=lambda f: int(f.findtext("Index")))
        holder = etree.SubElement(point, "Indhold") if named_fields else None
        for field in fields:
            if named_fields:
                etree.SubElement(
                    holder, "Felt", Navn=field.findtext("Caption")
                ).text = field.findtext("Content")
            else:
                etree.SubElement(
                    point, "Indhold", Overskrift=field.findtext("Caption")
                ).text = field.findtext("Content")
        listing = etree.SubElement(point, "Bilagsliste")
        for enclosure in item.find("Enclosures"):
            etree.SubElement(
                listing,
                "Bilag",
                BilagID=enclosure.findtext("Number"),
                Navn=enclosure.findtext("Name"),
                MaaPubliceres="true",
            )
    return etree.tostring(out, xml_declaration=True, encoding="utf-8")


@pytest.mark.parametrize("named_fields", [False, True])
def test_sbsys_dagsorden_dialect_reads_like_the_publication(named_fields: bool) -> None:
    publication = REAL / "ballerup-kmb-it-udvalget-2013-05-15.sbsys.xml"
    expected = load_items(publication)
    parsed = parse_source(_as_dagsorden(publication, named_fields=named_fields))
    assert parsed.format == "sbsys-xml"
    assert [i.number for i in parsed.items] == [i.number for i in expected]
    for got, want in zip(parsed.items, expected, strict=True):
        assert got.title == want.title
        assert (got.committee, got.meeting_date, got.meeting_place) == (
            want.committee,
            want.meeting_date,
            want.meeting_place,
        )
        assert [(s.heading, s.kind, s.text) for s in got.sections] == [
            (s.heading, s.kind, s.text) for s in want.sections
        ]
        assert got.recommendation == want.recommendation
        assert [a.title for a in got.attachments] == [a.title for a in want.attachments]


def test_sbsys_closed_item_keeps_its_title_only() -> None:
    xml = (
        '<Dagsorden Åben="true"><Møde Udvalg="Økonomiudvalget" Mødedato="27. august 2018"/>'
        '<Dagsordenpunkter><Dagsordenpunkt Åbent="false"><Overskrift>Salg af grund</Overskrift>'
        '<Indhold Overskrift="Sagsfremstilling">&lt;p&gt;Fortroligt.&lt;/p&gt;</Indhold>'
        "</Dagsordenpunkt></Dagsordenpunkter></Dagsorden>"
    )
    (item,) = load_items(xml)
    assert (item.title, item.is_open, item.sections) == ("Salg af grund", False, ())
    assert item.meeting_date == date(2018, 8, 27)


# --- eDoc in Fujitsu's namespace ------------------------------------------------------------

FUJITSU = """<Root xmlns:edoc="http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/">
  <edoc:OutputTypeEnumName>Minutes</edoc:OutputTypeEnumName>
  <edoc:Committee>
    <edoc:Name>Hennys testudvalg</edoc:Name>
    <edoc:Meeting>
      <edoc:MeetingDateTime>02-05-2017 10:00</edoc:MeetingDateTime>
      <edoc:MeetingLocation>Mødelokale 1, Midtpunkt</edoc:MeetingLocation>
      <edoc:Agenda><edoc:AgendaElements>
        <edoc:AgendaElement>
          <edoc:AccessIsPublic>true</edoc:AccessIsPublic>
          <edoc:SortOrder>2</edoc:SortOrder>
          <edoc:HandlingItem>
            <edoc:SerialNo>3</edoc:SerialNo>
            <edoc:Title>test tabel</edoc:Title>
            <edoc:CaseNumber>200906126</edoc:CaseNumber>
            <edoc:CasePresentations>
              <edoc:CasePresentation><edoc:Title>Forvaltningen foreslår</edoc:Title>
                <edoc:Content><![CDATA[<p>at sagen godkendes.</p>]]></edoc:Content>
                <edoc:IsDecision>false</edoc:IsDecision></edoc:CasePresentation>
              <edoc:CasePresentation><edoc:Title>Økonomi</edoc:Title>
                <edoc:Content><![CDATA[]]></edoc:Content>
                <edoc:IsDecision>false</edoc:IsDecision></edoc:CasePresentation>
              <edoc:CasePresentation><edoc:Title>Udvalgets afgørelse</edoc:Title>
                <edoc:Content><![CDATA[<p>Godkendt.</p>]]></edoc:Content>
                <edoc:IsDecision>true</edoc:IsDecision></edoc:CasePresentation>
            </edoc:CasePresentations>
            <edoc:Attachments><edoc:Attachment><edoc:Identifier>a1</edoc:Identifier>
              <edoc:Title>Bilag 1</edoc:Title><edoc:Link>bilag\\1.pdf</edoc:Link></edoc:Attachment>
            </edoc:Attachments>
          </edoc:HandlingItem>
        </edoc:AgendaElement>
        <edoc:AgendaElement><edoc:SortOrder>1</edoc:SortOrder><edoc:Type>Pause</edoc:Type></edoc:AgendaElement>
        <edoc:AgendaElement>
          <edoc:AccessIsPublic>false</edoc:AccessIsPublic>
          <edoc:HandlingItem><edoc:SerialNo>2</edoc:SerialNo><edoc:Title>test</edoc:Title>
            <edoc:CasePresentations><edoc:CasePresentation><edoc:Title>Præsentation</edoc:Title>
              <edoc:Content><![CDATA[<p>Fortroligt.</p>]]></edoc:Content></edoc:CasePresentation>
            </edoc:CasePresentations></edoc:HandlingItem>
        </edoc:AgendaElement>
      </edoc:AgendaElements></edoc:Agenda>
    </edoc:Meeting>
  </edoc:Committee>
</Root>"""


def test_edoc_in_fujitsus_namespace() -> None:
    """The element names and nesting of os2dagsorden's Fujitsu example (CONSTRUCTED text)."""
    parsed = parse_source(FUJITSU.encode("utf-8"))
    assert parsed.format == "edoc-xml"
    closed, table = parsed.items  # in the agenda's order, the pause row left out
    assert (closed.number, closed.title, closed.is_open, closed.sections) == (
        "2",
        "test",
        False,
        (),
    )
    assert (table.number, table.case_number) == ("3", "200906126")
    assert (table.committee, table.meeting_date, table.meeting_place) == (
        "Hennys testudvalg",
        date(2017, 5, 2),
        "Mødelokale 1, Midtpunkt",
    )
    assert table.recommendation == "at sagen godkendes."
    assert table.decision == "Godkendt."  # marked IsDecision, whatever its title says
    assert [(a.title, a.document_id) for a in table.attachments] == [("Bilag 1", "a1")]


# --- a portal page of minutes ---------------------------------------------------------------

# The first row of Aarhus's Teknisk Udvalg minutes page of 1 Oct 2025 (jakobmwang/dagsordener,
# data/test/example_minutes.html), verbatim, in the page's table.
MINUTES_ROW = (
    '<tr class="punktrow" id="punktrow_2bb4b425-da89-4a32-aa5c-d06cad13dafb"><td class="text-'
    'center punkt-tabel"><span class="label label-default">1</span></td><td class="punkt-tabel">'
    '<button class="overskrift-btn" role="button" aria-expanded="false" aria-controls="details0">'
    '<h2 class="overskrift text-left" id="overskrift0 " tabindex="0">Referat fra sidste '
    'udvalgsmøde</h2></button><div class="details" id="details0"><span class="sagsnummer">EMN-'
    '2025-010561</span><div class="punkt"><h3></h3><div><div id="sagsfremstillingContainer">\n\n'
    '<div><h3>Beslutninger</h3>\n<span class="resume"><div>Ingen bemærkninger.</div></span>\n'
    '</div>\n\n</div></div></div><h3>Bilag</h3><ul class="list-unstyled"><li><span class="label '
    'label-default pdf-label" tabindex="0" data-type="bilag" data-id="961ad716-c7b0-4eb2-b39c-'
    'abb4c30cb7e9" role="button" aria-label="Referat fra møde den 22. september 2025. Tilhørende '
    'punktet: Referat fra sidste udvalgsmøde">PDF</span><a id="enclosure-961ad716-c7b0-4eb2-b39c-'
    'abb4c30cb7e9" class="bilag-link" target="_blank" href="/vis/pdf/bilag/961ad716-c7b0-4eb2-'
    'b39c-abb4c30cb7e9/?redirectDirectlyToPdf=false">Referat fra møde den 22. september 2025</a>'
    "</li></ul></div></td></tr>"
)


def test_portal_page_of_minutes_has_decisions() -> None:
    page = (
        '<html lang="da"><head><title>Teknisk Udvalg - Udvalgsværelse 398</title></head><body>'
        '<h1 class="green dato">Referat 1. oktober 2025 kl. 15.45</h1><table class="dagsordeninfo">'
        '<tr><td>Udvalg:</td><td><span class="udvalg">Teknisk Udvalg</span></td></tr>'
        '<tr class="sted-container"><td>Mødested:</td><td><span class="sted">Udvalgsværelse 398'
        '</span></td></tr></table><table id="dagsordenDetaljer"><tbody>'
        + MINUTES_ROW
        + "</tbody></table></body></html>"
    )
    parsed = parse_source(page)
    assert parsed.format == "firstagenda-page"
    (item,) = parsed.items
    assert (item.number, item.title, item.case_number) == (
        "1",
        "Referat fra sidste udvalgsmøde",
        "EMN-2025-010561",
    )
    assert (item.committee, item.meeting_date, item.meeting_place) == (
        "Teknisk Udvalg",
        date(2025, 10, 1),
        "Udvalgsværelse 398",
    )
    assert item.decision == "Ingen bemærkninger."
    assert [(a.title, a.document_id) for a in item.attachments] == [
        ("Referat fra møde den 22. september 2025", "961ad716-c7b0-4eb2-b39c-abb4c30cb7e9")
    ]


def test_portal_page_closed_row() -> None:
    row = MINUTES_ROW.replace("Referat fra sidste udvalgsmøde</h2>", "Lukket: Køb af ejendom</h2>")
    row = row.replace('<span class="resume"><div>Ingen bemærkninger.</div></span>', "")
    (item,) = load_items(f"<table><tbody>{row}</tbody></table>")
    assert (item.title, item.is_open, item.sections) == ("Køb af ejendom", False, ())


# --- detection and forcing -----------------------------------------------------------------


def test_format_names_cover_every_source_format() -> None:
    names = set(format_names())
    assert {f.value for f in SourceFormat if f is not SourceFormat.PLUGIN} <= names


def test_forcing_a_format(tmp_path: Path) -> None:
    acadre = REAL / "syddjurs-puk-2013-06-20.acadre.xml"
    assert parse_source(acadre, format="acadre-xml").format == "acadre-xml"
    with pytest.raises(InvalidAgendaItem, match="not SBSYS XML: the root element is <root>"):
        load_items(acadre, format="sbsys-xml")
    with pytest.raises(InvalidAgendaItem, match="expected text"):
        load_items(acadre, format="minutes-text")
    with pytest.raises(
        InvalidAgendaItem, match=r"unknown format 'word' \(supported: firstagenda-item"
    ):
        load_items(acadre, format="word")


def test_markup_is_never_item_text() -> None:
    for source in (
        '<?xml version="1.0"?>\n<Meeting><Committee>Punkt 1: Budget</Committee></Meeting>',
        "<html><body><p>Punkt 1: Budget</p><h3>Indstilling</h3></body></html>",
        "<div>Punkt 1: Budget</div>",
    ):
        with pytest.raises(InvalidAgendaItem, match=r"XML with root element <Meeting>|HTML page"):
            load_items(source)


def test_minutes_case_number_line_with_several_fields() -> None:
    text = "Punkt 3: Salg af grund\nSagsnr.: 12/345 Dok.nr.: 67/890 {}\nBeslutning\nGodkendt.\n"
    closed = load_items(text.format("Lukket"))[0]
    assert (closed.case_number, closed.is_open) == ("12/345", False)
    public = load_items(text.format("Åbent"))[0]
    assert (public.case_number, public.is_open, public.decision) == ("12/345", True, "Godkendt.")


def test_portal_page_of_one_item() -> None:
    page = (
        "<html><head><title>Dagsordenspunkt</title></head><body>"
        '<h2 class="overskrift">Forslag til budget 2026-2029</h2>'
        '<span class="sagsnummer">EMN-2025-008308</span><div id="sagsfremstillingContainer">'
        '<h3>Resume</h3><span class="resume"><div>Vores hverdag leves der, hvor vi bor.</div>'
        "</span></div></body></html>"
    )
    (item,) = load_items(page)
    assert (item.title, item.case_number) == ("Forslag til budget 2026-2029", "EMN-2025-008308")
    assert [(s.heading, s.kind) for s in item.sections] == [("Resume", SectionKind.SUMMARY)]

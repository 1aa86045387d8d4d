"""The ESDH XML exports as another municipality's export of the same system would differ.

Each sibling is built in the test from a real export (tests/data/real) by changing what a
municipality, a system version or a closed agenda changes: committee and numbering, items out of
order and sub-numbered, closed items, missing optional parts, other encodings and namespaces,
elements a newer version adds. The readers must give each sibling's items exactly.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import AgendaItem, SectionKind

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SBSYS = REAL / "ballerup-kmb-it-udvalget-2013-05-15.sbsys.xml"
EDOC = REAL / "ballerup-sundhed-forebyggelse-2012-12-04.edoc.xml"
FUJITSU = REAL / "hennys-testudvalg-2017-05-02.republished.edoc-fujitsu.xml"
ACADRE = REAL / "syddjurs-puk-2013-06-20.acadre.xml"
FUJITSU_NS = "http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/"


def _tree(path: Path) -> Any:
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    # eDoc writes "&#xC;" (a form feed, which XML 1.0 forbids): the reader turns it into a
    # space, and so does the test before it edits the tree.
    return etree.fromstring(raw.replace(b"&#xC;", b" "))


def _bytes(root: Any, encoding: str = "utf-8") -> bytes:
    data = etree.tostring(root, xml_declaration=True, encoding=encoding)
    assert isinstance(data, bytes)
    return data


def _view(items: list[AgendaItem]) -> list[tuple[Any, ...]]:
    return [
        (
            i.number,
            i.title,
            i.is_open,
            i.case_number,
            [(s.heading, s.kind, s.text) for s in i.sections],
            [a.title for a in i.attachments],
        )
        for i in items
    ]


# --- SBSYS <Publication> ---------------------------------------------------------------------


def _sbsys_items(root: Any) -> Any:
    return root.find("Agendas/Agenda/Items")


def test_sbsys_another_committee_with_sixty_items_listed_out_of_order() -> None:
    root = _tree(SBSYS)
    root.find("Agendas/Agenda/Committee/Name").text = "Børne- og Skoleudvalget"
    listing = _sbsys_items(root)
    real = list(listing)
    for element in real:
        listing.remove(element)
    for number in [*range(60, 30, -1), *range(1, 31)]:  # the second half first
        item = copy.deepcopy(real[(number - 1) % 5])
        item.find("Number").text = str(number)
        item.find("Caption").text = f"Punkt nummer {number}"
        listing.append(item)
    items = load_items(_bytes(root))
    assert [i.number for i in items] == [str(n) for n in range(1, 61)]
    assert [i.title for i in items[:3]] == ["Punkt nummer 1", "Punkt nummer 2", "Punkt nummer 3"]
    assert {i.committee for i in items} == {"Børne- og Skoleudvalget"}
    assert items[1].recommendation == load_items(SBSYS)[1].recommendation


def test_sbsys_sub_numbered_items_in_agenda_order() -> None:
    root = _tree(SBSYS)
    for item, number in zip(_sbsys_items(root), ["3", "2.1", "2a", "1", "2"], strict=True):
        item.find("Number").text = number
    assert [i.number for i in load_items(_bytes(root))] == ["1", "2", "2a", "2.1", "3"]


def test_sbsys_closed_item_publishes_neither_text_nor_files() -> None:
    root = _tree(SBSYS)
    list(_sbsys_items(root))[2].find("IsPublic").text = "False"
    closed = load_items(_bytes(root))[2]
    assert closed.title == "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)"
    assert (closed.is_open, closed.sections, closed.attachments) == (False, (), ())


def test_sbsys_untitled_items() -> None:
    root = _tree(SBSYS)
    first, second = list(_sbsys_items(root))[:2]
    first.find("IsPublic").text = "False"
    first.find("Caption").text = None
    items = load_items(_bytes(root))
    assert (items[0].number, items[0].title, items[0].is_open) == ("1", "Lukket punkt", False)
    second.find("Caption").text = None
    with pytest.raises(InvalidAgendaItem, match="SBSYS agenda item 2 has text but no title"):
        load_items(_bytes(root))


def test_sbsys_missing_optional_parts() -> None:
    root = _tree(SBSYS)
    meeting = root.find("Agendas/Agenda/Meeting")
    meeting.remove(meeting.find("Where"))
    for item in _sbsys_items(root):
        for name in ("Case", "Enclosures", "IsPublic", "Number"):
            element = item.find(name)
            if element is not None:
                item.remove(element)
    items = load_items(_bytes(root))
    assert [i.number for i in items] == ["1", "2", "3", "4", "5"]  # by place in the export
    assert {i.meeting_place for i in items} == {None}
    assert all(i.is_open and i.attachments == () for i in items)


@pytest.mark.parametrize(
    "variant",
    ["no-bom", "windows-1252", "iso-8859-1", "utf-16", "escaped-html", "prefixed", "default-ns"],
)
def test_sbsys_the_same_export_in_other_bytes(variant: str) -> None:
    root = _tree(SBSYS)
    if variant == "no-bom":
        data = SBSYS.read_bytes().removeprefix(b"\xef\xbb\xbf")
    elif variant in ("windows-1252", "iso-8859-1", "utf-16"):
        data = _bytes(root, variant)
        assert f"encoding='{variant}'".encode() in data.replace(b"\x00", b"")[:100].lower()
    elif variant == "escaped-html":
        data = _bytes(root)  # lxml writes the CDATA sections' HTML entity-escaped
        assert b"<![CDATA[" not in data
        assert b"&lt;p&gt;" in data
    else:
        data = _bytes(_namespaced(root, "sb" if variant == "prefixed" else None))
        assert (b"<sb:Agendas>" if variant == "prefixed" else b'<Publication xmlns="') in data
    assert _view(load_items(data)) == _view(load_items(SBSYS))


def _namespaced(root: Any, prefix: str | None, namespace: str = "urn:example:export") -> Any:
    """The document with every element in a namespace, under `prefix` (None: the default)."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = f"{{{namespace}}}{element.tag}"
    nsmap: Any = {prefix: namespace}
    moved = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    moved.text = root.text
    moved.extend(list(root))
    return moved


def test_sbsys_utf8_declared_as_latin1_is_a_wrong_declaration() -> None:
    data = _bytes(_tree(SBSYS)).replace(b"encoding='utf-8'", b"encoding='ISO-8859-1'")
    with pytest.raises(InvalidAgendaItem, match="declares encoding ISO-8859-1, but its bytes"):
        load_items(data)


def test_sbsys_elements_a_newer_export_adds_are_ignored() -> None:
    root = _tree(SBSYS)
    etree.SubElement(root.find("Agendas/Agenda"), "Livestream").text = "https://example.org/tv"
    for item in _sbsys_items(root):
        etree.SubElement(item, "Votes").text = "7-2"
        field = etree.SubElement(item.find("Fields"), "ItemFieldHistory")
        etree.SubElement(field, "Content").text = "<p>En ældre version</p>"
    assert _view(load_items(_bytes(root))) == _view(load_items(SBSYS))


@pytest.mark.parametrize(
    "when", ["2013-05-15T16:30:00", "15-05-2013 16:30:00", "15.05.2013", "15. maj 2013 kl. 16.30"]
)
def test_sbsys_meeting_dates_as_exports_write_them(when: str) -> None:
    root = _tree(SBSYS)
    root.find("Agendas/Agenda/Meeting/When").text = when
    assert load_items(_bytes(root))[0].meeting_date == date(2013, 5, 15)


# --- SBSYS <Dagsorden> -----------------------------------------------------------------------

DAGSORDEN = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Dagsorden DagsordenID="1234" Åben="{agenda}" Dagsordentype="Referat">'
    '<Møde MødeID="99" Udvalg="Teknik- og Miljøudvalget" UdvalgID="7" Mødedato="27. august 2018"'
    ' Mødetid="16:00" Mødested="Byrådssalen"/><Dagsordenpunkter>{points}</Dagsordenpunkter>'
    "</Dagsorden>"
)
POINT = (
    '<Dagsordenpunkt DagsordenpunktID="{id}" Nummer="{number}" Åbent="{open}">'
    "<Overskrift>{title}</Overskrift><Indhold>"
    "<Sagsfremstilling>&lt;p&gt;Planen er udarbejdet.&lt;/p&gt;</Sagsfremstilling>"
    "<Indstilling><![CDATA[<p>At planen godkendes.</p>]]></Indstilling>"
    "<{economy}><![CDATA[<p>Ingen.</p>]]></{economy}>"
    "<Beslutning><![CDATA[<p>Godkendt.</p>]]></Beslutning></Indhold>"
    '<Bilagsliste><Bilag BilagID="11" Navn="Plan.pdf" BilagUrl="https://example.org/11"'
    ' MaaPubliceres="True"/><Bilag BilagID="12" Navn="Notat om grundkøb" MaaPubliceres="False"/>'
    "</Bilagsliste></Dagsordenpunkt>"
)


def _point(number: str, title: str, *, open_: str = "True", economy: str = "Økonomi") -> str:
    return POINT.format(id=number, number=number, open=open_, title=title, economy=economy)


def _dagsorden(*points: str, agenda: str = "true") -> bytes:
    return DAGSORDEN.format(agenda=agenda, points="".join(points)).encode("utf-8")


@pytest.mark.parametrize(
    "economy",
    ["Økonomi", "Økonomiske_konsekvenser", "ØkonomiskeKonsekvenser", "Økonomi-og-finansiering"],
)
def test_sbsys_dagsorden_fields_named_by_their_elements(economy: str) -> None:
    (item,) = load_items(_dagsorden(_point("1", "Trafiksikkerhedsplan 2019", economy=economy)))
    assert [(s.heading, s.kind) for s in item.sections] == [
        ("Sagsfremstilling", SectionKind.PRESENTATION),
        ("Indstilling", SectionKind.RECOMMENDATION),
        (economy.replace("_", " ").replace("-", " ").replace("eK", "e k"), SectionKind.ECONOMY),
        ("Beslutning", SectionKind.DECISION),
    ]
    assert (item.recommendation, item.decision) == ("At planen godkendes.", "Godkendt.")
    assert [(a.title, a.document_id, a.url) for a in item.attachments] == [
        ("Plan.pdf", "11", "https://example.org/11")
    ]
    assert (item.committee, item.meeting_date, item.meeting_place) == (
        "Teknik- og Miljøudvalget",
        date(2018, 8, 27),
        "Byrådssalen",
    )


@pytest.mark.parametrize("value", ["False", "false", "0", "Nej", "Lukket"])
def test_sbsys_dagsorden_closed_point(value: str) -> None:
    (item,) = load_items(_dagsorden(_point("4", "Køb af grund", open_=value)))
    assert (item.title, item.is_open, item.sections, item.attachments) == (
        "Køb af grund",
        False,
        (),
        (),
    )


def test_sbsys_dagsorden_closed_agenda_closes_every_point() -> None:
    items = load_items(_dagsorden(_point("1", "A"), _point("2", "B"), agenda="false"))
    assert [(i.is_open, i.sections, i.attachments) for i in items] == [(False, (), ())] * 2


def test_sbsys_dagsorden_points_in_agenda_order_and_untitled_closed_point() -> None:
    untitled = (
        '<Dagsordenpunkt DagsordenpunktID="9" Nummer="2" Åbent="false"><Overskrift/>'
        "</Dagsordenpunkt>"
    )
    items = load_items(_dagsorden(_point("3", "Budget"), untitled, _point("1", "Dagsorden")))
    assert [(i.number, i.title, i.is_open) for i in items] == [
        ("1", "Dagsorden", True),
        ("2", "Lukket punkt", False),
        ("3", "Budget", True),
    ]


@pytest.mark.parametrize(
    ("day", "time"),
    [
        ("27. august 2018", "16:00"),
        ("2018-08-27", "16:00"),
        ("27-08-2018", "16:00:00"),
        ("27.08.2018", ""),
        ("2018-08-27T16:00:00", ""),
    ],
)
def test_sbsys_dagsorden_meeting_dates(day: str, time: str) -> None:
    data = _dagsorden(_point("1", "A")).replace(
        'Mødedato="27. august 2018" Mødetid="16:00"'.encode(),
        f'Mødedato="{day}" Mødetid="{time}"'.encode(),
    )
    assert load_items(data)[0].meeting_date == date(2018, 8, 27)


def test_sbsys_dagsorden_empty_fields_and_cdata_are_no_sections() -> None:
    empty = (
        '<Dagsordenpunkt DagsordenpunktID="5" Åbent="true"><Overskrift>Eventuelt</Overskrift>'
        "<Indhold><Sagsfremstilling><![CDATA[]]></Sagsfremstilling><Beslutning/>"
        "<Indstilling><![CDATA[<p>&nbsp;</p>]]></Indstilling></Indhold><Bilagsliste/>"
        "</Dagsordenpunkt>"
    )
    (item,) = load_items(_dagsorden(empty))
    assert (item.title, item.is_open, item.sections, item.attachments) == (
        "Eventuelt",
        True,
        (),
        (),
    )


# --- eDoc <Meeting> --------------------------------------------------------------------------


def _edoc_items(root: Any) -> Any:
    return root.find("MeetingAgendaTypes/MeetingAgendaType/MeetingAgendaItems")


def test_edoc_sub_numbered_items_in_agenda_order() -> None:
    root = _tree(EDOC)
    numbers = ["2", "10", "2a", "2.1", "3", "1", "11", "9"]
    for item, number in zip(_edoc_items(root), numbers, strict=True):
        item.find("AgendaItemNumber").text = number
    assert [i.number for i in load_items(_bytes(root))] == [
        "1",
        "2",
        "2a",
        "2.1",
        "3",
        "9",
        "10",
        "11",
    ]


def test_edoc_closed_item_without_a_title_loads_as_closed() -> None:
    root = _tree(EDOC)
    first = next(iter(_edoc_items(root)))  # number 2, "Bygningsvedligeholdelse 2013 - …"
    first.find("Document/PublishingType").text = "MÅ IKKE PUBLICERES"
    first.find("Document/Title").text = None
    first.find("Document/NeutralTitle").text = "Vedligeholdelse af bygninger"
    first.find("FullText").text = None
    items = {i.number: i for i in load_items(_bytes(root))}
    closed = items["2"]
    assert (closed.title, closed.is_open, closed.sections, closed.attachments) == (
        "Vedligeholdelse af bygninger",
        False,
        (),
        (),
    )
    first.find("Document/NeutralTitle").text = None
    assert {i.number: i for i in load_items(_bytes(root))}["2"].title == "Lukket punkt"
    assert len(items) == 8


def test_edoc_closed_agenda_type_publishes_titles_only() -> None:
    root = _tree(EDOC)
    types = root.find("MeetingAgendaTypes")
    closed = copy.deepcopy(types.find("MeetingAgendaType"))
    closed.find("AgendaType").text = "Lukket dagsorden"
    for number, item in enumerate(closed.find("MeetingAgendaItems"), start=20):
        item.find("AgendaItemNumber").text = str(number)
    types.append(closed)
    items = load_items(_bytes(root))
    assert len(items) == 16
    assert all(i.is_open for i in items[:8])
    assert [(i.is_open, i.sections, i.attachments) for i in items[8:]] == [(False, (), ())] * 8


@pytest.mark.parametrize("variant", ["iso-date", "crlf", "namespaced", "windows-1252", "extra"])
def test_edoc_the_same_export_in_other_shapes(variant: str) -> None:
    root = _tree(EDOC)
    encoding = "utf-8"
    if variant == "extra":
        for item in _edoc_items(root):
            etree.SubElement(item, "VideoTimestamp").text = "00:12:31"
            etree.SubElement(item.find("Document"), "Keywords").text = "budget"
    elif variant == "iso-date":
        root.find("MeetingDate").text = "2012-12-04T13:00:00"
    elif variant == "crlf":
        for item in _edoc_items(root):
            item.find("FullText").text = item.find("FullText").text.replace("\n", "\r\n")
    elif variant == "namespaced":
        root = _namespaced(root, "edoc")
    else:
        encoding = "windows-1252"
    expected = _view(load_items(EDOC))
    assert _view(load_items(_bytes(root, encoding))) == expected
    assert load_items(_bytes(root, encoding))[0].meeting_date == date(2012, 12, 4)


# --- Fujitsu eDoc ----------------------------------------------------------------------------


def _fujitsu_elements(root: Any) -> list[Any]:
    path = "{0}Committee/{0}Meeting/{0}Agenda/{0}AgendaElements".format(f"{{{FUJITSU_NS}}}")
    return list(root.find(path))


def _f(name: str) -> str:
    return f"{{{FUJITSU_NS}}}{name}"


def test_fujitsu_non_public_file_of_an_open_item_is_left_out() -> None:
    root = _tree(FUJITSU)
    first = _fujitsu_elements(root)[0]
    attachment = first.find(f"{_f('HandlingItem')}/{_f('Attachments')}/{_f('Attachment')}")
    attachment.find(_f("AccessEnumName")).text = "Private"
    attachment.find(_f("AccessName")).text = "Fortrolig"
    (item, *_) = load_items(_bytes(root))
    assert [a.title for a in item.attachments] == [
        "Nyhedsbrev nr. 1-2017.pdf",
        "Signaturbevis.txt",
        "TrekantBrand nyhedsbrev nr. 2-2017.msg",
    ]


def test_fujitsu_closed_item_goes_by_its_neutral_title() -> None:
    root = _tree(FUJITSU)
    handling = _fujitsu_elements(root)[4].find(_f("HandlingItem"))
    handling.find(_f("Title")).text = "Erstatning til Anders Juel Sørensen"
    handling.find(_f("NeutralTitle")).text = "Personalesag"
    items = {i.number: i for i in load_items(_bytes(root))}
    assert (items["5"].title, items["5"].is_open) == ("Personalesag", False)
    handling.find(_f("NeutralTitle")).text = None
    handling.find(_f("Title")).text = None
    items = {i.number: i for i in load_items(_bytes(root))}
    assert (items["5"].title, items["5"].is_open) == ("Lukket punkt", False)


def test_fujitsu_rows_without_a_handling_item_are_breaks() -> None:
    root = _tree(FUJITSU)
    elements = root.find(
        "{0}Committee/{0}Meeting/{0}Agenda/{0}AgendaElements".format(f"{{{FUJITSU_NS}}}")
    )
    pause = etree.SubElement(elements, _f("AgendaElement"))
    etree.SubElement(pause, _f("Type")).text = "Pause"
    etree.SubElement(pause, _f("SortOrder")).text = "3"
    assert [i.number for i in load_items(_bytes(root))] == ["1", "2", "3", "4", "5", "6"]


# --- Acadre ----------------------------------------------------------------------------------


def _acadre_tables(element: Any, name: str) -> list[Any]:
    return [t for t in element.iter("table") if t.get("name") == name]


def _acadre_field(table: Any, name: str) -> Any:
    return next(f for f in table.find("fields") if f.get("name") == name)


def _acadre_items(variants: list[tuple[int, str, str, str]]) -> bytes:
    """The Syddjurs item, and copies of it with (sort, title, access, accessname)."""
    root = _tree(ACADRE)
    parent = _acadre_tables(root, "agendaitemparents")[0]
    for sort, title, access, access_name in variants:
        copied = copy.deepcopy(parent)
        _acadre_field(copied, "sort").text = str(sort)
        item = _acadre_tables(copied, "agendaitem")[0]
        _acadre_field(item, "name").text = title
        _acadre_field(item, "access").text = access
        _acadre_field(item, "accessname").text = access_name
        parent.getparent().append(copied)
    return _bytes(root)


def test_acadre_closed_and_personal_items_publish_their_titles_only() -> None:
    data = _acadre_items(
        [
            (900, "Budgetopfølgning", "1", "Åben"),
            (100, "Salg af ejendom", "2", "Lukket"),
            (200, "Personalesag", "3", "Personsag"),
        ]
    )
    items = load_items(data)
    assert [(i.number, i.title, i.is_open) for i in items] == [
        ("1", "Salg af ejendom", False),
        ("2", "Personalesag", False),
        ("3", "Kulturkommune 2017. Politiske fokusområder", True),
        ("4", "Budgetopfølgning", True),
    ]
    for closed in items[:2]:
        assert (closed.sections, closed.attachments, closed.decision) == ((), (), None)
    assert len(items[3].attachments) == 3


def test_acadre_case_files_are_attachments_where_published() -> None:
    root = _tree(ACADRE)
    item = _acadre_tables(root, "agendaitem")[0]
    case = etree.SubElement(item, "table", name="Case")
    files = etree.SubElement(case, "table", name="Files")
    for title, level in (("Høringssvar fra Rønde Borgerforening", "Åben"), ("Tilbud", "Lukket")):
        row = etree.SubElement(etree.SubElement(files, "table", name="File"), "fields")
        for name, value in (
            ("Title", title),
            ("FileName", f"{title[:6]}.DOCX"),
            ("PublicAccessLevelName", level),
        ):
            etree.SubElement(row, "field", name=name).text = value
    (loaded,) = load_items(_bytes(root))
    assert [(a.title, a.document_id) for a in loaded.attachments][3:] == [
        ("Høringssvar fra Rønde Borgerforening", "Høring.DOCX")
    ]


@pytest.mark.parametrize(
    "when", ["2013-06-20 10:30", "20-06-2013 10:30:00", "20.06.2013", "2013-06-20T10:30:00"]
)
def test_acadre_meeting_dates(when: str) -> None:
    root = _tree(ACADRE)
    _acadre_field(_acadre_tables(root, "meeting")[0], "date").text = when
    (item,) = load_items(_bytes(root))
    assert item.meeting_date == date(2013, 6, 20)
    # The decision is still this meeting's, found by the date in its heading.
    assert (item.decision or "").startswith("Punktet blev drøftet.")


def test_acadre_manifest_names_the_agenda_to_load() -> None:
    manifest = REAL / "syddjurs-puk-2013-06-20.acadre-manifest.xml"
    with pytest.raises(
        InvalidAgendaItem, match=r"Acadre publication manifest.*\(Files_1863_3687982/3687981\.xml\)"
    ):
        load_items(manifest)

"""Inputs that look like the supported formats but are not: never a silently wrong item list.

Each is refused with a typed error that names the input, says what it looks like and lists the
supported formats: the XML of another agenda or ESDH system (shapes like KMD's and Cura's, which
the project has no export of: CONSTRUCTED), feeds, publishing manifests that only point at the
agenda file, and the portal's other JSON (the committee list is real, tests/data/portal).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casesummary import InvalidAgendaItem, load_items

DATA = Path(__file__).resolve().parents[1] / "data"
SUPPORTED = "Supported: FirstAgenda portal JSON (an item or a meeting), FirstAgenda portal pages"


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Dagsordener</title>'
            "<item><title>Punkt 1: Budget 2026</title><link>https://example.org/1</link></item>"
            "</channel></rss>",
            r"an RSS feed \(root element <rss>\), not an agenda export",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Referater</title>'
            "<entry><title>Økonomiudvalget 12-03-2024</title></entry></feed>",
            r"an Atom feed \(root element <feed>\)",
        ),
        (
            "<Dagsorden><Moede><Udvalg>Økonomiudvalget</Udvalg></Moede><Punkter><Punkt><Nr>1</Nr>"
            "<Titel>Budget</Titel></Punkt></Punkter></Dagsorden>",
            r"root element <Dagsorden> like SBSYS's <Dagsorden> with <Dagsordenpunkter>, but "
            r"without the rest of that export \(it holds <Moede>, <Punkter>\)",
        ),
        (
            "<Meeting><Title>Byråd</Title><Items><Item><Title>Budget</Title></Item></Items>"
            "</Meeting>",
            r"root element <Meeting> like eDoc's <Meeting> with <MeetingAgendaTypes>",
        ),
        (
            '<MoedeReferat xmlns="urn:kmd:opus:moede"><Punkt nr="1">Budget</Punkt></MoedeReferat>',
            r"root element <MoedeReferat> in namespace urn:kmd:opus:moede \(it holds <Punkt>\), "
            r"which no supported format has",
        ),
        (
            '<Root xmlns:edoc="http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/">'
            "<edoc:Notification><edoc:Publish>true</edoc:Publish><edoc:PathToXml>\\Hennys "
            "testudvalg\\2017-05-02 10.00\\Dagsorden\\41a93779.xml</edoc:PathToXml>"
            "</edoc:Notification></Root>",
            r"an eDoc \(Fujitsu\) publishing manifest: it only names the agenda's XML file "
            r"\(\\Hennys testudvalg\\2017-05-02 10.00\\Dagsorden\\41a93779\.xml\)",
        ),
        (
            '<root><org>Acadre Produktion</org><table name="meeting"><fields>'
            '<field name="Ekstraordinært PUK"/></fields></table></root>',
            r"root element <root> like Acadre's <root> with <table name=\"agenda\">",
        ),
    ],
)
def test_xml_of_other_kinds(xml: str, says: str) -> None:
    with pytest.raises(InvalidAgendaItem, match=says) as caught:
        load_items(xml)
    assert str(caught.value).startswith("<string>: ")
    assert SUPPORTED in str(caught.value)


def test_the_portals_committee_list_is_no_meeting() -> None:
    path = DATA / "portal" / "hvidovre-udvalgsliste-2026-05-12.json"
    with pytest.raises(
        InvalidAgendaItem, match=r"a FirstAgenda portal's committee list \(udvalgsliste\)"
    ) as caught:
        load_items(path)
    assert str(path) in str(caught.value)
    assert SUPPORTED in str(caught.value)


def test_search_results_with_meetings_are_no_meeting() -> None:
    results = (
        '{"Dagsordner": [{"Id": "0cad2b4d-c4a2-4583-a053-60704b2da0e5", "Navn": "Dagsorden"}],'
        ' "AntalResultater": 1, "MoreToBeSearched": false}'
    )
    with pytest.raises(InvalidAgendaItem, match=r"search results \(1 meetings\)"):
        load_items(results)

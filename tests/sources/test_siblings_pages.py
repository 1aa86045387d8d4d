"""FirstAgenda portal pages as other saves, customers and page kinds of the same app give them.

Every FirstAgenda Publication site (dagsordener.<kommune>.dk) runs the same app with its own
style sheet, so the markup the reader keys on (`tr.punktrow`, `.overskrift`, `.sagsnummer`,
`#sagsfremstillingContainer`, `a.bilag-link`, `table.dagsordeninfo`) is the same; what differs is
what was saved: a meeting with many rows or one, a closed row, a page stripped of its scripts or
saved before they ran, the front page's list of meetings, the document viewer. The siblings are
built from the real Aarhus minutes page (tests/data/real).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import SectionKind
from casesummary.sources import parse_source

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
PAGE = (REAL / "aarhus-teknisk-udvalg-2025-10-01.referat.html").read_text(encoding="utf-8")
ROWS = re.findall(r'<tr class="punktrow.*?</tr>(?=<tr class="punktrow|</tbody>)', PAGE, re.S)
HEAD, _, _ = PAGE.partition('<tbody><tr class="punktrow')
_, _, TAIL = PAGE.partition("</tr></tbody>")
HEAD += "<tbody>"
TAIL = "</tbody>" + TAIL


def _page(*rows: str, head: str = HEAD) -> str:
    return head + "".join(rows) + TAIL


def _renumbered(row: str, number: str) -> str:
    return re.sub(
        r'<span class="label label-default">\d+</span>',
        f'<span class="label label-default">{number}</span>',
        row,
        count=1,
    )


def test_the_rows_split_from_the_real_page_rebuild_it() -> None:
    assert len(ROWS) == 6
    rebuilt = load_items(_page(*ROWS))
    assert [(i.number, i.title, i.sections) for i in rebuilt] == [
        (i.number, i.title, i.sections) for i in load_items(PAGE)
    ]


def test_a_meeting_of_sixty_rows_with_sub_numbers() -> None:
    numbers = [str(n) for n in range(1, 61)]
    numbers[3] = "3a"
    items = load_items(_page(*(_renumbered(ROWS[k % 6], n) for k, n in enumerate(numbers))))
    assert [i.number for i in items] == numbers
    assert items[59].title == "Måltal for busfremkommelighed, jf. budgetforlig 2023"
    assert {i.committee for i in items} == {"Teknisk Udvalg"}


def test_a_closed_row_that_only_says_lukket_punkt() -> None:
    closed = ROWS[3].replace("Forvaltningen orienterer</h2>", "Lukket punkt</h2>")
    closed = re.sub(
        r'<div id="sagsfremstillingContainer">.*?</div>\n\n</div>',
        '<div id="sagsfremstillingContainer"></div>',
        closed,
        flags=re.S,
    )
    (item,) = load_items(_page(closed))
    assert (item.number, item.title, item.is_open, item.sections) == (
        "4",
        "Lukket punkt",
        False,
        (),
    )


def test_a_closed_row_marked_by_the_portals_lukket_punkt_label() -> None:
    """The portal's own word for a closed item ("Meeting_Closed_Item": "Lukket punkt") beside a
    title it may still show, and no body."""
    closed = ROWS[5].replace(
        '<span class="sagsnummer">',
        '<span class="label label-warning">Lukket punkt</span><span class="sagsnummer">',
    )
    closed = re.sub(
        r'<div id="sagsfremstillingContainer">.*?</div>\n\n</div>',
        '<div id="sagsfremstillingContainer"></div>',
        closed,
        flags=re.S,
    )
    (item,) = load_items(_page(closed))
    assert (item.number, item.title, item.is_open, item.sections) == (
        "6",
        "Måltal for busfremkommelighed, jf. budgetforlig 2023",
        False,
        (),
    )


def test_a_body_with_nested_spans_a_list_and_a_table() -> None:
    body = ROWS[4].replace(
        '<span class="resume"><div>Udvalget drøftede',
        '<span class="resume"><div><span style="font-size:11pt"><span><b>Udvalget</b> drøftede'
        "</span></span> sagen.</div><ul><li>punkt a</li><li>punkt <i>b</i></li></ul>"
        "<table><tr><td>År</td><td>Beløb</td></tr><tr><td>2025</td><td>1,2 mio. kr.</td></tr>"
        "</table><div>Udvalget drøftede",
    )
    (item,) = load_items(_page(body))
    assert (item.decision or "").startswith(
        "Udvalget drøftede sagen.\n- punkt a\n- punkt b\nÅr | Beløb\n2025 | 1,2 mio. kr.\n"
        "Udvalget drøftede og stillede spørgsmål"
    )


def test_a_layout_without_the_meeting_info_table() -> None:
    """The committee, date and place then come from the page's title block."""
    head = re.sub(r'<table class="dagsordeninfo">.*?</table>', "", HEAD, flags=re.S)
    (item,) = load_items(_page(ROWS[0], head=head))
    assert (item.committee, item.meeting_date, item.meeting_place) == (
        "Teknisk Udvalg",
        date(2025, 10, 1),
        "Udvalgsværelse 398",
    )


def test_a_page_saved_without_its_scripts_reads_the_same() -> None:
    stripped = re.sub(r"<script.*?</script>", "", PAGE, flags=re.S)
    assert "<script" not in stripped
    assert [(i.title, i.sections) for i in load_items(stripped)] == [
        (i.title, i.sections) for i in load_items(PAGE)
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "windows-1252", "utf-16"])
def test_a_page_in_other_encodings(encoding: str) -> None:
    page = PAGE.replace("<head>", f'<head><meta charset="{encoding.removesuffix("-sig")}">', 1)
    if encoding == "utf-16":
        page = PAGE
    data = page.encode(encoding, errors="strict")
    assert [(i.title, i.sections) for i in load_items(data)] == [
        (i.title, i.sections) for i in load_items(PAGE)
    ]


def test_a_page_declaring_windows_1252_but_in_utf8_is_refused() -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">', 1)
    with pytest.raises(InvalidAgendaItem, match="declares charset 'windows-1252', but its bytes"):
        load_items(page.encode("utf-8"))


# --- one item's own page ---------------------------------------------------------------------


def test_an_items_own_page_with_its_attachments() -> None:
    """No agenda table: the body of the page is the item. Its attachments' "PDF" labels are no
    item number, and the meeting's date heading is no title."""
    row = ROWS[1]
    start = row.index('<h2 class="overskrift')
    details = row[row.index('<div class="details"') : row.rindex("</div></td><td")]
    title = row[start : row.index("</h2>", start) + 5].replace('class="overskrift', 'class="x')
    page = HEAD.split('<table id="dagsordenDetaljer"')[0] + title + details + TAIL
    (item,) = parse_source(page).items
    assert item.number is None
    assert item.title == "Udviklingsplan Aarhus Ø - endelig vedtagelse"
    assert item.case_number == "EMN-2025-009242"
    assert item.section(SectionKind.DECISION) is not None
    assert [a.title for a in item.attachments][:1] == ["Indstilling"]


# --- pages of the app that hold no agenda ----------------------------------------------------

APP_HEAD = (
    '<html lang="da"><head><title>{title}</title><link href="/dist/css/hvidovre.css" '
    'rel="stylesheet"></head><body><div class="container"><input id="apiurl" name="apiurl" '
    'type="hidden" value="http://publication.firstagenda.com">'
)


def test_the_portals_front_page_is_a_list_of_meetings() -> None:
    """The markup of jakobmwang/dagsordener's example_listings.html, two results kept."""
    page = (
        APP_HEAD.format(title="Forside - dagsordener og referater")
        + '<div id="resultaterplaceholder"><a href="/vis?Referat-Aarhus-Byraad-d.17-12-2014-'
        'kl.16.00&amp;id=322e7a6c-1ef5-41d2-b2ed-afa9ea5d1822" class="list-group-item '
        'searchresult" aria-label="Vis 1 af 20 17-12-2014 Aarhus Byråd Referat"><div class="row">'
        '<div class="col-sm-3">17/12-2014</div><div class="col-sm-5 break-word"><strong>Aarhus '
        'Byråd</strong></div></div></a><a href="/vis?Referat-Teknisk-Udvalg-d.15-12-2014-kl.'
        '16.00&amp;id=7e0714dd-40bb-4f1b-a623-c55d062d2e87" class="list-group-item searchresult">'
        "<strong>Teknisk Udvalg</strong></a></div></div></body></html>"
    )
    with pytest.raises(
        InvalidAgendaItem,
        match=r"a FirstAgenda portal's list of 2 meetings .*e\.g\. /vis\?Referat-Aarhus-Byraad",
    ):
        load_items(page)


def test_the_document_viewer_only_frames_a_pdf() -> None:
    """Kleist/hkr's vispdf_bilag.html, its presigned address replaced by a plain one."""
    page = (
        APP_HEAD.replace(
            '<input id="apiurl" name="apiurl" type="hidden" value="http://publication'
            '.firstagenda.com">',
            "",
        ).format(title="Dokumentvisning")
        + '<div style="position: relative;"><iframe src="https://firstagenda-4.s3.eu-west-1.'
        'amazonaws.com/e20daed7-4ce4-44ec-b655-17c8b626d119" id="pdfframe"></iframe></div>'
        '<script src="/dist/js/vispdf.017348de735a23ced412.js"></script></body></html>'
    )
    with pytest.raises(InvalidAgendaItem, match="a FirstAgenda document viewer page"):
        load_items(page)


def test_a_meeting_page_saved_before_its_items_loaded() -> None:
    with pytest.raises(
        InvalidAgendaItem, match="a FirstAgenda meeting page without its agenda rows"
    ):
        load_items(_page())


def test_another_sites_page_with_some_of_the_same_class_names() -> None:
    page = (
        "<html><head><title>Nyheder - Eksempel Kommune</title></head><body>"
        '<h2 class="overskrift">Byrådet vedtog budgettet</h2><span class="sagsnummer">Nr. 4</span>'
        "<p>Punkt 1: Budget 2026 blev vedtaget.</p></body></html>"
    )
    with pytest.raises(
        InvalidAgendaItem,
        match=r"unknown site \(title 'Nyheder - Eksempel Kommune'\) with some of the class names "
        r"FirstAgenda's pages use \(overskrift, sagsnummer\)",
    ):
        load_items(page)

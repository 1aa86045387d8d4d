"""Portal HTML -> visible text: lists, entities, tables, invisible parts, section headings."""

from __future__ import annotations

from casesummary.sources.html import html_sections, html_text

WORD_PAGE = (
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    "<title>Dagsordenspunkt</title><style>p{color:red}</style><script>alert(1)</script>"
)


def test_title_meta_style_and_script_are_not_text() -> None:
    text = html_text(f"<span>{WORD_PAGE}<div><p>Synlig&nbsp;tekst</p></div></span>")
    assert text == "Synlig tekst"


def test_entities_are_decoded() -> None:
    assert html_text("<p>A&amp;B &aelig;&oslash;&aring; &quot;x&quot;&nbsp;&nbsp;y</p>") == (
        'A&B æøå "x" y'
    )


def test_lists_are_lines_with_markers() -> None:
    html = (
        "<p>Indstilling:</p><ol><li>at godkende</li><li><p>at afvise</p></li></ol>"
        '<ol type="a" start="2"><li>b-punkt</li></ol><ul><li>en</li><li>to</li></ul>'
    )
    assert html_text(html) == ("Indstilling:\n1. at godkende\n2. at afvise\nb. b-punkt\n- en\n- to")


def test_nested_lists_keep_their_own_numbering() -> None:
    html = "<ol><li>Første<ul><li>under</li></ul></li><li>Anden</li></ol>"
    assert html_text(html) == "1. Første\n- under\n2. Anden"


def test_block_tags_break_lines_and_inline_tags_do_not() -> None:
    html = "<div>Linje <b>et</b><span>ord</span><br>to</div>\r\n\r\n<p>  tre   </p>"
    assert html_text(html) == "Linje etord\nto\ntre"


def test_table_rows_are_lines_with_cells_joined() -> None:
    html = (
        "<table><tr><td><p>Mio.</p><p>kr.</p></td><td>2026</td></tr>"
        "<tr><td>I alt</td><td>1,0</td></tr></table>"
    )
    assert html_text(html) == "Mio. kr. | 2026\nI alt | 1,0"


def test_sections_split_at_outline_headings_only() -> None:
    html = (
        "<div id='sagsfremstillingContainer'>"
        "<h3>Beslutningstema</h3><span class='beslutningstema'>" + WORD_PAGE + "<p>Tema.</p></span>"
        "<div><h3>Indstilling</h3><span class='indstilling'><p>At godkende.</p></span></div>"
        "<h3>Sagsfremstilling</h3><span class='ukendt'><div><p>Indledning.</p>"
        "<h3><span>Om Grenhusene</span></h3><p>Historie.</p>"
        "<h4>Detaljer</h4><p>Mere.</p></div></span>"
        "</div>"
    )
    sections = html_sections(html)
    assert [(s.heading, s.hint) for s in sections] == [
        ("Beslutningstema", "beslutningstema"),
        ("Indstilling", "indstilling"),
        ("Sagsfremstilling", "ukendt"),
    ]
    assert sections[2].text == "Indledning.\nOm Grenhusene\nHistorie.\nDetaljer\nMere."


def test_text_before_the_first_heading_has_no_heading() -> None:
    sections = html_sections("<p>Indledning</p><h3>Økonomi</h3><span>Ingen.</span>")
    assert [(s.heading, s.text) for s in sections] == [(None, "Indledning"), ("Økonomi", "Ingen.")]


def test_empty_container_has_no_sections() -> None:
    assert html_sections("<div><div id='sagsfremstillingContainer'>\r\n\r\n</div></div>") == []
    assert html_sections("") == []


def test_danish_numbers_are_kept_as_written() -> None:
    assert html_text("<p>474.501.000 kr. og 49,08 %</p>") == "474.501.000 kr. og 49,08 %"

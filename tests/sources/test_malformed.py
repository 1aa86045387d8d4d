"""Bad input of every kind ends as one InvalidAgendaItem naming the field, line or file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casesummary import InvalidAgendaItem, load_items
from casesummary.item import AgendaItem

MALFORMED = Path(__file__).parent / "malformed"

#: file -> (what the message must say, the field or line it must name)
EXPECTED: dict[str, tuple[str, str]] = {
    "truncated.json": ("not valid JSON", "line 3"),
    "array.json": ("got a JSON array", "line 1"),
    "json-string.json": ("got a JSON string", "line 1"),
    "neither.json": ("neither an agenda item nor a meeting", "field '<root>'"),
    "felter-string.json": ("expected a list, got str", "field 'Felter'"),
    "navn-number.json": ("expected text, got int", "field 'Navn'"),
    "no-title.json": ("has no title", "field 'Navn/Caption'"),
    "bilag-no-title.json": ("attachment has no title", "field 'Bilag[0].Navn'"),
    "meeting-items-object.json": ("expected a list, got dict", "field 'Dagsordenpunkter'"),
    "meeting-item-number.json": ("expected an object, got int", "field 'Dagsordenpunkter[1]'"),
    "meeting-empty.json": ("lists no agenda items", "field 'Dagsordenpunkter'"),
    "meeting-moede-string.json": ("expected an object, got str", "field 'Moede'"),
    "isopen-word.json": ("expected true or false, got str", "field 'IsOpen'"),
    "html-number.json": ("expected text, got int", "field 'Felter[0].Html'"),
    "empty.txt": ("empty input", "empty.txt"),
    "blank.txt": ("empty input", "blank.txt"),
    "no-item.txt": ("no recognisable agenda item", "line 1"),
    "binary.bin": ("binary data", "binary.bin"),
    "latin1-garbage.txt": ("not UTF-8 text", "latin1-garbage.txt"),
    "truncated.pdf": ("a truncated PDF", "truncated.pdf"),
    "encrypted.pdf": ("an encrypted (password-protected) PDF", "encrypted.pdf"),
    "no-text.pdf": ("a PDF without a text layer", "no-text.pdf"),
    "xml-bomb.xml": ("XML whose DTD declares entities: refused", "xml-bomb.xml"),
    "xml-external-entity.xml": ("XML whose DTD declares entities", "xml-external-entity.xml"),
    "wrong-encoding.xml": ("declares encoding utf-8, but its bytes are not utf-8", "line 2"),
    "wrong-encoding.html": ("declares charset 'utf-8', but byte 0x96", "wrong-encoding.html"),
    "unknown-site.html": ("an HTML page of an unknown site (title 'Kommunens nyheder')", "html"),
    "unknown-root.xml": ("XML with root element <Møderække>", "unknown-root.xml"),
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in MALFORMED.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file(name: str) -> None:
    path = MALFORMED / name
    what, where = EXPECTED[name]
    with pytest.raises(InvalidAgendaItem) as caught:
        load_items(path)
    message = str(caught.value)
    assert what in message
    assert where in message
    assert str(path) in message  # the file is named too
    assert "\n" not in message


def test_unsupported_documents_list_the_supported_formats() -> None:
    for name in ("unknown-site.html", "unknown-root.xml", "no-item.txt", "neither.json"):
        with pytest.raises(InvalidAgendaItem, match="Supported: FirstAgenda portal JSON"):
            load_items(MALFORMED / name)


def test_the_xml_bomb_is_refused_before_any_entity_is_expanded() -> None:
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(InvalidAgendaItem, match="declares entities"):
        load_items(MALFORMED / "xml-bomb.xml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000  # a billion "lol"s would be gigabytes


def test_a_50_mb_html_page_is_refused_unread(tmp_path: Path) -> None:
    import tracemalloc

    page = tmp_path / "side.html"
    row = '<tr class="punktrow"><td><span class="label">1</span></td><td>Tekst</td></tr>\n'
    with page.open("w", encoding="utf-8") as handle:
        handle.write("<!DOCTYPE html><html><head><title>Dagsorden</title></head><body><table>")
        for _ in range(50 * 1024 * 1024 // len(row) + 1):
            handle.write(row)
        handle.write("</table></body></html>")
    assert page.stat().st_size > 50 * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(InvalidAgendaItem, match=r"side\.html: an HTML page of 50\.\d MB is larger"):
        load_items(page)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2_000_000  # the file is not read, let alone parsed


def test_xml_nested_too_deeply() -> None:
    with pytest.raises(InvalidAgendaItem, match="nested too deeply"):
        load_items("<Meeting>" + "<a>" * 5000 + "</a>" * 5000 + "</Meeting>")


def test_cli_reports_each_bad_document_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    names = ("truncated.pdf", "encrypted.pdf", "no-text.pdf", "xml-bomb.xml", "wrong-encoding.xml")
    for name in names:
        done = subprocess.run(
            [sys.executable, "-m", "casesummary", "parse", str(MALFORMED / name)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith(f"casesummary: error: {MALFORMED / name}: ")
        assert len(done.stderr.strip().splitlines()) == 1


def test_missing_file(tmp_path: Path) -> None:
    for source in (tmp_path / "nope.json", str(tmp_path / "nope.json")):
        with pytest.raises(InvalidAgendaItem, match=r"nope\.json: no such file"):
            load_items(source)


@pytest.mark.parametrize("name", ["meeting.jsn", "referat 2026.jsn", "punkt.JSON", "exports/punkt"])
def test_a_missing_file_with_any_name_is_no_such_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A one-line string naming a file is a path even with an unknown suffix, never item text."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidAgendaItem) as caught:
        load_items(name)
    assert str(caught.value) == f"{name}: no such file"


def test_one_line_item_text_is_still_text() -> None:
    """A one-line string that does not end like a file name is read as text, never as a path
    (the bare line is then refused for what it says, not as a missing file)."""
    with pytest.raises(InvalidAgendaItem) as caught:
        load_items("Punkt 1: Budget")
    assert "no such file" not in str(caught.value)
    assert str(caught.value).startswith("<string>: line 1: ")


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidAgendaItem, match="is a directory"):
        load_items(tmp_path)


def test_wrong_python_type() -> None:
    with pytest.raises(InvalidAgendaItem, match="got int"):
        load_items(42)  # type: ignore[arg-type]


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    with pytest.raises(InvalidAgendaItem, match="nested too deeply"):
        load_items("[" * 200_000 + "]" * 200_000)
    with pytest.raises(InvalidAgendaItem):
        load_items('{"a":' * 200_000 + "1" + "}" * 200_000)


def test_deeply_nested_html_is_refused_by_field() -> None:
    junk = "<div><span>" * 50_000 + "dyb tekst" + "</span></div>" * 50_000
    source = {"Navn": "Dybt", "Felter": [{"Html": f"<h3>Sagsfremstilling</h3>{junk}"}]}
    with pytest.raises(InvalidAgendaItem, match=r"field 'Felter\[0\]\.Html': HTML nested"):
        load_items(source)
    with pytest.raises(InvalidAgendaItem, match=r"field 'ItemDecision': HTML nested"):
        load_items({"Navn": "Dybt", "ItemDecision": junk})


def test_nested_html_within_reason_loads() -> None:
    nested = "<div><span>" * 900 + "dyb tekst" + "</span></div>" * 900
    item = load_items({"Navn": "Dybt", "Felter": [{"Html": nested}]})[0]
    assert item.sections[0].text == "dyb tekst"


def test_megabytes_of_html_load_whole() -> None:
    paragraph = "<p>Kommunalbestyrelsen godkender budgettet på 474.501.000 kr.&nbsp;i alt.</p>"
    html = "<h3>Sagsfremstilling</h3><span>" + paragraph * 40_000 + "<p>Sidste linje.</p></span>"
    assert len(html) > 3_000_000
    item = load_items({"Navn": "Stort punkt", "Felter": [{"Html": html}]})[0]
    text = item.sections[0].text
    assert text.count("\n") == 40_000
    assert text.endswith("Sidste linje.")


# --- property tests --------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Navn",
                    "Caption",
                    "Felter",
                    "Html",
                    "Tekst",
                    "Bilag",
                    "IsOpen",
                    "Punktnummer",
                    "SagsNummer",
                    "Dagsordenpunkter",
                    "Udvalg",
                    "Moede",
                    "Dato",
                    "ItemDecision",
                    "Id",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


def _only_items_or_invalid(source: Any) -> None:
    """Bad input may fail, but only as a deliberate InvalidAgendaItem (not the safety net)."""
    error: InvalidAgendaItem | None = None
    try:
        items = load_items(source)
    except InvalidAgendaItem as exc:
        error = exc
    if error is not None:
        assert "internal parser error" not in str(error)
        return
    assert isinstance(items, list)
    assert all(isinstance(i, AgendaItem) for i in items)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json)
def test_random_json(value: Any) -> None:
    _only_items_or_invalid(json.dumps(value))
    if isinstance(value, dict):
        _only_items_or_invalid(value)


_html_bits = st.sampled_from(
    [
        "<h3>",
        "</h3>",
        "<span class='indstilling'>",
        "</span>",
        "<ol>",
        "<li>",
        "</ol>",
        "<ul>",
        "<table><tr><td>",
        "</td><td>",
        "<br>",
        "<title>",
        "</title>",
        "&nbsp;",
        "&amp;",
        "<p>",
        "Indstilling",
        "Beslutning",
        "Økonomi",
        " tekst. ",
        "\r\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_html_bits, max_size=40).map("".join), st.text(max_size=40))
def test_random_portal_html(html: str, title: str) -> None:
    _only_items_or_invalid({"Navn": title, "Felter": [{"Html": html}]})


_lines = st.sampled_from(
    [
        "Punkt 1: Budget",
        "Punkt 2: Plan",
        "15.00.00-P16-1-16",
        "Resume",
        "INDSTILLING",
        "Beslutning",
        "Sagsfremstilling",
        "Bilag",
        "Baggrund",
        "Sagsnr.: 1-2",
        "Åbent",
        "",
        "Kompetence: Udvalget",
        "Tekst her.",
        "Beslutning i Udvalget den 11. august 2015:",
        "7. X",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_lines | st.text(max_size=20), max_size=30).map("\n".join))
def test_random_text(text: str) -> None:
    _only_items_or_invalid(text)
    _only_items_or_invalid(text.encode("utf-8"))

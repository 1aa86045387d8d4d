"""The evidence check: a quote is found after folding white space, quote marks, dashes and case,
and its citation points at the item's own text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casesummary.evidence import (
    DROPPED,
    MAX_QUOTE_WORDS,
    MIN_QUOTE_WORDS,
    TITLE_HEADING,
    WHITE_SPACE,
    find_quote,
    forget_items,
    locate,
    normal_text,
    normalise,
    quote_in_text,
    quote_words,
    trim_quote,
)
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat
from casesummary.result import Evidence

TEXT = (
    "Udvalget skal godkende „Plan 2030“ – en plan for\n\ncykelstier på 12 mio. kr.\n"
    "Planen gælder Hvidovre\u00a0Kommune, og an\u00adlægget starter i 2027."
)
ITEM = AgendaItem(
    source_format=SourceFormat.ITEM_TEXT,
    title="Plan for cykelstier",
    sections=(
        Section(heading="Sagsresumé", kind=SectionKind.SUMMARY, text=TEXT),
        Section(heading="Økonomi", kind=SectionKind.ECONOMY, text="Ingen merudgift."),
    ),
)


def test_white_space_is_every_character_python_calls_space() -> None:
    assert set(WHITE_SPACE) | {" "} == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_normalising_folds_space_quotes_dashes_case_and_drops_soft_hyphens() -> None:
    assert normalise("A\n\n\tB\u00a0C") == "a b c"
    assert normalise("„Plan“ «x» ‘y’") == '"plan" "x" \'y\''
    assert normalise("a – b — c ‐ d") == "a - b - c - d"
    assert normalise("an\u00adlæg\u200b") == "anlæg"
    assert trim_quote(" „…godkende planen.“ ") == "godkende planen"
    assert trim_quote("- Alle ledige skal have kontakt;") == "alle ledige skal have kontakt"


@pytest.mark.parametrize(
    ("quote", "passage"),
    [
        (
            'udvalget skal godkende "Plan 2030" - en plan',
            "Udvalget skal godkende „Plan 2030“ – en plan",
        ),
        ("en plan for cykelstier på 12 mio. kr.", "en plan for\n\ncykelstier på 12 mio. kr"),
        (
            "Hvidovre Kommune, og anlægget starter",
            "Hvidovre\u00a0Kommune, og an\u00adlægget starter",
        ),
    ],
)
def test_a_folded_quote_is_found_and_cited_in_the_items_own_words(quote: str, passage: str) -> None:
    citation = find_quote(quote, ITEM)
    assert citation is not None
    assert (citation.section, citation.heading) == (0, "Sagsresumé")
    assert TEXT[citation.start : citation.end] == citation.passage == passage


def test_the_title_is_a_place_too() -> None:
    citation = find_quote("Plan for cykelstier", ITEM)
    assert citation is not None
    assert (citation.section, citation.heading, citation.start) == (None, TITLE_HEADING, 0)
    assert find_quote("cykelstier i Odense", ITEM) is None
    assert find_quote("", ITEM) is None


def test_locate_reports_every_problem_and_cites_the_rest() -> None:
    evidence = Evidence(
        summary="Udvalget skal godkende „Plan 2030“",
        pros=["Ingen merudgift", "cykelstier", " ".join(["ord"] * (MAX_QUOTE_WORDS + 1))],
        cons=["en plan for cykelstier", "anlægget starter i 2028", "Planen gælder Hvidovre"],
    )
    citations, problems = locate(evidence, ITEM)
    assert [(p.part, p.index, p.kind) for p in problems] == [
        ("pros", 1, "short"),
        ("pros", 2, "long"),
        ("cons", 1, "missing"),
    ]
    assert [(c.part, c.index) for c in citations] == [
        ("summary", 0),
        ("pros", 0),  # two words, but the whole section: allowed
        ("cons", 0),
        ("cons", 2),
    ]
    assert citations[1].heading == "Økonomi"
    assert MIN_QUOTE_WORDS == 3


def test_quote_words_and_quote_in_text() -> None:
    assert quote_words(" „en  plan for cykelstier.“ ") == 4
    assert quote_in_text("EN PLAN – FOR", "en plan - for\ncykelstier")
    assert not quote_in_text("en plan for biler", "en plan for cykelstier")
    assert not quote_in_text("…", "en plan")


def test_items_are_normalised_once_and_forgotten_on_request() -> None:
    forget_items()
    assert find_quote("Ingen merudgift", ITEM) is not None
    assert find_quote("Ingen merudgift", ITEM.model_copy()) is not None


_CHUNK = st.text(alphabet="abcæøå ABCÆØÅ012.,", min_size=1, max_size=12)
_GAP = st.sampled_from([" ", "  ", "\n", "\n\n", "\t ", "\u00a0", " \u00ad "])
_MARK = st.sampled_from(["", "„", "“", "«", "–", "—", "-", "\u00ad"])


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.tuples(_CHUNK, _MARK, _GAP), min_size=3, max_size=12),
    data=st.data(),
)
def test_any_stretch_of_a_text_is_found_under_any_folding_and_cited_exactly(
    parts: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    text = "".join(f"{chunk}{mark}{gap}" for chunk, mark, gap in parts)
    folded = normal_text(text)
    needle = trim_quote(text)
    if not needle:
        return
    first = data.draw(st.integers(0, len(needle) - 1))
    last = data.draw(st.integers(first, len(needle) - 1))
    piece = needle[first : last + 1].strip()
    if not piece or any(c in piece for c in DROPPED):
        return
    assert piece in folded.text
    span = folded.span(piece)
    assert span is not None
    start, end = span
    assert normalise(text[start:end]) == piece

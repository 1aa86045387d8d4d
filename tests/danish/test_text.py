"""Words, tokens, stems, stopwords, abbreviations and where a Danish sentence ends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casesummary import danish


def test_tokens_keep_danish_letters_and_danish_numbers_whole() -> None:
    tokens = danish.tokenize("Udgiften på 474.501.000 kr. svarer til 49,08 % for Ærø og Østbyen.")
    assert "474.501.000" in tokens
    assert "49,08" in tokens
    assert "Ærø" in tokens
    assert "Østbyen" in tokens
    assert "kr" in tokens


def test_words_are_lower_case_without_numbers() -> None:
    assert danish.words("Job First i 2025") == ["job", "first", "i"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Udgiften er 474.501.000 kr. til drift. Beløbet er afsat.",
            ["Udgiften er 474.501.000 kr. til drift.", "Beløbet er afsat."],
        ),
        (
            "Mødet var den 26. august 2025 i salen. Det varede to timer.",
            ["Mødet var den 26. august 2025 i salen.", "Det varede to timer."],
        ),
        (
            "Planen omfatter bl.a. Odense og f.eks. Nyborg.",
            ["Planen omfatter bl.a. Odense og f.eks. Nyborg."],
        ),
        (
            "Sagen, jf. Lov om social service, er ca. 3 år gammel.",
            ["Sagen, jf. Lov om social service, er ca. 3 år gammel."],
        ),
        ("Se nr. 5 og pkt. 3 i bilaget.", ["Se nr. 5 og pkt. 3 i bilaget."]),
        ("Det koster 12 mio. kr. Det er meget.", ["Det koster 12 mio. kr.", "Det er meget."]),
        (
            "Letbanen kører ad Thomas B. Thriges Gade.",
            ["Letbanen kører ad Thomas B. Thriges Gade."],
        ),
        ("Skal vi? Ja! Det skal vi.", ["Skal vi?", "Ja!", "Det skal vi."]),
        (
            "Første afsnit uden punktum\n\nAndet afsnit",
            ["Første afsnit uden punktum", "Andet afsnit"],
        ),
        ('Han sagde: "Det er godt." Så gik han.', ['Han sagde: "Det er godt."', "Så gik han."]),
    ],
)
def test_sentences_split_only_at_sentence_ends(text: str, expected: list[str]) -> None:
    assert danish.sentences(text) == expected


def test_sentence_gaps_are_the_white_space_between_the_sentences() -> None:
    text = "Det koster 12 mio. kr.  Det er meget.\n\nBl.a. Odense. Punkt 3. Scenarie"
    gaps = danish.sentence_gaps(text)
    assert [text[a:b] for a, b in gaps] == ["  ", "\n\n", " "]
    starts, ends = [0, *(e for _, e in gaps)], [*(s for s, _ in gaps), None]
    pieces = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    assert pieces == danish.sentences(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Planen omfatter bl.a.", True),
        ("jf.", True),
        ("(jf.", True),
        ("den 26.", True),
        ("som bilag 3.", True),
        ("i alt 12 mio. kr.", False),  # "kr." may end a sentence
        ("i år 2025.", False),
        ("Det er afsat.", False),
        ("Det er afsat", False),
        ("", False),
    ],
)
def test_ends_in_abbreviation(text: str, expected: bool) -> None:
    assert danish.ends_in_abbreviation(text) is expected


def test_abbreviations_include_those_that_may_end_a_sentence() -> None:
    assert danish.is_abbreviation("bl.a.")
    assert danish.is_abbreviation("Kr.")
    assert danish.is_abbreviation("mio.")
    assert not danish.is_abbreviation("afsat.")
    assert danish.TERMINAL_ABBREVIATIONS.isdisjoint(danish.NON_TERMINAL_ABBREVIATIONS)


def test_stems_match_inflections_and_drop_stopwords() -> None:
    assert danish.stems("pejlemærkerne") == danish.stems("pejlemærker")
    assert danish.stem("Kommunens") == danish.stem("kommune")
    assert danish.stems("og at for af det") == []
    assert danish.stems("og at", drop_stopwords=False) == ["og", "at"]
    assert danish.stems("Job First-tilgangen") == ["job", "first", "tilgang"]
    assert danish.stems("1.000 kr. og 2,5") == ["1000", "kr", "2.5"]


def test_stopwords_are_danish() -> None:
    stop = danish.stopwords()
    assert {"og", "ikke", "at", "det"} <= stop
    assert "kommune" not in stop


_PIECES = [*"aæøåBØ0123456789 .,%/-:?!\n", "mio.", " marts ", "kr.", " Kommune", "bl.a."]


@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_any_text_is_handled_without_errors(text: str) -> None:
    pieces = danish.sentences(text)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
    for start, end in danish.sentence_gaps(text):
        assert start < end
        assert not text[start:end].strip()
    danish.quantities(text)
    danish.dates(text)
    danish.proper_names(text)
    danish.stems(text)

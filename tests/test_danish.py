"""Danish text tools: tokens, sentences, stems, numbers, dates and names as Danes write them."""

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
    ],
)
def test_sentences_split_only_at_sentence_ends(text: str, expected: list[str]) -> None:
    assert danish.sentences(text) == expected


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


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("474.501.000", 474501000.0, 0),
        ("49,08", 49.08, 2),
        ("1.000", 1000.0, 0),
        ("2.5", 2.5, 1),
        ("7", 7.0, 0),
    ],
)
def test_parse_number_reads_danish_separators(text: str, value: float, decimals: int) -> None:
    assert danish.parse_number(text) == (value, decimals)


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("474.501.000 kr.", 474_501_000.0, False),
        ("49,08 %", 49.08, True),
        ("3,4 pct.", 3.4, True),
        ("12 mio. kr.", 12_000_000.0, False),
        ("12 millioner kroner", 12_000_000.0, False),
        ("2,5 mia. kr.", 2_500_000_000.0, False),
        ("350 t.kr.", 350_000.0, False),
    ],
)
def test_quantities_apply_scale_words_and_percent(text: str, value: float, percent: bool) -> None:
    (quantity,) = danish.quantities(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.percent is percent


def test_a_year_range_is_two_numbers() -> None:
    assert [q.value for q in danish.quantities("i perioden 2027-2030")] == [2027.0, 2030.0]


def test_rounded_numbers_match_what_they_round() -> None:
    exact = danish.quantities("474.501.000 kr.")[0]
    (rounded,) = danish.quantities("474,5 mio. kr.")
    (whole,) = danish.quantities("475 mio. kr.")
    (wrong,) = danish.quantities("480 mio. kr.")
    assert rounded.matches(exact)
    assert whole.matches(exact)
    assert not wrong.matches(exact)
    (percent,) = danish.quantities("49 %")
    assert percent.matches(danish.quantities("49,08 %")[0])
    assert not danish.quantities("48 %")[0].matches(danish.quantities("49,08 %")[0])


@pytest.mark.parametrize(
    ("text", "day", "month", "year"),
    [
        ("den 26. august 2025", 26, 8, 2025),
        ("pr. 1/1 2016", 1, 1, 2016),
        ("d. 22-11-2016", 22, 11, 2016),
        ("2025-08-26", 26, 8, 2025),
        ("mødet den 11/10", 11, 10, None),
        ("den 3. okt.", 3, 10, None),
    ],
)
def test_dates_in_danish_formats(text: str, day: int, month: int, year: int | None) -> None:
    (date,) = danish.dates(text)
    assert (date.day, date.month, date.year) == (day, month, year)


def test_dates_match_across_formats_and_missing_years() -> None:
    (a,) = danish.dates("1. januar 2016")
    (b,) = danish.dates("1/1 2016")
    (c,) = danish.dates("1. januar")
    (d,) = danish.dates("1. januar 2017")
    assert a.matches(b)
    assert c.matches(a)
    assert not d.matches(a)


def test_date_digits_are_not_also_numbers_unless_asked() -> None:
    assert danish.quantities("den 26. august 2025") == []
    values = {q.value for q in danish.quantities("den 26. august 2025", skip_dates=False)}
    assert values == {26.0, 2025.0}


def test_proper_names_skip_sentence_starts_and_common_words() -> None:
    text = (
        "Bør Odense Kommune vedtage planen? Pejlemærkerne bygger på Job First-tilgangen. "
        "Rapporten fra BDO viser det: Udgiften falder. Som De ved, kører letbanen ad "
        "Thomas B. Thriges Gade."
    )
    assert danish.proper_names(text) == [
        "Odense Kommune",
        "Job First-tilgangen",
        "BDO",
        "Thomas B Thriges Gade",
    ]


def test_name_keys_match_inflected_names() -> None:
    assert danish.name_key("Odense Kommunes") == danish.name_key("Odense Kommune")
    assert danish.name_key("Job First-tilgang") == danish.name_key("Job First-tilgangen")


_PIECES = [*"aæøåBØ0123456789 .,%/-:?!\n", "mio.", " marts ", "kr.", " Kommune", "bl.a."]


@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_any_text_is_handled_without_errors(text: str) -> None:
    pieces = danish.sentences(text)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
    danish.quantities(text)
    danish.dates(text)
    danish.proper_names(text)
    danish.stems(text)

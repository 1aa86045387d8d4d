"""Shared text helpers: titles with case types, Danish dates, the municipality guess."""

from __future__ import annotations

from datetime import date

import pytest

from casesummary.sources._text import (
    guess_municipality,
    normalise_text,
    parse_danish_date,
    split_title,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C-sag: Pejlemærker for X", ("Pejlemærker for X", "C-sag", False)),
        ("Beslutning - Nyt flagregulativ", ("Nyt flagregulativ", "Beslutning", False)),
        (
            "Drøftelse - Budget 2027-2030 - Forslag",
            ("Budget 2027-2030 - Forslag", "Drøftelse", False),
        ),
        ("Lukket: Beslutning - Padelhal", ("Padelhal", "Beslutning", True)),
        ("JobFokus - fremtidig indsats (B)", ("JobFokus - fremtidig indsats", "B", False)),
        ("Godkendelse af dagsorden", ("Godkendelse af dagsorden", None, False)),
        ("Lukket:", ("Lukket:", None, False)),
        ("C-sag:", ("C-sag:", None, False)),
    ],
)
def test_split_title(raw: str, expected: tuple[str, str | None, bool]) -> None:
    assert split_title(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-18T17:00:00+02:00", date(2026, 5, 18)),
        ("REFERAT d. 22-11-2016", date(2016, 11, 22)),
        ("Tirsdag d. 22. november 2016 kl. 08:30", date(2016, 11, 22)),
        ("Beslutning i Udvalget den 11. august 2015:", date(2015, 8, 11)),
        ("den 31-02-2020", None),
        ("ingen dato", None),
    ],
)
def test_parse_danish_date(text: str, expected: date | None) -> None:
    assert parse_danish_date(text) == expected


def test_guess_municipality_takes_the_most_named() -> None:
    texts = ["Hvidovre Kommune og Københavns Kommune", "Hvidovre Kommunes budget. Den Kommune"]
    assert guess_municipality(texts) == "Hvidovre"
    assert guess_municipality(["Lyngby-Taarbæk Kommune"]) == "Lyngby-Taarbæk"
    assert guess_municipality(["kommunen betaler"]) is None


def test_normalise_text() -> None:
    raw = "  a \xa0 b\u200b \r\n\r\n\r\n\n c\t\td  \n\n"
    assert normalise_text(raw) == "a b\n\nc d"


def test_municipality_from_a_councils_name() -> None:
    from casesummary.sources._text import municipality_from_committee

    assert municipality_from_committee("Aarhus Byråd") == "Aarhus"
    assert (
        municipality_from_committee("Ringkøbing-Skjern Kommunalbestyrelse") == "Ringkøbing-Skjern"
    )
    assert municipality_from_committee("Økonomiudvalget") is None
    assert municipality_from_committee(None) is None

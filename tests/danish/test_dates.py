"""Dates as Danes write them: the mentions an answer makes and a meeting's date."""

from __future__ import annotations

from datetime import date

import pytest

from casesummary import danish


@pytest.mark.parametrize(
    ("text", "day", "month", "year"),
    [
        ("den 26. august 2025", 26, 8, 2025),
        ("pr. 1/1 2016", 1, 1, 2016),
        ("d. 22-11-2016", 22, 11, 2016),
        ("d.22-11-2016", 22, 11, 2016),
        ("2025-08-26", 26, 8, 2025),
        ("mødet den 11/10", 11, 10, None),
        ("den 3. okt.", 3, 10, None),
        ("den 31.oktober 2023", 31, 10, 2023),
    ],
)
def test_dates_in_danish_formats(text: str, day: int, month: int, year: int | None) -> None:
    (mention,) = danish.dates(text)
    assert (mention.day, mention.month, mention.year) == (day, month, year)


def test_no_date_is_read_out_of_a_longer_number() -> None:
    assert danish.dates("version 3.1.12.2016") == []
    assert danish.dates("3,12/10") == []


def test_dates_match_across_formats_and_missing_years() -> None:
    (a,) = danish.dates("1. januar 2016")
    (b,) = danish.dates("1/1 2016")
    (c,) = danish.dates("1. januar")
    (d,) = danish.dates("1. januar 2017")
    assert a.matches(b)
    assert c.matches(a)
    assert not d.matches(a)


def test_every_month_name_and_abbreviation_is_known() -> None:
    for name, number in danish.MONTHS.items():
        (mention,) = danish.dates(f"den 2. {name} 2020")
        assert mention.month == number
    assert sorted(set(danish.MONTHS.values())) == list(range(1, 13))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-18T17:00:00+02:00", date(2026, 5, 18)),
        ("REFERAT d. 22-11-2016", date(2016, 11, 22)),
        ("Tirsdag d. 22. november 2016 kl. 08:30", date(2016, 11, 22)),
        ("Beslutning i Udvalget den 11. august 2015:", date(2015, 8, 11)),
        ("den 31-02-2020", None),
        ("ingen dato", None),
        # The forms `dates` reads, which the sources' own parser used to miss:
        ("Mødedato: 22/11 2016", date(2016, 11, 22)),
        ("Mødedato: d.22-11-2016", date(2016, 11, 22)),
        ("tirsdag den 22. nov. 2016", date(2016, 11, 22)),
        ("mødet den 31.oktober 2023 om perioden 1. september 2023", date(2023, 10, 31)),
        # A date without a year is no meeting date; the next one with a year is.
        ("den 11/10 og den 3. okt. 2016", date(2016, 10, 3)),
        ("den 31-02-2020 eller 1-3-2020", date(2020, 3, 1)),
    ],
)
def test_parse_danish_date(text: str, expected: date | None) -> None:
    assert danish.parse_danish_date(text) == expected


def test_a_meeting_date_is_the_first_date_dates_finds_with_a_year() -> None:
    text = "Referat af mødet den 26. august 2025 (udsat fra 1/7 2025)"
    (first, _) = danish.dates(text)
    assert first.year is not None
    assert danish.parse_danish_date(text) == date(first.year, first.month, first.day)

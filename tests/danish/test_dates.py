"""Dates as Danes write them: the mentions an answer makes."""

from __future__ import annotations

import pytest

from casesummary import danish


@pytest.mark.parametrize(
    ("text", "day", "month", "year"),
    [
        ("den 26. august 2025", 26, 8, 2025),
        ("pr. 1/1 2016", 1, 1, 2016),
        ("d. 22-11-2016", 22, 11, 2016),
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

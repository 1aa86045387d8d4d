"""Numbers as Danes write them: separators, scale words, percentages, rounding."""

from __future__ import annotations

import pytest

from casesummary import danish


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


def test_date_digits_are_not_also_numbers_unless_asked() -> None:
    assert danish.quantities("den 26. august 2025") == []
    values = {q.value for q in danish.quantities("den 26. august 2025", skip_dates=False)}
    assert values == {26.0, 2025.0}


def test_bare_numbers_are_read_as_written() -> None:
    assert danish.bare_numbers("mellem 12 og 15 mio. kr., i alt 1.000") == [
        ("12", 12.0),
        ("15", 15.0),
        ("1.000", 1000.0),
    ]

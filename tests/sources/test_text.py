"""Shared text helpers: titles with case types, whitespace (dates and the municipality guess
are Danish rules: tests/danish)."""

from __future__ import annotations

import pytest

from casesummary.sources._text import normalise_text, split_title


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


def test_normalise_text() -> None:
    raw = "  a \xa0 b\u200b \r\n\r\n\r\n\n c\t\td  \n\n"
    assert normalise_text(raw) == "a b\n\nc d"

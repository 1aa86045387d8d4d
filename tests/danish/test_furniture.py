"""Page furniture: portal and PDF boilerplate is recognised, an item's own text is not."""

from __future__ import annotations

import pytest

from casesummary import danish


@pytest.mark.parametrize(
    "text",
    [
        "Vi bruger cookies til statistik og for at forbedre din oplevelse.",
        "Til toppen",
        "Udskriv hele dagsordnen",
        "You can use Google to translate this website into other languages.",
        "Sagsid.: 20/33839, Sagsinitialer: AGVA",
        "Offentlig beslutning der skal udfyldes, hvis punktet er lukket",
        "Side 3 af 28",
        "DIR FOU BFU SOS BSK KFU BYP TMU ØKE BYR",
    ],
)
def test_furniture(text: str) -> None:
    assert danish.is_furniture(text)


@pytest.mark.parametrize(
    "text",
    [
        "Byrådet godkender Beskæftigelsesplan 2017.",
        "Staben foreslår, at Byrådet godkender anlægsregnskabet.",
        "Udvalget drøfter pejlemærkerne for implementering af beskæftigelsesreformen.",
        "EU ØKS",
    ],
)
def test_not_furniture(text: str) -> None:
    assert not danish.is_furniture(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de samlede an- lægsomkostninger", "de samlede anlægsomkostninger"),
        ("budget- lægges", "budgetlægges"),
        ("an-\nlægsomkostninger", "anlægsomkostninger"),
        ("Beskæftigelses- og Socialudvalget", "Beskæftigelses- og Socialudvalget"),
        ("Sti-, Vej- og Parkpuljen", "Sti-, Vej- og Parkpuljen"),
        ("en bike-bane", "en bike-bane"),
    ],
)
def test_words_broken_at_a_line_end_are_joined(text: str, expected: str) -> None:
    assert danish.join_hyphenated(text) == expected
    assert not danish.has_broken_hyphen(expected)

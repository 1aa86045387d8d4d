"""Danish verb forms: present, s-passive and participle to infinitive; words that only look so."""

from __future__ import annotations

import pytest

from casesummary import danish


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("godkender", "godkende"),
        ("tager", "tage"),
        ("vedtager", "vedtage"),
        ("er", "være"),
        ("går", "gå"),
        ("får", "få"),
        ("kan", "kunne"),
        ("medlemmer", None),
        ("boliger", None),
        ("ved", None),  # the preposition, not "vide"
    ],
)
def test_present_to_infinitive(word: str, expected: str | None) -> None:
    assert danish.infinitive_of_present(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("godkendes", "godkende"),
        ("vedtages", "vedtage"),
        ("foreslås", "foreslå"),
        ("sendes", "sende"),
        ("Godkendes", "godkende"),
        ("findes", None),  # deponent: active in meaning
        ("proces", None),
        ("status", None),
        ("Aarhus", None),
    ],
)
def test_passive_to_infinitive(word: str, expected: str | None) -> None:
    assert danish.infinitive_of_passive(word) == expected


def test_an_unknown_passive_is_read_by_its_form_only_when_asked() -> None:
    assert danish.infinitive_of_passive("hejses") is not None  # in the lexicon
    assert danish.infinitive_of_passive("omklassificeres") is None
    assert danish.infinitive_of_passive("omklassificeres", lexicon_only=False) == "omklassificere"
    # a genitive plural looks like a passive but is none
    assert danish.infinitive_of_passive("lærernes", lexicon_only=False) is None
    assert danish.infinitive_of_passive("fælles", lexicon_only=False) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [("godkendt", "godkende"), ("taget", "tage"), ("vedtaget", "vedtage"), ("sendt", "sende")],
)
def test_participle_to_infinitive(word: str, expected: str) -> None:
    assert danish.infinitive_of_participle(word) == expected


@pytest.mark.parametrize(
    ("word", "finite"),
    [
        ("godkendes", True),
        ("fortsætter", True),
        ("godkendt", True),
        ("bliver", True),
        ("godkende", False),
        ("aftaler", False),  # mostly the noun
        ("dagsordenen", False),
    ],
)
def test_finite_or_passive(word: str, finite: bool) -> None:
    assert danish.is_finite_or_passive(word) is finite


def test_infinitive_of_any_form() -> None:
    assert danish.infinitive("godkender") == danish.infinitive("godkendes") == "godkende"
    assert danish.infinitive("godkendt") == "godkende"
    assert danish.infinitive("dagsorden") is None

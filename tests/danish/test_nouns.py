"""Danish nouns in the definite form."""

from __future__ import annotations

import pytest

from casesummary import danish


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("dagsorden", "dagsordenen"),
        ("forslag", "forslaget"),
        ("udkast", "udkastet"),
        ("orientering", "orienteringen"),
        ("årsberetning", "årsberetningen"),
        ("revision", "revisionen"),
        ("aftale", "aftalen"),
        ("regnskab", "regnskabet"),
        ("regler", "reglerne"),
        ("kvalitetsstandarder", "kvalitetsstandarderne"),
        ("stedfortræder", "stedfortræderen"),
        ("program", "programmet"),
        ("kommissorium", "kommissoriet"),
        ("overblik", "overblikket"),
        ("dagsordenen", "dagsordenen"),
        ("status", "status"),
    ],
)
def test_definite(noun: str, expected: str) -> None:
    assert danish.definite(noun) == expected


def test_is_definite() -> None:
    assert danish.is_definite("forslaget")
    assert danish.is_definite("orienteringen")
    assert not danish.is_definite("dagsorden")
    assert not danish.is_definite("budget")


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("engagement", "sit"),
        ("regnskab", "sit"),
        ("fritidspolitik", "sin"),
        ("styrelsesvedtægt", "sin"),
        ("opgaver", "sine"),
        ("udgifter", "sine"),
        # the ending does not tell gender or number: no guess ("kommunens" is used instead)
        ("ejendomme", None),
        ("hjemmeside", None),
        ("budget", None),
        ("forslaget", None),
    ],
)
def test_reflexive_possessive(noun: str, expected: str | None) -> None:
    assert danish.reflexive_possessive(noun) == expected

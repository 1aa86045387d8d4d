"""A municipality's name as the question says it, bare, and guessed from the texts."""

from __future__ import annotations

import pytest

from casesummary import danish
from casesummary.backends.baseline.municipality import municipality_of
from casesummary.danish.municipality import municipality_from_committee
from casesummary.item import AgendaItem, Section, SectionKind, SourceFormat


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Odense", "Odense Kommune"),
        ("Hvidovre Kommune", "Hvidovre Kommune"),
        ("  Slagelse  ", "Slagelse Kommune"),
        ("Lyngby-Taarbæk  Kommune", "Lyngby-Taarbæk Kommune"),
        (None, "kommunen"),
        ("", "kommunen"),
        ("  ", "kommunen"),
    ],
)
def test_municipality_name(given: str | None, expected: str) -> None:
    assert danish.municipality_name(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Odense Kommune", "Odense"),
        (" odense kommune ", "odense"),
        ("Odense", "Odense"),
        ("Kommune", "Kommune"),
    ],
)
def test_bare_name(given: str, expected: str) -> None:
    assert danish.bare_name(given) == expected


def test_guess_municipality_takes_the_most_named() -> None:
    texts = ["Hvidovre Kommune og Københavns Kommune", "Hvidovre Kommunes budget. Den Kommune"]
    assert danish.guess_municipality(texts) == "Hvidovre"
    assert danish.guess_municipality(["Lyngby-Taarbæk Kommune"]) == "Lyngby-Taarbæk"
    assert danish.guess_municipality(["kommunen betaler"]) is None


def test_a_tie_goes_to_the_municipality_named_first() -> None:
    assert danish.guess_municipality(["Vejle Kommune og Aarhus Kommune"]) == "Vejle"
    assert danish.guess_municipality(["Aarhus Kommune", "Vejle Kommune"]) == "Aarhus"


def test_words_before_kommune_that_are_no_names() -> None:
    assert danish.guess_municipality(["Hele Kommune", "Den Kommune", "Denne Kommune"]) is None
    assert danish.guess_municipality(["en ny-Odense Kommune"]) is None


def _item(municipality: str | None, text: str) -> AgendaItem:
    return AgendaItem(
        source_format=SourceFormat.ITEM_TEXT,
        title="Ny skole",
        municipality=municipality,
        sections=(Section(heading="Sagsfremstilling", kind=SectionKind.PRESENTATION, text=text),),
    )


def test_the_baseline_names_the_municipality_the_sources_would_guess() -> None:
    text = "Vejle Kommune og Aarhus Kommune deler udgiften. Hele Kommune får glæde af det."
    assert municipality_of(_item(None, text)) == "Vejle Kommune"
    assert danish.guess_municipality([text]) == "Vejle"
    assert municipality_of(_item("Odense", text)) == "Odense Kommune"
    assert municipality_of(_item(None, "Ingen navne her.")) is None


def test_municipality_from_a_councils_name() -> None:
    assert municipality_from_committee("Aarhus Byråd") == "Aarhus"
    assert (
        municipality_from_committee("Ringkøbing-Skjern Kommunalbestyrelse") == "Ringkøbing-Skjern"
    )
    assert municipality_from_committee("Økonomiudvalget") is None
    assert municipality_from_committee(None) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("København", "Københavns Kommune"),
        ("Københavns Kommune", "Københavns Kommune"),
        ("Nordfyn", "Nordfyns Kommune"),
        ("Vesthimmerland", "Vesthimmerlands Kommune"),
        ("Bornholm", "Bornholms Regionskommune"),
        ("Region Midtjylland", "Region Midtjylland"),
        ("aarhus", "Aarhus Kommune"),
    ],
)
def test_official_names(given: str, expected: str) -> None:
    assert danish.municipality_name(given) == expected


def test_there_are_98_municipalities() -> None:
    assert len(danish.MUNICIPALITIES) == 98
    assert danish.known_municipality("Københavns") == "København"
    assert danish.known_municipality("Kommunen") is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("dagsordner.holbaek.dk", "Holbæk"),
        ("https://referater.aalborg.dk/vis", "Aalborg"),
        ("www.rk.dk", "Rødovre"),
        ("kk.dk", "København"),
        ("www.bronderslev.dk", "Brønderslev"),
        ("www.sonderborgkommune.dk", "Sønderborg"),
        ("jbd@balk.dk", "Ballerup"),
        ("trung.dk", None),
        ("example.com", None),
    ],
)
def test_municipality_of_host(host: str, expected: str | None) -> None:
    assert danish.municipality_of_host(host) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Aarhus Byråd vedtog budgettet."], "Aarhus"),
        (["Byrådet i Vejen mødes i morgen."], "Vejen"),
        (["Mødested: Brønderslev Rådhus"], "Brønderslev"),
        (["Borgerrepræsentationen godkender budgettet."], "København"),
        (["Se https://dagsordner.holbaek.dk/punkt/3 for bilag."], "Holbæk"),
        (["Københavns Kommune betaler."], "København"),
        (["Rødovre Kommunale Fjernvarmeforsyning", "Stevns Kommuneplan 2021"], None),
        (
            ["Billund og Aalborg har gjort det.", "Frederiksberg Kommune indfører ordningen."],
            "Frederiksberg",
        ),
    ],
)
def test_find_municipality(texts: list[str], expected: str | None) -> None:
    assert danish.find_municipality(texts) == expected

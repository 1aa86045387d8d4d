"""Proper names in Danish text and the stem keys that match their inflected forms."""

from __future__ import annotations

from casesummary import danish


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
    assert danish.name_key("Odense") != danish.name_key("Nyborg")

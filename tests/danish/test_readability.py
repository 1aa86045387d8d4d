"""LIX: words per sentence plus the percentage of words longer than six letters."""

from __future__ import annotations

import pytest

from casesummary.danish import lix


def test_lix_is_words_per_sentence_plus_the_share_of_long_words() -> None:
    # 8 words in 2 sentences; 2 of them ("kommunen", "cykelstier") have more than six letters.
    text = "Nu vil kommunen bygge cykelstier. De er gode."
    assert lix(text) == pytest.approx(8 / 2 + 100 * 2 / 8)


def test_abbreviations_do_not_end_sentences_and_numbers_are_not_words() -> None:
    plain = lix("Det koster ca mio kr i alt")
    assert lix("Det koster ca. 12 mio. kr. i alt.") == pytest.approx(plain)


def test_several_texts_count_at_least_one_sentence_each() -> None:
    points = ["Giver et klart grundlag", "Sikrer kontakt til alle ledige"]
    assert lix(points) == pytest.approx(9 / 2 + 100 * 2 / 9)
    assert lix(" ".join(points)) > lix(points)  # read as one run-on sentence it is harder


def test_a_text_without_words_scores_zero() -> None:
    assert lix("") == 0.0
    assert lix(["123", "…"]) == 0.0

"""Offline o200k_base token counts."""

from __future__ import annotations

from casesummary.tokens import count_tokens


def test_known_counts() -> None:
    assert count_tokens("") == 0
    assert count_tokens("hello world") == 2  # o200k_base: "hello", " world"
    assert count_tokens("Hej med dig æøå") == 6


def test_special_token_text_is_ordinary_text() -> None:
    assert count_tokens("<|endoftext|>") > 1


def test_counts_grow_with_text() -> None:
    sentence = "Kommunalbestyrelsen godkender budgettet. "
    assert count_tokens(sentence * 10) > 9 * count_tokens(sentence)

"""Offline o200k_base token counts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from casesummary.tokens import count_tokens, fits, fits_by_bytes, pieces


def test_known_counts() -> None:
    assert count_tokens("") == 0
    assert count_tokens("hello world") == 2  # o200k_base: "hello", " world"
    assert count_tokens("Hej med dig æøå") == 6


def test_special_token_text_is_ordinary_text() -> None:
    assert count_tokens("<|endoftext|>") > 1


def test_counts_grow_with_text() -> None:
    sentence = "Kommunalbestyrelsen godkender budgettet. "
    assert count_tokens(sentence * 10) > 9 * count_tokens(sentence)


# -- judging by bytes before counting ----------------------------------------------------------


ROOT = Path(__file__).resolve().parent.parent
#: (start, length) of the pieces cut from each prompt text.
_CUTS = ((0, 1), (3, 17), (10, 300), (100, 2500))
_ODD = ["", " ", "\n\n", "æøå", "#", "## Økonomi\n", "🙂 x", "a\u0301", "\u00a0\u2028", "a\ud800b"]


@cache
def _texts() -> list[str]:
    """Every golden and fixture item's prompt text, pieces of them, and odd strings."""
    from casesummary.sources import load_items

    fixtures = ROOT / "tests" / "data" / "fixtures"
    paths = [
        *sorted(ROOT.glob("golden/*/input.*")),
        *sorted(fixtures.glob("*.item.json")),
        *sorted(fixtures.glob("*.meeting.json")),
    ]
    texts = [item.to_prompt_text() for path in paths for item in load_items(path)]
    pieces = [text[start : start + size] for text in texts for start, size in _CUTS]
    return texts + pieces + _ODD


def test_fits_is_exactly_a_count_within_the_limit() -> None:
    for text in _texts():
        tokens = count_tokens(text)
        for limit in {0, 1, tokens - 1, tokens, tokens + 1, tokens // 2, 10**6}:
            assert fits(text, limit) is (tokens <= limit), (text[:60], limit)


def test_the_byte_bound_never_claims_too_much() -> None:
    for text in _texts():
        tokens = count_tokens(text)
        size = len(text.encode("utf-8", "surrogatepass"))
        for limit in {0, 1, tokens - 1, tokens, size - 1, size, size + 1, 6000}:
            if fits_by_bytes(text, limit):
                assert tokens <= limit, (text[:60], limit)
    assert fits_by_bytes("Kommunalbestyrelsen", 19)  # 19 bytes: at most 19 tokens
    assert not fits_by_bytes("Kommunalbestyrelsen", 18)  # may still fit: only counting tells
    assert not fits_by_bytes("æøå", 5)  # 6 bytes
    assert fits_by_bytes("æøå", 6)
    assert not fits_by_bytes("a\ud800b", 100)  # not UTF-8: left to counting
    assert not fits_by_bytes("x" * 200_000, 10**6)  # beyond bpe-openai's limits: left to counting


def test_texts_beyond_bpe_openais_limits_are_counted_in_pieces() -> None:
    """bpe-openai refuses over 1,000,000 characters or 200,000 tokens a call; we count them."""
    sentence = "Udvalget godkender budgettet for 2026. "
    long_text = sentence * 30_000  # 1,170,000 characters
    # Each copy's leading space joins its first word; the very last space is a token of its own.
    assert count_tokens(long_text) == 30_000 * count_tokens(sentence.rstrip()) + 1
    many = " a" * 250_000  # 250,000 tokens
    assert count_tokens(many) == 250_000
    assert not fits(many, 249_999)
    assert fits(many, 250_000)
    assert count_tokens("a" * 1_000_000) > 0  # no space to cut before: cut anywhere
    assert count_tokens("🙂" * 300_000) > 0  # four bytes a character


@pytest.mark.parametrize("size", [50, 300, 2_000])
def test_counting_in_pieces_gives_the_whole_texts_count(size: int) -> None:
    """Cut before a space after a non-space, the pieces' counts add up to the text's."""
    from casesummary.tokens import _encoding

    for text in _texts():
        parts = pieces(text, size)
        assert "".join(parts) == text
        assert all(len(p) <= size for p in parts)
        if not all(p.startswith(" ") and not p[1:2].isspace() for p in parts[1:]):
            continue  # no space near enough: cut mid-word, the count is then approximate
        whole = len(_encoding().encode_ordinary(text))
        assert sum(len(_encoding().encode_ordinary(p)) for p in parts) == whole, text[:60]

"""Offline token counting with OpenAI's o200k_base encoding (bpe-openai ships its data)."""

from __future__ import annotations

from functools import cache
from typing import Any

#: A text of at most this many UTF-8 bytes is within every limit bpe-openai enforces (1,000,000
#: characters, 200,000 tokens per call), so a byte count can stand in for its token count.
_SAFE_BYTES = 100_000


@cache
def _encoding() -> Any:
    import warnings

    # bpe-openai reads its data with importlib.resources' deprecated open_binary (on import and
    # on load): not our bug, and the warning would break callers that run with warnings as errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bpe_openai import get_encoding

        return get_encoding("o200k_base")


#: bpe-openai encodes at most 1,000,000 characters and 200,000 tokens a call. Longer texts are
#: counted in pieces of at most this many characters: at most 4 UTF-8 bytes each, and every
#: token is at least one byte, so a piece stays under both limits.
PIECE_CHARS = 40_000


def count_tokens(text: str) -> int:
    """How many o200k_base tokens `text` is, however long; no network, the encoding loads once.

    A text over `PIECE_CHARS` is counted in pieces cut just before a space that follows a
    non-space, where the encoding's pre-tokenizer splits anyway, so the sum is the count.
    """
    if not text:
        return 0
    encoding = _encoding()
    if len(text) <= PIECE_CHARS:
        return len(encoding.encode_ordinary(text))
    return sum(len(encoding.encode_ordinary(piece)) for piece in pieces(text, PIECE_CHARS))


def pieces(text: str, size: int) -> list[str]:
    """`text` in consecutive pieces of at most `size` characters, each cut before a single
    space where one is near enough (in the piece's second half), else at `size`."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind(" ", start + size // 2, end)
        while cut > start and text[cut - 1].isspace():  # inside a run of white space: go back
            cut = text.rfind(" ", start + size // 2, cut - 1)
        if cut > start:
            end = cut
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def _utf8_size_at_most(text: str, size: int) -> bool:
    """Whether `text` is valid UTF-8 text (no lone surrogates) of at most `size` bytes."""
    if len(text) > size:  # a character is at least one byte
        return False
    try:
        return len(text.encode("utf-8")) <= size
    except UnicodeEncodeError:
        return False


def fits_by_bytes(text: str, limit: int) -> bool:
    """True when `text` surely is at most `limit` tokens, judged by its length alone.

    Every o200k_base token stands for at least one UTF-8 byte, so a text of at most `limit`
    bytes cannot be more than `limit` tokens; no tokenizer is loaded or run. False says nothing:
    the text may still fit, and only counting can tell.
    """
    return _utf8_size_at_most(text, min(limit, _SAFE_BYTES))


def fits(text: str, limit: int) -> bool:
    """Whether `count_tokens(text) <= limit`, counting only what the byte bound cannot decide."""
    return fits_by_bytes(text, limit) or count_tokens(text) <= limit

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


def count_tokens(text: str) -> int:
    """How many o200k_base tokens `text` is; no network, the encoding loads once."""
    if not text:
        return 0
    return len(_encoding().encode_ordinary(text))


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

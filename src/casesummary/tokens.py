"""Offline token counting with OpenAI's o200k_base encoding (bpe-openai ships its data)."""

from __future__ import annotations

from functools import cache
from typing import Any


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

"""Masking of Danish CPR numbers (personnummer) before any text is written to disk."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

CPR_MASK = "XXXXXX-XXXX"
_M = TypeVar("_M", bound=BaseModel)

# ddmmyy, an optional dash, then four digits; not part of a longer number.
_CPR = re.compile(
    r"(?<![\d-])"
    r"(?P<day>0[1-9]|[12]\d|3[01])(?P<month>0[1-9]|1[0-2])\d{2}"
    r"-?\d{4}"
    r"(?![\d-])"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def mask_cpr(text: str) -> str:
    """`text` with every plausible CPR number (ddmmyy-xxxx or ddmmyyxxxx) replaced by XXXXXX-XXXX.

    Plausible means a real day of a real month; the checksum is not used (it was dropped in 2007).
    """

    def replace(match: re.Match[str]) -> str:
        day, month = int(match["day"]), int(match["month"])
        return CPR_MASK if day <= _DAYS_IN_MONTH[month - 1] else match.group()

    return _CPR.sub(replace, text)


def mask_data(value: Any) -> Any:
    """`value` (strings, and lists, tuples and dicts of them) with every CPR number masked."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, list | tuple):
        return type(value)(mask_data(v) for v in value)
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    return value


def masked(model: _M) -> _M:
    """A copy of a pydantic model with CPR numbers masked in every string it holds.

    The one serializer step every file casesummary writes goes through (results, cases,
    recordings), so no text reaches the disk unmasked.
    """
    return type(model).model_validate(mask_data(model.model_dump()))

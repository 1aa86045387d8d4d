"""Masking of Danish CPR numbers (personnummer) before any text is written to disk."""

from __future__ import annotations

import re

CPR_MASK = "XXXXXX-XXXX"

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
